/* libFuzzer target: any bytes as the "samples" text of a record's JSON
 * line, into the metrics store, then rendered. Nothing may crash or
 * overrun; every sample of a valid array is counted exactly once (stored,
 * bad or dropped), and nothing at all for a text that is not one; the
 * exposition stays valid: each line a # HELP or # TYPE line, or
 * name{instance="h",label="escaped value",...} value with instance once
 * and first (the collector's own stele_collector_* without labels). Each
 * input starts from an empty store. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_in.h"
#include "../../collector/metrics.h"	/* not agent/metrics.h */

static struct metrics m;
static char out[8 << 20];

static int name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       (!first && c >= '0' && c <= '9');
}

/* One series line p[0..n) (without its newline). */
static void check_series(const char *p, size_t n)
{
	static const char inst[] = "{instance=\"h\"";
	size_t i = 0;

	while (i < n && name_char(p[i], i == 0))
		i++;
	if (i == 0 || n - i < sizeof inst - 1 || memcmp(p + i, inst, sizeof inst - 1) != 0)
		abort();
	i += sizeof inst - 1;
	while (i < n && p[i] == ',') {
		size_t k = ++i;

		while (i < n && name_char(p[i], i == k) && p[i] != ':')
			i++;
		if (i == k || (i - k == 8 && memcmp(p + k, "instance", 8) == 0))
			abort();
		if (n - i < 2 || p[i] != '=' || p[i + 1] != '"')
			abort();
		for (i += 2; i < n && p[i] != '"'; i++) {
			if (p[i] == '\\' && (i + 1 == n || !strchr("\\\"n", p[++i])))
				abort();
		}
		if (i++ == n)
			abort();
	}
	if (n - i < 3 || p[i] != '}' || p[i + 1] != ' ')
		abort();
	for (i += 2; i < n; i++)
		if (p[i] == ' ' || p[i] == '{' || p[i] == '}' || p[i] == '"')
			abort();
}

static void check_exposition(const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t len;

		if (!nl)
			abort();	/* every line ends in a newline */
		len = (size_t)(nl - p);
		if (len >= 7 && (memcmp(p, "# HELP ", 7) == 0 || memcmp(p, "# TYPE ", 7) == 0)) {
			if (memchr(p, '\r', len))
				abort();
		} else if (len > 16 && memcmp(p, "stele_collector_", 16) == 0) {
			if (memchr(p, '{', len))
				abort();	/* the collector's own: no labels */
		} else {
			check_series(p, len);
		}
		n -= len + 1;
		p = nl + 1;
	}
}

/* The number of elements, if s[n] is one valid JSON array; else -1. */
static long elements(const char *s, size_t n)
{
	struct json_val a, e;
	struct json_iter it;
	const char *why;
	long k = 0;

	if (json_parse(s, n, &a, &why) < 0 || a.type != JSON_ARRAY)
		return -1;
	json_iter_init(&it, &a);
	while (json_array_next(&it, &e))
		k++;
	return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct collector_stats st = { 0 };
	struct jbuf b = { out, 0, sizeof out, 0 };
	uint64_t before;
	long k;

	if (!m.host && metrics_init(&m) < 0)
		abort();
	m.expiry_ms = 1;
	metrics_expire(&m, 1u << 30);	/* every host leaves */
	if (m.n_hosts != 0)
		abort();
	before = m.samples + m.bad_samples + m.dropped;
	metrics_update_json(&m, "h", (const char *)data, size, 0);
	k = elements((const char *)data, size);
	if (m.samples + m.bad_samples + m.dropped - before != (uint64_t)(k < 0 ? 0 : k))
		abort();
	if (m.n_hosts != (k < 0 ? 0u : 1u))
		abort();
	if (metrics_render(&m, &st, &b) < 0)
		abort();
	check_exposition(out, b.len);
	return 0;
}
