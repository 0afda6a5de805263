#ifndef STELE_STAGES_H
#define STELE_STAGES_H

/* Stage 1: the initramfs's /init; ends by exec'ing stage 2 or refusing. */
_Noreturn void stage1_main(void);

/* Stage 2: /sbin/init of the verified root, PID 1 until power-off. */
_Noreturn void stage2_main(void);

/* The network service: the same binary started by PID 1 as "stele-net"
 * (argv[0]), unprivileged but for CAP_NET_ADMIN and CAP_NET_RAW. Brings up
 * loopback and the first Ethernet interface (DHCPv4 or ip=), writes
 * /run/resolv.conf. Returns only on a fatal error, with an exit status. */
int net_main(void);

#endif
