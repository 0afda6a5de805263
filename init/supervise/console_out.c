#include "console_out.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "run_file.h"

static struct run_count dropped = { .name = "console-dropped" };

void console_out_open(void)
{
	int fl = fcntl(STDERR_FILENO, F_GETFL);

	if (fl < 0 || fcntl(STDERR_FILENO, F_SETFL, fl | O_NONBLOCK) < 0)
		milestone("console: cannot make it non-blocking: %s", strerror(errno));
}

void console_out_line(const char *line, size_t len)
{
	ssize_t n = write(STDERR_FILENO, line, len);

	if (n == (ssize_t)len)
		return;
	dropped.value++;
	/* A part of the line went out: end it, so the next starts clean. */
	if (n > 0 && write(STDERR_FILENO, "\n", 1) < 0) {
		/* The console is full; the count says so. */
	}
}

void console_out_publish(uint64_t now, uint64_t *next_ms)
{
	run_count_publish(&dropped, now, next_ms);
}
