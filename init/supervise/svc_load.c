/* Loading the service table: the built-in services (network, metadata,
 * agent) the image has, then every
 * definition in SVC_DIR by name. A bad definition is reported and left
 * out; the others still start. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "metadata.h"
#include "svc.h"
#include "users.h"

/* The network service (net/): its own program and user, with only the two
 * capabilities it needs; what it learns, PID 1 applies (net_facts.h). */
#define NET_PATH "/usr/bin/stele-net"
static const char NETWORK_CONF[] =
	"exec = " NET_PATH "\n"
	"user = net\n"
	"restart = always\n"
	"stop_timeout = 2\n"
	"capabilities = CAP_NET_ADMIN CAP_NET_RAW\n";

/* The agent, when the image has one (make image bakes it and its config). */
#define AGENT_PATH "/usr/bin/stele-agent"
#define AGENT_CONF_PATH "/etc/stele/agent.conf"
static const char AGENT_CONF[] =
	"exec = " AGENT_PATH "\n"
	"user = agent\n"
	"restart = always\n"
	"after = network\n"
	"stop_timeout = 8\n"
	"env = STELE_AGENT_FDS=1\n";

/* The instance metadata fetcher, when the image has one: once, before
 * every service but the network (metadata.h). No capabilities. */
static const char METADATA_CONF[] =
	"exec = " METADATA_PATH "\n"
	"user = metadata\n"
	"restart = never\n"
	"after = network\n"
	"stop_timeout = 2\n";

/* The SNTP client, when the image has one: the one service that may set
 * the clock. */
#define NTP_PATH "/usr/bin/stele-ntp"
static const char NTP_CONF[] =
	"exec = " NTP_PATH "\n"
	"user = ntp\n"
	"restart = always\n"
	"after = network\n"
	"stop_timeout = 2\n"
	"capabilities = CAP_SYS_TIME\n";

static struct service_conf loaded[SVC_MAX];
static char names[SVC_MAX][SVC_NAME_MAX];

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* File names in SVC_DIR, sorted, so that the order is the same each boot. */
static size_t list_dir(size_t max)
{
	DIR *d = opendir(SVC_DIR);
	struct dirent *e;
	size_t n = 0;

	if (!d) {
		if (errno != ENOENT)
			say("cannot read " SVC_DIR ": %s", strerror(errno));
		return 0;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (!service_name_ok(e->d_name)) {
			say("service skipped: %.60s: not a valid service name", e->d_name);
			continue;
		}
		if (n == max) {
			say("more than %zu services in " SVC_DIR "; '%s' and later ones skipped",
			    max, e->d_name);
			break;
		}
		strcpy(names[n++], e->d_name);	/* service_name_ok bounds it */
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	return n;
}

static int read_conf(const char *name, struct service_conf *c, char *why)
{
	char path[sizeof SVC_DIR + SVC_NAME_MAX], text[SVC_FILE_MAX + 1];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, SVC_DIR "/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		snprintf(why, SVC_REASON_MAX, "%s: %s", name, strerror(errno));
		return -1;
	}
	n = read(fd, text, sizeof text);
	close(fd);
	if (n < 0) {
		snprintf(why, SVC_REASON_MAX, "%s: %s", name, strerror(errno));
		return -1;
	}
	return service_conf_parse(name, text, (size_t)n, c, why);
}

static int resolve_ids(struct svc *s, char *why)
{
	char r[SVC_REASON_MAX - 40];

	if (user_lookup(s->conf.user, &s->uid, &s->gid, r, sizeof r) < 0 ||
	    (s->conf.group[0] && group_lookup(s->conf.group, &s->gid, r, sizeof r) < 0)) {
		snprintf(why, SVC_REASON_MAX, "%s: %s", s->conf.name, r);
		return -1;
	}
	return 0;
}

static size_t builtin(size_t n, const char *name, const char *conf, size_t len)
{
	char why[SVC_REASON_MAX];

	if (service_conf_parse(name, conf, len, &loaded[n], why) == 0)
		return n + 1;
	say("built-in service broken: %s", why);
	return n;
}

static int builtin_name(const char *name)
{
	return strcmp(name, "network") == 0 || strcmp(name, "agent") == 0 ||
	       strcmp(name, "metadata") == 0 || strcmp(name, "ntp") == 0;
}

/* Reads every definition into loaded[]; returns how many parsed. */
static size_t parse_all(void)
{
	char why[SVC_REASON_MAX];
	size_t n = 0, files;

	if (access(NET_PATH, X_OK) == 0)
		n = builtin(n, "network", NETWORK_CONF, sizeof NETWORK_CONF - 1);
	else
		say("no network service: " NET_PATH " is not in this image");

	if (access(METADATA_PATH, X_OK) == 0)
		n = builtin(n, "metadata", METADATA_CONF, sizeof METADATA_CONF - 1);
	if (access(AGENT_PATH, X_OK) == 0 && access(AGENT_CONF_PATH, R_OK) == 0)
		n = builtin(n, "agent", AGENT_CONF, sizeof AGENT_CONF - 1);
	if (access(NTP_PATH, X_OK) == 0)
		n = builtin(n, "ntp", NTP_CONF, sizeof NTP_CONF - 1);
	files = list_dir(SVC_MAX - n);
	for (size_t i = 0; i < files; i++) {
		if (builtin_name(names[i]))
			say("service skipped: %s: the name is one of stele's own services", names[i]);
		else if (read_conf(names[i], &loaded[n], why) < 0)
			say("service skipped: %s", why);
		else
			n++;
	}
	return n;
}

static void warn_unknown_after(size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t a = 0; a < loaded[i].n_after; a++) {
			size_t j;

			for (j = 0; j < n && strcmp(loaded[i].after[a], loaded[j].name); j++)
				;
			if (j == n)
				say("service %s: after names '%s', which is not loaded; ignored",
				    loaded[i].name, loaded[i].after[a]);
		}
}

size_t svc_load(struct svc *tab, size_t max)
{
	const struct service_conf *conf[SVC_MAX];
	size_t order[SVC_MAX], n = parse_all(), placed, out = 0;
	char why[SVC_REASON_MAX];

	for (size_t i = 0; i < n; i++)
		conf[i] = &loaded[i];
	warn_unknown_after(n);
	placed = svc_order(conf, n, order);
	for (size_t i = 0; i < n; i++) {
		size_t k;

		for (k = 0; k < placed && order[k] != i; k++)
			;
		if (k == placed)
			say("service skipped: %s: its after names form a cycle", loaded[i].name);
	}
	for (size_t k = 0; k < placed && out < max; k++) {
		struct svc *s = &tab[out];

		memset(s, 0, sizeof *s);
		s->conf = loaded[order[k]];
		s->conf.argv[0] = s->conf.exec;	/* re-point into the copy */
		for (size_t a = 1; a < SVC_ARGS_MAX && loaded[order[k]].argv[a]; a++)
			s->conf.argv[a] = s->conf.exec + (loaded[order[k]].argv[a] - loaded[order[k]].exec);
		s->path = s->conf.argv[0];
		s->last_status = -1;
		if (resolve_ids(s, why) < 0) {
			say("service skipped: %s", why);
			continue;
		}
		out++;
	}
	return out;
}
