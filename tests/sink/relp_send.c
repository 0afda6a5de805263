/* relp-send: the driver of tests/collector/relp-rsyslog. Reads records'
 * JSON lines on stdin and does what the relp sink does with each: the RFC
 * 5424 message (syslog5424_format), sent over RELP (relp_out_send), and
 * every --batch lines and at the end relp_out_sync(). After each sync that
 * succeeds it prints "acked N" (lines so far, sent or not sent) on stdout;
 * only those may be taken as delivered. A failed send or sync ends it with
 * "failed after N" and exit 1.
 *
 * usage: relp-send --to HOST:PORT [--peer NAME] --ca F --cert F --key F
 *                  [--batch N] [--max BYTES] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relp_out.h"
#include "syslog5424.h"

#include "../unit/lsan_relp.h"

static char line[4 << 20];
static char msg[RELP_OUT_MSG_MAX];

static void usage(void)
{
	fprintf(stderr, "usage: relp-send --to HOST:PORT [--peer NAME] --ca F --cert F --key F "
		"[--batch N] [--max BYTES]\n");
	exit(100);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", 1, 0, 't' }, { "peer", 1, 0, 'p' }, { "ca", 1, 0, 'a' },
		{ "cert", 1, 0, 'c' }, { "key", 1, 0, 'k' }, { "batch", 1, 0, 'b' },
		{ "max", 1, 0, 'm' }, { 0, 0, 0, 0 },
	};
	const char *to = NULL, *peer = NULL, *ca = NULL, *cert = NULL, *key = NULL, *why;
	unsigned long batch = 100, max = 8192, n = 0, acked = 0;
	struct relp_out r;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': to = optarg; break;
		case 'p': peer = optarg; break;
		case 'a': ca = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'b': batch = strtoul(optarg, NULL, 10); break;
		case 'm': max = strtoul(optarg, NULL, 10); break;
		default: usage();
		}
	}
	if (!to || !ca || !cert || !key || batch == 0 || max < SYSLOG5424_MIN || max > sizeof msg)
		usage();
	if (relp_out_open(&r, to, peer, ca, cert, key) < 0)
		return 111;
	while (fgets(line, sizeof line, stdin)) {
		size_t len;
		int rc = syslog5424_format(line, strlen(line), msg, max, &len, &why);

		if (rc < 0)
			fprintf(stderr, "relp-send: line %lu: %s\n", n + 1, why);
		if (rc == 1 && relp_out_send(&r, msg, len) < 0)
			break;
		if (++n % batch == 0) {
			if (relp_out_sync(&r) < 0)
				break;
			printf("acked %lu\n", acked = n);
			fflush(stdout);
		}
	}
	if (feof(stdin) && relp_out_sync(&r) == 0) {
		printf("acked %lu\n", acked = n);
		relp_out_close(&r);
		return 0;
	}
	printf("failed after %lu\n", acked);
	relp_out_close(&r);
	return 1;
}
