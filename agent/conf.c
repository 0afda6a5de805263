#include "conf.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

#define CONF_FILE_MAX 16384
#define LINE_MAX_LEN 512
#define DEFAULT_INTERVAL_S 10
#define MAX_INTERVAL_S 3600
#define DEFAULT_BUFFER (8u << 20)
#define MIN_BUFFER (64u << 10)
#define MAX_BUFFER (256u << 20)
#define CMDLINE_KEY "stele.collector="

#define DIGIT "0123456789"
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" DIGIT

struct parse {
	const char *path;
	char *why;
	unsigned line;
	unsigned seen;			/* bits of keys given once already */
	unsigned collector_line[CONF_COLLECTORS_MAX];
	struct agent_conf *c;
};

/* "PATH:LINE: key: reason"; line 0 is the file as a whole. */
static int bad(struct parse *p, const char *key, const char *reason, const char *detail)
{
	char where[16] = "";

	if (p->line)
		snprintf(where, sizeof where, ":%u", p->line);
	snprintf(p->why, CONF_REASON_MAX, "%s%s: %s%s%s%s%.60s%s", p->path, where,
		 key ? key : "", key ? ": " : "", reason, detail ? " '" : "",
		 detail ? detail : "", detail ? "'" : "");
	return -1;
}

static int ip4_ok(const char *s)
{
	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t n = strspn(s, DIGIT);

		if (n == 0 || n > 3 || (n > 1 && s[0] == '0'))
			return 0;
		for (size_t i = 0; i < n; i++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (v > 255)
			return 0;
		s += n;
		if (part < 3 && *s++ != '.')
			return 0;
	}
	return *s == '\0';
}

/* RFC 1123 host name: dot-separated labels of letters, digits and '-',
 * each 1-63 long, not starting or ending with '-'. */
static int dns_ok(const char *s)
{
	size_t total = strlen(s);

	if (total == 0 || total >= CONF_HOST_MAX)
		return 0;
	for (;;) {
		size_t n = strspn(s, ALNUM "-");

		if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
			return 0;
		s += n;
		if (*s == '\0')
			return 1;
		if (*s++ != '.')
			return 0;
	}
}

/* All digits and dots: an IPv4 literal; else a DNS name. */
static int host_ok(const char *s)
{
	return s[strspn(s, DIGIT ".")] == '\0' ? ip4_ok(s) : dns_ok(s);
}

/* HOST:PORT[/NAME] in s[len]. Returns NULL or what is wrong. */
static const char *addr_parse(const char *s, size_t len, struct collector_addr *a)
{
	const char *colon = memchr(s, ':', len), *slash = memchr(s, '/', len);
	size_t hlen, plen, nlen;
	unsigned long port = 0;

	if (!colon || (slash && slash < colon))
		return "expected HOST:PORT[/NAME], not";
	hlen = (size_t)(colon - s);
	plen = (size_t)((slash ? slash : s + len) - colon - 1);
	nlen = slash ? (size_t)(s + len - slash - 1) : 0;
	if (hlen == 0)
		return "no host in";
	if (hlen >= sizeof a->host)
		return "host name too long in";
	memcpy(a->host, s, hlen);
	a->host[hlen] = '\0';
	if (!host_ok(a->host))
		return a->host[strspn(a->host, DIGIT ".")] ? "bad host name in" : "bad IPv4 address in";
	for (size_t i = 0; i < plen; i++) {
		if (colon[1 + i] < '0' || colon[1 + i] > '9' || port > 65535)
			return "port must be 1-65535 in";
		port = port * 10 + (unsigned long)(colon[1 + i] - '0');
	}
	if (port == 0 || port > 65535)
		return "port must be 1-65535 in";
	a->port = (uint16_t)port;
	if (!slash) {
		memcpy(a->name, a->host, hlen + 1);
		return NULL;
	}
	if (nlen == 0 || nlen >= sizeof a->name)
		return "bad server name in";
	memcpy(a->name, slash + 1, nlen);
	a->name[nlen] = '\0';
	if (!host_ok(a->name))
		return "bad server name in";
	return NULL;
}

