/* collector: the receiving end of stele's agents (DESIGN §6, §7). Options,
 * setup, and the poll loop; the work is in server.c and what it calls. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "opt_number.h"
#include "net.h"
#include "pki.h"
#include "conn.h"
#include "server.h"
#include "sink.h"

#define MAX_CONNS_DEFAULT 256
#define MAX_CONNS_LIMIT 4096
#define FDS_BESIDES_CONNS (HTTP_CONNS_MAX + 64)	/* listeners, files, stdio */

static const char usage[] =
	"usage: collector [options]\n"
	"       collector sink KIND [options]   (collector sink --help)\n"
	"  --listen ADDR:PORT     agents' TLS port (default 0.0.0.0:7514)\n"
	"  --client-ca FILE       CA of the agents' certificates, and only theirs\n"
	"                         (default build/pki/client-ca.crt)\n"
	"  --cert FILE            the collector's certificate chain (default build/pki/collector.crt)\n"
	"  --key FILE             its EC private key (default build/pki/collector.key)\n"
	"  --out DIR|-            DIR/HOST/BOOT_ID.jsonl, or - for stdout (default -)\n"
	"  --jetstream nats://HOST:PORT[,...]  fleet mode: publish to stream STELE of\n"
	"                         that NATS JetStream cluster instead of --out\n"
	"  --stream-replicas N    the stream's replicas when it is created (default 1)\n"
	"  --stream-max-age SECONDS  and how long it keeps records (default 604800)\n"
	"  --stream-max-bytes N   and how many bytes at most (default 1073741824)\n"
	"  --dup-window SECONDS   and for how long it drops a record sent again (default 600)\n"
	"  --metrics ADDR:PORT|off  Prometheus endpoint (default 127.0.0.1:9514, skipped\n"
	"                         with a warning if that is taken)\n"
	"  --metrics-expiry SECONDS  a host silent that long leaves /metrics (default 30)\n"
	"  --expect FILE          the images the fleet should run, lines VERSION ROOTHASH\n"
	"                         PCR11 (- : not said, * : any; # comments): exports\n"
	"                         stele_image_expected and logs each host not on it\n"
	"  --fsync always|batch|never  fsync every record, every batch before its ack\n"
	"                         (default), or never\n"
	"  --trust-hello-host     file records under the host the hello names, not the\n"
	"                         certificate's (a fleet sharing one certificate)\n"
	"  --max-conns N          connections at once (default 256)\n"
	"  --reserve N            of them, kept for agents past their hello (default 1/4)\n"
	"  --per-source N         connections before their hello from one address (default 16)\n"
	"  --hello-timeout SECONDS  accept to hello, at most (default 10)\n"
	"  --idle-timeout SECONDS   an agent silent that long is closed (default 60)\n";

struct opts {
	const char *listen, *ca, *cert, *key, *out, *metrics, *jetstream, *expect;
	unsigned long replicas, max_age_s, dup_window_s, max_bytes;
	int out_set;
	enum store_fsync fsync;
	unsigned long max_conns, reserve, per_source, hello_s, idle_s, expiry_s;
	int metrics_set, reserve_set, trust_hello_host;
};

static int bad(const char *what)
{
	fprintf(stderr, "collector: %s\n%s", what, usage);
	return 100;
}

