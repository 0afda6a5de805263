/* `collector sink KIND ...`: options, then sink_run() with KIND's ops. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files.h"
#include "jetstream.h"
#include "log.h"
#include "net.h"
#include "opt_number.h"
#include "prometheus.h"
#include "sink.h"

static const char usage[] =
	"usage: collector sink KIND --jetstream nats://HOST:PORT[,...] [options]\n"
	"  KIND files --out DIR    DIR/HOST/BOOT_ID.jsonl, as the collector's --out DIR\n"
	"  KIND prometheus [--listen ADDR:PORT] [--expiry SECONDS]\n"
	"                          the latest samples of every host, instance=\"HOST\", at\n"
	"                          http://ADDR:PORT/metrics (default 127.0.0.1:9514); a host\n"
	"                          silent for --expiry (default 30) leaves\n"
	"  --durable NAME          the consumer's name (default stele-KIND; sinks of one\n"
	"                          name share the work)\n"
	"  --batch N               messages per fetch (default 512)\n";

struct sink_opts {
	const char *kind, *urls, *durable, *out, *listen;
	unsigned long batch, expiry_s;
	char durable_buf[64];
};

static int bad(const char *what)
{
	fprintf(stderr, "collector sink: %s\n%s", what, usage);
	return 100;
}

static int parse(int argc, char **argv, struct sink_opts *o)
{
	static const struct option longs[] = {
		{ "jetstream", required_argument, NULL, 'j' },
		{ "durable", required_argument, NULL, 'd' },
		{ "batch", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "listen", required_argument, NULL, 'l' },
		{ "expiry", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char why[160];
	int ch;

	*o = (struct sink_opts){ .batch = 512, .listen = "127.0.0.1:9514", .expiry_s = 30 };
	if (argc < 2 || argv[1][0] == '-')
		return bad("which sink: files or prometheus");
	o->kind = argv[1];
	optind = 2;
	while ((ch = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (ch) {
		case 'j': o->urls = optarg; break;
		case 'd': o->durable = optarg; break;
		case 'o': o->out = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'e':
			if (opt_number(1, 86400, &o->expiry_s) < 0)
				return bad("--expiry: 1 to 86400 seconds");
			break;
		case 'b':
			if (opt_number(1, 4096, &o->batch) < 0)
				return bad("--batch: 1 to 4096");
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			return bad("unknown option");
		}
	}
	if (optind != argc)
		return bad("no arguments besides KIND and options");
	if (!net_spec_ok(o->listen))
		return bad("--listen: ADDR:PORT with a numeric address");
	if (!o->urls)
		return bad("--jetstream: which servers");
	if (js_urls_ok(o->urls, why, sizeof why) < 0)
		return bad(why);
	if (!o->durable) {
		snprintf(o->durable_buf, sizeof o->durable_buf, "stele-%.32s", o->kind);
		o->durable = o->durable_buf;
	}
	if (!store_name_ok(o->durable, strlen(o->durable)) || strchr(o->durable, '.'))
		return bad("--durable: 1 to 64 of A-Z a-z 0-9 _ -");
	return 0;
}

static struct files_sink files;
static struct prom_sink prom;

static int run_prometheus(const struct sink_opts *o, const struct sink_config *c)
{
	static const struct sink_ops ops = { .kind = "prometheus", .subject = "stele.metrics.>",
					     .take = prom_take, .sync = prom_sync,
					     .idle = prom_idle };
	char why[300];
	int rc;

	if (prom_open(&prom, o->listen, o->expiry_s, why, sizeof why) < 0) {
		log_msg("sink prometheus: %s", why);
		return 111;
	}
	rc = sink_run(&(struct sink_config){ .urls = c->urls, .durable = c->durable,
					     .batch = c->batch, .where = o->listen }, &ops, &prom);
	prom_close(&prom);
	return rc;
}

static int run_files(const struct sink_opts *o, const struct sink_config *c)
{
	static const struct sink_ops ops = { .kind = "files", .subject = "stele.>",
					     .take = files_take, .sync = files_sync };
	char why[300];
	int rc;

	if (!o->out)
		return bad("files: --out DIR");
	if (strcmp(o->out, "-") == 0)
		return bad("files: --out must be a directory");
	if (files_open(&files, o->out, why, sizeof why) < 0) {
		log_msg("sink files: %s", why);
		return 111;
	}
	rc = sink_run(&(struct sink_config){ .urls = c->urls, .durable = c->durable,
					     .batch = c->batch, .where = o->out }, &ops, &files);
	files_close(&files);
	return rc;
}

int sink_main(int argc, char **argv)
{
	struct sink_opts o;
	struct sink_config c;
	int rc = parse(argc, argv, &o);

	if (rc)
		return rc;
	c = (struct sink_config){ .urls = o.urls, .durable = o.durable, .batch = (int)o.batch };
	if (strcmp(o.kind, "files") == 0)
		return run_files(&o, &c);
	if (strcmp(o.kind, "prometheus") == 0)
		return run_prometheus(&o, &c);
	return bad("KIND: files or prometheus");
}
