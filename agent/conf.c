#include "conf.h"

#include <stdio.h>
#include <string.h>

#include "cmdline_word.h"
#include "kv_file.h"
#include "netaddr.h"

#define CONF_FILE_MAX 16384
#define LINE_MAX_LEN 512
#define DEFAULT_INTERVAL_S 10
#define MAX_INTERVAL_S 3600
#define DEFAULT_BUFFER (8u << 20)
#define MIN_BUFFER (64u << 10)
#define MAX_BUFFER (256u << 20)
#define CMDLINE_KEY "stele.collector"
#define DIGIT "0123456789"
/* Four HOST:PORT/NAME of full-length names, and their commas. */
#define CMDLINE_VALUE_MAX (CONF_COLLECTORS_MAX * (2 * CONF_HOST_MAX + 7))


/* What the setters fill: the configuration, and where each collector
 * was given, for the message about a second one. */
struct parse {
	struct agent_conf *c;
	unsigned collector_line[CONF_COLLECTORS_MAX];
};

/* Index of an earlier collector with the same host and port, or n. */
static size_t addr_find(const struct host_port *list, size_t n, const struct host_port *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].port == a->port && strcmp(list[i].host, a->host) == 0)
			break;
	return i;
}

static int parse_collector(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;
	struct agent_conf *c = p->c;
	struct host_port *a = &c->collector[c->n_collectors];
	const char *err;
	size_t dup;
	char msg[48];

	if (c->n_collectors == CONF_COLLECTORS_MAX)
		return kv_bad(f, "collector", "more than 4 collectors", NULL);
	if ((err = host_port_parse(v, strlen(v), a)))
		return kv_bad(f, "collector", err, v);
	if ((dup = addr_find(c->collector, c->n_collectors, a)) < c->n_collectors) {
		snprintf(msg, sizeof msg, "same as line %u:", p->collector_line[dup]);
		return kv_bad(f, "collector", msg, v);
	}
	p->collector_line[c->n_collectors++] = f->line;
	return 0;
}

static int parse_path(struct kv_file *f, const char *key, char *dst, const char *v)
{
	if (v[0] != '/')
		return kv_bad(f, key, "not an absolute path:", v);
	if (strlen(v) >= CONF_PATH_MAX)
		return kv_bad(f, key, "path longer than 127 bytes:", v);
	strcpy(dst, v);
	return 0;
}

static int set_ca(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;

	return parse_path(f, "ca", p->c->ca, v);
}

static int set_cert(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;

	return parse_path(f, "cert", p->c->cert, v);
}

static int set_key(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;

	return parse_path(f, "key", p->c->key, v);
}

static int parse_interval(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;
	size_t n = strlen(v);
	unsigned s = 0;

	if (n == 0 || n > 4 || strspn(v, DIGIT) != n)
		return kv_bad(f, "interval", "must be 1-3600 seconds, not", v);
	for (size_t i = 0; i < n; i++)
		s = s * 10 + (unsigned)(v[i] - '0');
	if (s < 1 || s > MAX_INTERVAL_S)
		return kv_bad(f, "interval", "must be 1-3600 seconds, not", v);
	p->c->interval_s = s;
	return 0;
}

static int parse_buffer(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;
	size_t n = strspn(v, DIGIT);
	unsigned long long b = 0;
	unsigned shift = 0;

	if (v[n] == 'K')
		shift = 10;
	else if (v[n] == 'M')
		shift = 20;
	if (n == 0 || n > 9 || v[n + (shift != 0)] != '\0')
		return kv_bad(f, "buffer", "must be 64K-256M (bytes, or with K or M), not", v);
	for (size_t i = 0; i < n; i++)
		b = b * 10 + (unsigned)(v[i] - '0');
	b <<= shift;
	if (b < MIN_BUFFER || b > MAX_BUFFER)
		return kv_bad(f, "buffer", "must be 64K-256M (bytes, or with K or M), not", v);
	p->c->buffer_bytes = (size_t)b;
	return 0;
}

static int parse_order(struct kv_file *f, char *v)
{
	struct parse *p = f->ctx;

	if (strcmp(v, "spread") == 0)
		p->c->order = COLLECTORS_SPREAD;
	else if (strcmp(v, "ordered") == 0)
		p->c->order = COLLECTORS_ORDERED;
	else
		return kv_bad(f, "collectors", "must be spread or ordered, not", v);
	return 0;
}

static const struct kv_key keys[] = {
	{ "collector", parse_collector, KV_REPEAT | KV_VALUE },
	{ "ca", set_ca, KV_VALUE },
	{ "cert", set_cert, KV_VALUE },
	{ "key", set_key, KV_VALUE },
	{ "interval", parse_interval, KV_VALUE },
	{ "buffer", parse_buffer, KV_VALUE },
	{ "collectors", parse_order, KV_VALUE },
};

static const struct kv_table table = {
	keys, sizeof keys / sizeof keys[0], LINE_MAX_LEN, CONF_FILE_MAX
};

int agent_conf_parse(const char *path, const char *text, size_t len, struct agent_conf *c,
		     char *why)
{
	struct parse p = { .c = c };
	struct kv_file f = { .t = &table, .name = path, .why = why, .why_cap = CONF_REASON_MAX,
			     .ctx = &p };

	memset(c, 0, sizeof *c);
	c->interval_s = DEFAULT_INTERVAL_S;
	c->buffer_bytes = DEFAULT_BUFFER;
	c->order = COLLECTORS_SPREAD;
	if (kv_parse(&f, text, len) < 0)
		return -1;
	if (!kv_given(&f, "ca"))
		return kv_bad(&f, "ca", "missing", NULL);
	if (!kv_given(&f, "cert"))
		return kv_bad(&f, "cert", "missing", NULL);
	if (!kv_given(&f, "key"))
		return kv_bad(&f, "key", "missing", NULL);
	return 0;
}

int agent_conf_cmdline(const char *cmdline, struct agent_conf *c, char *why)
{
	struct host_port list[CONF_COLLECTORS_MAX];
	char v[CMDLINE_VALUE_MAX] = "";
	int found = cmdline_find(cmdline, CMDLINE_KEY, v, sizeof v);
	size_t len = strlen(v), n = 0;
	const char *end = v + len;

	if (found == 0)
		return 0;
	if (found < 0) {
		snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "=: longer than %d bytes",
			 CMDLINE_VALUE_MAX - 1);
		return -1;
	}
	for (const char *s = v; s <= end; n++) {
		const char *comma = memchr(s, ',', (size_t)(end - s)), *err;
		size_t alen = (size_t)((comma ? comma : end) - s);

		if (n == CONF_COLLECTORS_MAX) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "=%.*s: more than 4 collectors",
				 len > 60 ? 60 : (int)len, v);
			return -1;
		}
		if ((err = host_port_parse(s, alen, &list[n]))) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "=%.*s: %s '%.*s'",
				 len > 60 ? 60 : (int)len, v, err, alen > 60 ? 60 : (int)alen, s);
			return -1;
		}
		if (addr_find(list, n, &list[n]) < n) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "=%.*s: given twice: '%.*s'",
				 len > 60 ? 60 : (int)len, v, alen > 60 ? 60 : (int)alen, s);
			return -1;
		}
		s += alen + 1;
	}
	memcpy(c->collector, list, n * sizeof list[0]);
	c->n_collectors = n;
	return 0;
}