static int parse(int argc, char **argv, struct opts *o)
{
	char why[160];
	static const struct option longs[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "client-ca", required_argument, NULL, 'a' },
		{ "cert", required_argument, NULL, 'c' },
		{ "key", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "metrics-expiry", required_argument, NULL, 'e' },
		{ "expect", required_argument, NULL, 'x' },
		{ "fsync", required_argument, NULL, 'f' },
		{ "trust-hello-host", no_argument, NULL, 't' },
		{ "max-conns", required_argument, NULL, 'n' },
		{ "reserve", required_argument, NULL, 'r' },
		{ "per-source", required_argument, NULL, 'p' },
		{ "hello-timeout", required_argument, NULL, 'H' },
		{ "idle-timeout", required_argument, NULL, 'I' },
		{ "jetstream", required_argument, NULL, 'j' },
		{ "stream-replicas", required_argument, NULL, 'R' },
		{ "stream-max-age", required_argument, NULL, 'A' },
		{ "stream-max-bytes", required_argument, NULL, 'B' },
		{ "dup-window", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	*o = (struct opts){ .listen = "0.0.0.0:7514", .ca = "build/pki/client-ca.crt",
			    .cert = "build/pki/collector.crt", .key = "build/pki/collector.key",
			    .out = "-", .metrics = "127.0.0.1:9514", .fsync = STORE_FSYNC_BATCH,
			    .max_conns = MAX_CONNS_DEFAULT, .per_source = 16, .hello_s = 10,
			    .idle_s = 60, .expiry_s = 30, .replicas = 1, .max_age_s = 604800,
			    .dup_window_s = 600, .max_bytes = 1ul << 30 };
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'l': o->listen = optarg; break;
		case 'a': o->ca = optarg; break;
		case 'c': o->cert = optarg; break;
		case 'k': o->key = optarg; break;
		case 'o': o->out = optarg; o->out_set = 1; break;
		case 'j': o->jetstream = optarg; break;
		case 'x': o->expect = optarg; break;
		case 'R':
			if (opt_number(1, 5, &o->replicas) < 0)
				return bad("--stream-replicas: 1 to 5");
			break;
		case 'A':
			if (opt_number(1, 315360000, &o->max_age_s) < 0)
				return bad("--stream-max-age: 1 to 315360000 seconds");
			break;
		case 'B':
			if (opt_number(1 << 20, (unsigned long)INT64_MAX, &o->max_bytes) < 0)
				return bad("--stream-max-bytes: at least 1048576");
			break;
		case 'D':
			if (opt_number(1, 86400, &o->dup_window_s) < 0)
				return bad("--dup-window: 1 to 86400 seconds");
			break;
		case 't': o->trust_hello_host = 1; break;
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
			if (opt_number(1, MAX_CONNS_LIMIT, &o->max_conns) < 0)
				return bad("--max-conns: 1 to 4096");
			break;
		case 'r':
			if (opt_number(0, MAX_CONNS_LIMIT, &o->reserve) < 0)
				return bad("--reserve: 0 to 4096");
			o->reserve_set = 1;
			break;
		case 'p':
			if (opt_number(1, MAX_CONNS_LIMIT, &o->per_source) < 0)
				return bad("--per-source: 1 to 4096");
			break;
		case 'H':
			if (opt_number(1, 3600, &o->hello_s) < 0)
				return bad("--hello-timeout: 1 to 3600 seconds");
			break;
		case 'I':
			if (opt_number(1, 86400, &o->idle_s) < 0)
				return bad("--idle-timeout: 1 to 86400 seconds");
			break;
		case 'e':
			if (opt_number(1, 86400, &o->expiry_s) < 0)
				return bad("--metrics-expiry: 1 to 86400 seconds");
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
	if (o->jetstream && o->out_set)
		return bad("--out and --jetstream: records go to one or the other");
	if (o->jetstream && js_urls_ok(o->jetstream, why, sizeof why) < 0)
		return bad(why);
	if (!o->reserve_set)
		o->reserve = o->max_conns / 4;
	if (o->reserve >= o->max_conns)
		return bad("--reserve: fewer than --max-conns, or no connection could say hello");
	return 0;
}

/* Every connection is a descriptor: raise the soft limit as far as the
 * hard one allows, and refuse to start if that is not enough, rather than
 * meet EMFILE under load. */
static int check_nofile(unsigned long conns, char *why, size_t whylen)
{
	struct rlimit rl;
	rlim_t need = (rlim_t)conns + FDS_BESIDES_CONNS;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
		snprintf(why, whylen, "getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
		return -1;
	}
	if (rl.rlim_cur >= need)
		return 0;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need ? need : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < need) {
		snprintf(why, whylen, "--max-conns %lu needs %llu file descriptors; RLIMIT_NOFILE "
			 "allows %llu (raise it with ulimit -n, or lower --max-conns)", conns,
			 (unsigned long long)need, (unsigned long long)rl.rlim_cur);
		return -1;
	}
	return 0;
}

