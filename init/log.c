#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#define LINE_MAX_LEN 512

static int kmsg_fd = -1;

void log_open_kmsg(void)
{
	int saved = errno;

	if (kmsg_fd < 0)
		kmsg_fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	errno = saved;
}

static void emit(int fd, const char *prefix, const char *fmt, va_list ap)
{
	char line[LINE_MAX_LEN];
	int saved = errno;
	int n = snprintf(line, sizeof line, "%s", prefix);

	n += vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (fd >= 0 && write(fd, line, (size_t)n) < 0) {
		/* Nowhere left to report it. */
	}
	errno = saved;
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(STDERR_FILENO, "stele: ", fmt, ap);
	va_end(ap);
}

void milestone(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(kmsg_fd, "<5>stele: ", fmt, ap);
	va_end(ap);
}
