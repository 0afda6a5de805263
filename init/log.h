#ifndef STELE_LOG_H
#define STELE_LOG_H

/* PID 1's two outputs. The console (stderr, opened write-only) gets the
 * lines an operator must see: "stele: sealed", "stele: refusing to boot:".
 * The kernel log gets timestamped milestones at notice level, which a
 * quiet console does not repeat. Both keep errno. */
void log_open_kmsg(void);
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void milestone(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
