/* collector: the receiving end of stele's agents (DESIGN §6, §7). Options,
 * setup, and the poll loop; the work is in server.c and what it calls. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "net.h"
#include "pki.h"
#include "server.h"

#define MAX_CONNS_DEFAULT 256
#define MAX_CONNS_LIMIT 4096

static const char usage[] =
	"usage: collector [options]\n"
	"  --listen ADDR:PORT     agents' TLS port (default 0.0.0.0:7514)\n"
	"  --ca FILE              CA of the agents' certificates (default build/pki/ca.crt)\n"
	"  --cert FILE            the collector's certificate chain (default build/pki/collector.crt)\n"
	"  --key FILE             its EC private key (default build/pki/collector.key)\n"
	"  --out DIR|-            DIR/HOST/BOOT_ID.jsonl, or - for stdout (default -)\n"
	"  --metrics ADDR:PORT|off  Prometheus endpoint (default 127.0.0.1:9514, skipped\n"
	"                         with a warning if that is taken)\n"
	"  --fsync always|batch|never  fsync every record, every batch before its ack\n"
	"                         (default), or never\n"
	"  --max-conns N          agents connected at once (default 256)\n";

struct opts {
	const char *listen, *ca, *cert, *key, *out, *metrics;
	enum store_fsync fsync;
	size_t max_conns;
	int metrics_set;
};

static int bad(const char *what)
{
	fprintf(stderr, "collector: %s\n%s", what, usage);
	return 100;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "fsync", required_argument, NULL, 'f' },
		{ "max-conns", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct opts){ "0.0.0.0:7514", "build/pki/ca.crt", "build/pki/collector.crt",
			    "build/pki/collector.key", "-", "127.0.0.1:9514", STORE_FSYNC_BATCH,
			    MAX_CONNS_DEFAULT, 0 };
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		char *end;
		unsigned long n;

		switch (ch) {
		case 'l': o->listen = optarg; break;
		case 'a': o->ca = optarg; break;
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'o': o->out = optarg; break;
		case 'm':
			o->metrics = strcmp(optarg, "off") == 0 ? NULL : optarg;
			o->metrics_set = 1;
			break;
		case 'f':
			if (strcmp(optarg, "always") == 0)
				o->fsync = STORE_FSYNC_ALWAYS;
			else if (strcmp(optarg, "batch") == 0)
				o->fsync = STORE_FSYNC_BATCH;
			else if (strcmp(optarg, "never") == 0)
				o->fsync = STORE_FSYNC_NEVER;
			else
				return bad("--fsync: always, batch or never");
			break;
		case 'n':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (errno || *end || n < 1 || n > MAX_CONNS_LIMIT)
				return bad("--max-conns: 1 to 4096");
			o->max_conns = n;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			return bad("unknown option");
		}
	}
	if (optind != argc)
		return bad("no arguments besides options");
	if (!net_spec_ok(o->listen))
		return bad("--listen: ADDR:PORT with a numeric address");
	if (o->metrics && !net_spec_ok(o->metrics))
		return bad("--metrics: ADDR:PORT with a numeric address, or off");
	return 0;
}

/* Big: kept off the stack, and alive as long as the connections using them. */
static struct pki_anchors ca;
static struct pki_chain chain;
static struct pki_key key;
static struct store store;
static struct metrics metrics;
static struct server server;

int main(int argc, char **argv)
{
	struct opts o;
	char why[300];
	sigset_t mask;
	struct pollfd *pfd;
	int rc, sfd, stop = 0;

	rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (pki_load_anchors(o.ca, &ca, why, sizeof why) < 0 ||
	    pki_load_chain(o.cert, &chain, why, sizeof why) < 0 ||
	    pki_load_key(o.key, &key, why, sizeof why) < 0) {
		fprintf(stderr, "collector: %s\n%s", why, usage);
		return 111;
	}
	if (store_open(&store, o.out, o.fsync, why, sizeof why) < 0) {
		log_msg("%s", why);
		return 111;
	}
	if (metrics_init(&metrics) < 0) {
		log_msg("out of memory for metrics");
		return 111;
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		log_msg("signalfd: %s", strerror(errno));
		return 111;
	}

	if (server_init(&server, &(struct server_config){
				.listen = o.listen, .metrics = o.metrics,
				.metrics_optional = !o.metrics_set, .max_conns = o.max_conns,
				.tls = { &ca, &chain, &key }, .store = &store,
				.metrics_store = &metrics }, why, sizeof why) < 0) {
		log_msg("%s", why);
		return 111;
	}
	pfd = calloc(server_pollfds_max(&server) + 1, sizeof *pfd);
	if (!pfd) {
		log_msg("out of memory");
		return 111;
	}
	log_msg("writing to %s, fsync %s", strcmp(o.out, "-") == 0 ? "stdout" : o.out,
		o.fsync == STORE_FSYNC_ALWAYS ? "always" : o.fsync == STORE_FSYNC_BATCH ? "batch" : "never");

	/* From here on, nothing an agent sends stops the collector. */
	while (!stop) {
		int timeout = -1;
		size_t n = server_pollfds(&server, pfd + 1, &timeout);

		pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		if (poll(pfd, n + 1, timeout) < 0) {
			if (errno != EINTR)
				log_msg("poll: %s", strerror(errno));
			continue;
		}
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof si) == sizeof si)
				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT) {
					log_msg("signal %u: stopping", si.ssi_signo);
					stop = 1;
				}
			if (stop)
				break;
		}
		server_handle(&server, pfd + 1, n);
	}
	server_stop(&server);
	store_close(&store);
	metrics_free(&metrics);
	free(pfd);
	return 0;
}
