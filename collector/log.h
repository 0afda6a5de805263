#ifndef STELE_COLLECTOR_LOG_H
#define STELE_COLLECTOR_LOG_H

/* One line on stderr, "collector: " first, written with one write(2) so
 * that lines never interleave; longer than 1 KiB is cut. errno is kept. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
