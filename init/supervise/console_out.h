#ifndef STELE_CONSOLE_OUT_H
#define STELE_CONSOLE_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Service lines on the console, never blocking PID 1: the console (fd 2)
 * is made non-blocking, and a line it cannot take now (a slow serial
 * line, a console nobody drains) is dropped from the console and counted
 * in RUN_DIR/console-dropped, which the agent reports as an event and as
 * stele_console_lines_dropped_total. The line still goes to the agent. */

/* At stage 2's start; failing, the console stays blocking (said). */
void console_out_open(void);

void console_out_line(const char *line, size_t len);

/* Publishes the count when it changed (run_count_publish). */
void console_out_publish(uint64_t now, uint64_t *next_ms);

#endif
