#ifndef STELE_STAGES_H
#define STELE_STAGES_H

/* Stage 1: the initramfs's /init; ends by exec'ing stage 2 or refusing. */
_Noreturn void stage1_main(void);

/* Stage 1 to stage 2, its one argument: the pid of the child loading the
 * kernel modules not needed for the root (init/boot/modules.h), which stage
 * 2 reaps, and whose failure refuses the boot. */
#define MODULE_LOADER_ARG "--module-loader="

/* Stage 2: /sbin/init of the verified root, PID 1 until power-off. arg is
 * its first argument, or NULL. */
_Noreturn void stage2_main(const char *arg);

#endif