/* Index of an earlier collector with the same host and port, or n. */
static size_t addr_find(const struct collector_addr *list, size_t n, const struct collector_addr *a)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i].port == a->port && strcmp(list[i].host, a->host) == 0)
			break;
	return i;
}

static int parse_collector(struct parse *p, const char *v)
{
	struct agent_conf *c = p->c;
	struct collector_addr *a = &c->collector[c->n_collectors];
	const char *err;
	size_t dup;
	char msg[48];

	if (c->n_collectors == CONF_COLLECTORS_MAX)
		return bad(p, "collector", "more than 4 collectors", NULL);
	if ((err = addr_parse(v, strlen(v), a)))
		return bad(p, "collector", err, v);
	if ((dup = addr_find(c->collector, c->n_collectors, a)) < c->n_collectors) {
		snprintf(msg, sizeof msg, "same as line %u:", p->collector_line[dup]);
		return bad(p, "collector", msg, v);
	}
	p->collector_line[c->n_collectors++] = p->line;
	return 0;
}

static int parse_path(struct parse *p, const char *key, char *dst, const char *v)
{
	if (v[0] != '/')
		return bad(p, key, "not an absolute path:", v);
	if (strlen(v) >= CONF_PATH_MAX)
		return bad(p, key, "path longer than 127 bytes:", v);
	strcpy(dst, v);
	return 0;
}

static int parse_interval(struct parse *p, const char *v)
{
	size_t n = strlen(v);
	unsigned s = 0;

	if (n == 0 || n > 4 || strspn(v, DIGIT) != n)
		return bad(p, "interval", "must be 1-3600 seconds, not", v);
	for (size_t i = 0; i < n; i++)
		s = s * 10 + (unsigned)(v[i] - '0');
	if (s < 1 || s > MAX_INTERVAL_S)
		return bad(p, "interval", "must be 1-3600 seconds, not", v);
	p->c->interval_s = s;
	return 0;
}

static int parse_buffer(struct parse *p, const char *v)
{
	size_t n = strspn(v, DIGIT);
	unsigned long long b = 0;
	unsigned shift = 0;

	if (v[n] == 'K')
		shift = 10;
	else if (v[n] == 'M')
		shift = 20;
	if (n == 0 || n > 9 || v[n + (shift != 0)] != '\0')
		return bad(p, "buffer", "must be 64K-256M (bytes, or with K or M), not", v);
	for (size_t i = 0; i < n; i++)
		b = b * 10 + (unsigned)(v[i] - '0');
	b <<= shift;
	if (b < MIN_BUFFER || b > MAX_BUFFER)
		return bad(p, "buffer", "must be 64K-256M (bytes, or with K or M), not", v);
	p->c->buffer_bytes = (size_t)b;
	return 0;
}

static int parse_order(struct parse *p, const char *v)
{
	if (strcmp(v, "spread") == 0)
		p->c->order = COLLECTORS_SPREAD;
	else if (strcmp(v, "ordered") == 0)
		p->c->order = COLLECTORS_ORDERED;
	else
		return bad(p, "collectors", "must be spread or ordered, not", v);
	return 0;
}

/* Keys that may appear once; the index is the bit in parse.seen. */
static const char *const once[] = { "ca", "cert", "key", "interval", "buffer", "collectors" };
enum { SEEN_CA = 1u << 0, SEEN_CERT = 1u << 1, SEEN_KEY = 1u << 2 };

static int parse_key(struct parse *p, const char *key, char *v)
{
	struct agent_conf *c = p->c;

	for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
		if (strcmp(key, once[i]) != 0)
			continue;
		if (p->seen & 1u << i)
			return bad(p, key, "given twice", NULL);
		p->seen |= 1u << i;
	}
	if (v[0] == '\0')
		return bad(p, key, "no value", NULL);
	if (strcmp(key, "collector") == 0)
		return parse_collector(p, v);
	if (strcmp(key, "ca") == 0)
		return parse_path(p, key, c->ca, v);
	if (strcmp(key, "cert") == 0)
		return parse_path(p, key, c->cert, v);
	if (strcmp(key, "key") == 0)
		return parse_path(p, key, c->key, v);
	if (strcmp(key, "interval") == 0)
		return parse_interval(p, v);
	if (strcmp(key, "buffer") == 0)
		return parse_buffer(p, v);
	if (strcmp(key, "collectors") == 0)
		return parse_order(p, v);
	return bad(p, key, "unknown key", NULL);
}

