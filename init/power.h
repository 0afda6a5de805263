#ifndef STELE_POWER_H
#define STELE_POWER_H

/* A refusal's reason: one line, at most REASON_MAX bytes with its NUL. */
#define REASON_MAX 160

enum power_action { POWER_OFF, POWER_REBOOT, POWER_HALT };

/* Syncs and performs the action. Never returns: if the kernel refuses, PID 1
 * waits forever rather than fall back to anything else. */
_Noreturn void power_act(enum power_action action);

/* The single failure path before the verified root is mounted: one line
 * "stele: refusing to boot: REASON" on the console, then the action. */
_Noreturn void refuse_boot(enum power_action action, const char *reason);

#endif