/* Big: kept off the stack, and alive as long as the connections using them. */
static struct pki_anchors ca;
static struct pki_chain chain;
static struct pki_key key;
static struct store store;
static struct js js;
static struct metrics metrics;
static struct image_expect expect;
static struct server server;

int main(int argc, char **argv)
{
	struct opts o;
	char why[300];
	sigset_t mask;
	struct pollfd *pfd;
	int rc, sfd, stop = 0;

	if (argc > 1 && strcmp(argv[1], "sink") == 0)
		return sink_main(argc - 1, argv + 1);
	rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	/* Before the NATS client starts its threads, which inherit the mask:
	 * the signals are read from the signalfd, never taken by a thread. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (check_nofile(o.max_conns, why, sizeof why) < 0) {
		fprintf(stderr, "collector: %s\n", why);
		return 111;
	}
	/* The list is read before anything else starts: a bad one stops the
	 * collector, rather than call every host unexpected (or none). */
	if (o.expect && image_expect_load(&expect, o.expect, why, sizeof why) < 0) {
		fprintf(stderr, "collector: --expect %s\n", why);
		return 100;
	}
	if (pki_load_anchors(o.ca, &ca, why, sizeof why) < 0 ||
	    pki_load_chain(o.cert, &chain, why, sizeof why) < 0 ||
	    pki_load_key(o.key, &key, why, sizeof why) < 0) {
		fprintf(stderr, "collector: %s\n%s", why, usage);
		return 111;
	}
	if (o.jetstream ? js_open(&js, &(struct js_config){
					 .urls = o.jetstream, .replicas = (unsigned)o.replicas,
					 .max_age_s = o.max_age_s, .dup_window_s = o.dup_window_s,
					 .max_bytes = (int64_t)o.max_bytes }, conn_js_done, &server,
				  why, sizeof why)
			: store_open(&store, o.out, o.fsync, why, sizeof why)) {
		log_msg("%s", why);
		return 111;
	}
	if (metrics_init(&metrics) < 0) {
		log_msg("out of memory for metrics");
		return 111;
	}
	metrics.expiry_ms = (uint64_t)o.expiry_s * 1000;

	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0) {
		log_msg("signalfd: %s", strerror(errno));
		return 111;
	}

	if (server_init(&server, &(struct server_config){
				.listen = o.listen, .metrics = o.metrics,
				.metrics_optional = !o.metrics_set, .max_conns = o.max_conns,
				.limits = { .reserve = o.reserve, .per_source = o.per_source },
				.hello_ms = o.hello_s * 1000, .idle_ms = o.idle_s * 1000,
				.trust_hello_host = o.trust_hello_host,
				.tls = { &ca, &chain, &key }, .store = o.jetstream ? NULL : &store,
				.js = o.jetstream ? &js : NULL,
				.metrics_store = &metrics, .expect = o.expect ? &expect : NULL },
			why, sizeof why) < 0) {
		log_msg("%s", why);
		return 111;
	}
	pfd = calloc(server_pollfds_max(&server) + 1, sizeof *pfd);
	if (!pfd) {
		log_msg("out of memory");
		return 111;
	}
	if (o.expect)
		log_msg("expecting %zu image%s (--expect %s)", expect.n, expect.n == 1 ? "" : "s",
			o.expect);
	if (!o.jetstream)
		log_msg("writing to %s, fsync %s", strcmp(o.out, "-") == 0 ? "stdout" : o.out,
			o.fsync == STORE_FSYNC_ALWAYS ? "always" : o.fsync == STORE_FSYNC_BATCH ?
			"batch" : "never");

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
	if (o.jetstream)
		js_close(&js);
	else
		store_close(&store);
	metrics_free(&metrics);
	free(pfd);
	return 0;
}