static int parse_line(struct parse *p, char *line)
{
	char *eq, *key;

	line = text_trim(line);
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (!(eq = strchr(line, '=')))
		return bad(p, NULL, "expected key = value", NULL);
	*eq = '\0';
	key = text_trim(line);
	if (key[0] == '\0')
		return bad(p, NULL, "expected key = value", NULL);
	return parse_key(p, key, text_trim(eq + 1));
}

int agent_conf_parse(const char *path, const char *text, size_t len, struct agent_conf *c,
		     char *why)
{
	struct parse p = { .path = path, .why = why, .c = c };
	char line[LINE_MAX_LEN];

	memset(c, 0, sizeof *c);
	c->interval_s = DEFAULT_INTERVAL_S;
	c->buffer_bytes = DEFAULT_BUFFER;
	c->order = COLLECTORS_SPREAD;
	if (len > CONF_FILE_MAX)
		return bad(&p, NULL, "larger than 16384 bytes", NULL);
	if (memchr(text, '\0', len))
		return bad(&p, NULL, "NUL byte in file", NULL);

	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;

		p.line++;
		if (n >= sizeof line)
			return bad(&p, NULL, "line longer than 511 bytes", NULL);
		memcpy(line, text + at, n);
		line[n] = '\0';
		if (parse_line(&p, line))
			return -1;
		at += n + 1;
	}
	p.line = 0;
	if (!(p.seen & SEEN_CA))
		return bad(&p, "ca", "missing", NULL);
	if (!(p.seen & SEEN_CERT))
		return bad(&p, "cert", "missing", NULL);
	if (!(p.seen & SEEN_KEY))
		return bad(&p, "key", "missing", NULL);
	return 0;
}

/* The value of the last stele.collector= word, quotes removed. */
static const char *cmdline_find(const char *s, size_t *len)
{
	const char *found = NULL;

	while (*s) {
		const char *w, *v;
		int quoted = 0;

		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		w = s;
		for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++)
			if (*s == '"')
				quoted = !quoted;
		v = w + (*w == '"');
		if (strncmp(v, CMDLINE_KEY, strlen(CMDLINE_KEY)) != 0)
			continue;
		v += strlen(CMDLINE_KEY);
		v += *v == '"';
		found = v;
		*len = (size_t)(s - v);
		if (*len && v[*len - 1] == '"')
			--*len;
	}
	return found;
}

int agent_conf_cmdline(const char *cmdline, struct agent_conf *c, char *why)
{
	struct collector_addr list[CONF_COLLECTORS_MAX];
	size_t len = 0, n = 0;
	const char *v = cmdline_find(cmdline, &len), *end;

	if (!v)
		return 0;
	end = v + len;
	for (const char *s = v; s <= end; n++) {
		const char *comma = memchr(s, ',', (size_t)(end - s)), *err;
		size_t alen = (size_t)((comma ? comma : end) - s);

		if (n == CONF_COLLECTORS_MAX) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "%.*s: more than 4 collectors",
				 len > 60 ? 60 : (int)len, v);
			return -1;
		}
		if ((err = addr_parse(s, alen, &list[n]))) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "%.*s: %s '%.*s'",
				 len > 60 ? 60 : (int)len, v, err, alen > 60 ? 60 : (int)alen, s);
			return -1;
		}
		if (addr_find(list, n, &list[n]) < n) {
			snprintf(why, CONF_REASON_MAX, CMDLINE_KEY "%.*s: given twice: '%.*s'",
				 len > 60 ? 60 : (int)len, v, alen > 60 ? 60 : (int)alen, s);
			return -1;
		}
		s += alen + 1;
	}
	memcpy(c->collector, list, n * sizeof list[0]);
	c->n_collectors = n;
	return 0;
}
