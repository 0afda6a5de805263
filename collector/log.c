#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static void log_va(const char *fmt, va_list ap, uint64_t suppressed)
{
	char line[1024];
	int saved = errno, n = snprintf(line, sizeof line, "collector: ");

	n += vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (suppressed && n < (int)sizeof line)
		n += snprintf(line + n, sizeof line - (size_t)n,
			      " (and %llu more such lines not logged)", (unsigned long long)suppressed);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, (size_t)n);
	errno = saved;
}

void log_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_va(fmt, ap, 0);
	va_end(ap);
}

void log_limited(struct log_limit *l, uint64_t now_ms, const char *fmt, ...)
{
	uint64_t second = now_ms / 1000;
	va_list ap;

	if (second != l->window) {
		l->window = second;
		l->in_window = 0;
	}
	if (l->in_window >= LOG_BURST) {
		l->suppressed++;
		return;
	}
	l->in_window++;
	va_start(ap, fmt);
	log_va(fmt, ap, l->suppressed);
	va_end(ap);
	l->suppressed = 0;
}
