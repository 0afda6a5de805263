#include "kv_file.h"

#include <stdio.h>
#include <string.h>

#include "text.h"

int kv_bad(struct kv_file *f, const char *key, const char *reason, const char *detail)
{
	char where[16] = "";

	if (f->line)
		snprintf(where, sizeof where, ":%u", f->line);
	snprintf(f->why, f->why_cap, "%s%s: %s%s%s%s%.60s%s", f->name, where, key ? key : "",
		 key ? ": " : "", reason, detail ? " '" : "", detail ? detail : "",
		 detail ? "'" : "");
	return -1;
}

/* The index of key name in the table, or -1. */
static int find(const struct kv_table *t, const char *name)
{
	for (size_t i = 0; i < t->n_keys && i < KV_KEYS_MAX; i++)
		if (strcmp(t->keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

int kv_given(const struct kv_file *f, const char *name)
{
	int i = find(f->t, name);

	return i >= 0 && (f->seen & UINT32_C(1) << i);
}

static int set(struct kv_file *f, const char *key, char *value)
{
	int i = find(f->t, key);
	const struct kv_key *k;

	if (i < 0)
		return kv_bad(f, key, "unknown key", NULL);
	k = &f->t->keys[i];
	if ((f->seen & UINT32_C(1) << i) && !(k->flags & KV_REPEAT))
		return kv_bad(f, key, "given twice", NULL);
	f->seen |= UINT32_C(1) << i;
	if (value[0] == '\0' && (k->flags & KV_VALUE))
		return kv_bad(f, key, "no value", NULL);
	return k->set(f, value);
}

static int parse_line(struct kv_file *f, char *line)
{
	char *eq, *key;

	line = text_trim(line);
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (!(eq = strchr(line, '=')))
		return kv_bad(f, NULL, "expected key = value", NULL);
	*eq = '\0';
	key = text_trim(line);
	if (key[0] == '\0')
		return kv_bad(f, NULL, "expected key = value", NULL);
	return set(f, key, text_trim(eq + 1));
}

int kv_parse(struct kv_file *f, const char *text, size_t len)
{
	char line[KV_LINE_MAX], reason[48];
	size_t line_max = f->t->line_max < sizeof line ? f->t->line_max : sizeof line;

	f->line = 0;
	f->seen = 0;
	if (len > f->t->file_max) {
		snprintf(reason, sizeof reason, "larger than %zu bytes", f->t->file_max);
		return kv_bad(f, NULL, reason, NULL);
	}
	if (memchr(text, '\0', len))
		return kv_bad(f, NULL, "NUL byte in file", NULL);
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl ? (size_t)(nl - text) : len) - at;

		f->line++;
		if (n >= line_max) {
			snprintf(reason, sizeof reason, "line longer than %zu bytes", line_max - 1);
			return kv_bad(f, NULL, reason, NULL);
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		if (parse_line(f, line))
			return -1;
		at += n + 1;
	}
	f->line = 0;
	return 0;
}
