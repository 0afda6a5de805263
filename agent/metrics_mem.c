/* /proc/meminfo: "Key:   VALUE [kB]" lines, each a gauge named as
 * node_exporter names it: "(x)" in a key becomes "_x" (Active(anon) is
 * node_memory_Active_anon_bytes), a kB value is bytes with "_bytes",
 * a count (HugePages_Total) stays as it is. */
#include <string.h>

#include "metrics_parse.h"

#define NAME_MAX_LEN 96

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* "node_memory_" KEY ["_bytes"] into name[NAME_MAX_LEN]; 0 if too long. */
static int metric_name(char *name, const char *key, size_t n, int bytes)
{
	static const char prefix[] = "node_memory_";
	size_t o = sizeof prefix - 1;

	memcpy(name, prefix, o);
	for (size_t i = 0; i < n; i++) {
		if (o + 8 >= NAME_MAX_LEN)
			return 0;
		if (key[i] == '(')
			name[o++] = '_';
		else if (key[i] != ')')
			name[o++] = name_char(key[i]) ? key[i] : '_';
	}
	if (bytes) {
		memcpy(name + o, "_bytes", 6);
		o += 6;
	}
	name[o] = '\0';
	return 1;
}

void metrics_mem_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char name[NAME_MAX_LEN];
	const char *key, *w;
	size_t n;
	uint64_t v;

	while (mtext_line(&t, &l)) {
		if ((n = mtext_word(&l, &key)) < 2 || key[n - 1] != ':')
			continue;
		if (!mtext_next_u64(&l, &v))
			continue;
		if (mtext_word(&l, &w) == 2 && memcmp(w, "kB", 2) == 0) {
			if (metric_name(name, key, n - 1, 1))
				sink(ctx, name, NULL, 0, (double)v * 1024);
		} else if (metric_name(name, key, n - 1, 0)) {
			sink(ctx, name, NULL, 0, (double)v);
		}
	}
}

void metrics_mem(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text = metrics_read("/proc/meminfo", &len);

	if (text)
		metrics_mem_parse(text, len, sink, ctx);
}
