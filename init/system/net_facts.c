#include "net_facts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hostname.h"
#include "log.h"
#include "net_report.h"
#include "resolv_conf.h"
#include "run_file.h"
#include "svc_pipe.h"

#define READS_PER_WAKE 4

static int rfd = -1;
static char pending[NET_REPORT_LINE_MAX];
static size_t n_pending;
static int skipping;			/* in a line too long to take */

size_t net_facts_pipe(int *pass)
{
	return svc_pipe(&rfd, pass);
}

int net_facts_fd(void)
{
	return rfd;
}

static void apply_hostname(const char *name)
{
	if (access(HOSTNAME_PINNED, F_OK) == 0)
		return;			/* given by the command line or a credential */
	if (sethostname(name, strlen(name)) < 0)
		say("network: cannot set the host name %s: %s", name, strerror(errno));
	else
		say("host name %s, from the network", name);
}

static void apply_resolv(const struct net_report *r)
{
	char text[RESOLV_CONF_MAX];
	size_t len = resolv_conf_format(text, sizeof text, r->addr, r->n_addr, r->name);

	if (!len || run_file_write(NET_RESOLV_CONF, text, len, 0644) < 0)
		say("cannot write " RUN_DIR "/" NET_RESOLV_CONF ": %s", len ? strerror(errno) : "too long");
}

static void apply_ntp(const struct net_report *r)
{
	char text[NET_REPORT_LINE_MAX], a[16];
	int k = 0;

	for (size_t i = 0; i < r->n_addr; i++)
		k += snprintf(text + k, sizeof text - (size_t)k, "%s%s", i ? "," : "",
			      ip4_format(a, r->addr[i]));
	text[k++] = '\n';
	if (run_file_write(NET_NTP_SERVERS, text, (size_t)k, 0644) < 0)
		say("cannot write " RUN_DIR "/" NET_NTP_SERVERS ": %s", strerror(errno));
}

static void apply_line(const char *line, size_t len)
{
	struct net_report r;
	char why[96];

	if (net_report_parse(line, len, &r, why) < 0) {
		say("network: report refused: %s: '%.*s'", why, (int)(len > 60 ? 60 : len), line);
		return;
	}
	if (r.kind == NET_REPORT_HOSTNAME)
		apply_hostname(r.name);
	else if (r.kind == NET_REPORT_RESOLV)
		apply_resolv(&r);
	else
		apply_ntp(&r);
}

/* Whole lines out of pending; what is left is the start of the next. */
static void take_lines(void)
{
	char *nl;

	while ((nl = memchr(pending, '\n', n_pending))) {
		size_t len = (size_t)(nl - pending);

		if (!skipping)
			apply_line(pending, len);
		skipping = 0;
		n_pending -= len + 1;
		memmove(pending, nl + 1, n_pending);
	}
	if (n_pending == sizeof pending) {
		if (!skipping)
			say("network: report longer than %d bytes refused", NET_REPORT_LINE_MAX - 1);
		skipping = 1;
		n_pending = 0;
	}
}

void net_facts_read(void)
{
	for (int i = 0; rfd >= 0 && i < READS_PER_WAKE; i++) {
		ssize_t k = read(rfd, pending + n_pending, sizeof pending - n_pending);

		if (k <= 0) {
			if (k < 0 && errno != EAGAIN && errno != EINTR)
				say("network: cannot read its reports: %s", strerror(errno));
			return;
		}
		n_pending += (size_t)k;
		take_lines();
	}
}
