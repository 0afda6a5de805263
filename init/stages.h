#ifndef STELE_STAGES_H
#define STELE_STAGES_H

/* Stage 1: the initramfs's /init; ends by exec'ing stage 2 or refusing. */
_Noreturn void stage1_main(void);

/* Stage 2: /sbin/init of the verified root, PID 1 until power-off. */
_Noreturn void stage2_main(void);

#endif
