#include "report.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "note.h"

void report_send(const struct net_report *r)
{
	static int said;
	char line[NET_REPORT_LINE_MAX];
	size_t len = net_report_format(line, r);
	ssize_t k = len ? write(NET_REPORT_FD, line, len) : -1;

	if (k == (ssize_t)len)
		return;
	if (!said++)
		note("cannot report to PID 1: %s", len ? strerror(errno) : "line too long");
}
