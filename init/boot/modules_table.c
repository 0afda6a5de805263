#include "modules_table.h"

#include <stdio.h>
#include <string.h>

#include "power.h"
#include "text.h"

static int bad(char *why, const char *file, int line, const char *what)
{
	snprintf(why, REASON_MAX, "%s line %d: %s", file, line, what);
	return -1;
}

/* Index of the module file s[len] in t->files, or -1. */
static int module_index(const struct module_table *t, const char *s, size_t len)
{
	for (int i = 0; i < t->files.count; i++)
		if (strlen(t->files.name[i]) == len && memcmp(t->files.name[i], s, len) == 0)
			return i;
	return -1;
}

/* Calls each(t, line, n, lineno, why) for every line of text[len]. */
typedef int line_fn(struct module_table *t, const char *line, size_t n, int lineno, char *why);

static int each_line(struct module_table *t, const char *text, size_t len, line_fn *each, char *why)
{
	int lineno = 0;

	for (size_t pos = 0; pos < len; lineno++) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;

		if (each(t, line, n, lineno + 1, why))
			return -1;
		pos += n + 1;
	}
	return 0;
}

static int alias_line(struct module_table *t, const char *line, size_t n, int lineno, char *why)
{
	const char *sp = memchr(line, ' ', n);
	size_t plen = sp ? (size_t)(sp - line) : 0;
	int m = sp ? module_index(t, sp + 1, n - plen - 1) : -1;

	if (!sp || plen == 0 || plen >= MODULE_PATTERN_MAX || memchr(line, '\0', n))
		return bad(why, MODULE_ALIAS_LIST, lineno, "not PATTERN FILE.ko");
	if (m < 0)
		return bad(why, MODULE_ALIAS_LIST, lineno, "a module not in load.list");
	if (t->n_alias == MODULE_ALIASES_MAX)
		return bad(why, MODULE_ALIAS_LIST, lineno, "too many aliases");
	memcpy(t->alias[t->n_alias].pattern, line, plen);
	t->alias[t->n_alias].pattern[plen] = '\0';
	t->alias[t->n_alias++].module = (unsigned char)m;
	return 0;
}

/* "FILE.ko DEP.ko ...": the first word is the module, the rest it needs. */
static int deps_line(struct module_table *t, const char *line, size_t n, int lineno, char *why)
{
	int self = -1;

	for (size_t at = 0; at < n;) {
		const char *sp = memchr(line + at, ' ', n - at);
		size_t w = sp ? (size_t)(sp - (line + at)) : n - at;
		int m = module_index(t, line + at, w);

		if (m < 0)
			return bad(why, MODULE_DEPS_LIST, lineno, "a module not in load.list");
		if (self < 0)
			self = m;
		else if (m == self)
			return bad(why, MODULE_DEPS_LIST, lineno, "a module needs itself");
		else
			t->deps[self] |= 1ull << m;
		at += w + 1;
	}
	return self < 0 ? bad(why, MODULE_DEPS_LIST, lineno, "empty line") : 0;
}

/* "FILE.ko": into *set. */
static int name_line(struct module_table *t, const char *line, size_t n, int lineno,
		     const char *file, uint64_t *set, char *why)
{
	int m = module_index(t, line, n);

	if (m < 0)
		return bad(why, file, lineno, "a module not in load.list");
	*set |= 1ull << m;
	return 0;
}

static int always_line(struct module_table *t, const char *line, size_t n, int lineno, char *why)
{
	return name_line(t, line, n, lineno, MODULE_ALWAYS_LIST, &t->always, why);
}

static int late_line(struct module_table *t, const char *line, size_t n, int lineno, char *why)
{
	if (name_line(t, line, n, lineno, MODULE_LATE_LIST, &t->late, why))
		return -1;
	if (t->late & t->always)
		return bad(why, MODULE_LATE_LIST, lineno, "a module always.list loads before the root");
	return 0;
}

int module_table_aliases(struct module_table *t, const char *text, size_t len, char *why)
{
	t->n_alias = 0;
	return each_line(t, text, len, alias_line, why);
}

int module_table_deps(struct module_table *t, const char *text, size_t len, char *why)
{
	memset(t->deps, 0, sizeof t->deps);
	return each_line(t, text, len, deps_line, why);
}

int module_table_always(struct module_table *t, const char *text, size_t len, char *why)
{
	t->always = 0;
	return each_line(t, text, len, always_line, why);
}

int module_table_late(struct module_table *t, const char *text, size_t len, char *why)
{
	t->late = 0;
	return each_line(t, text, len, late_line, why);
}

void module_table_buses(const struct module_table *t, uint64_t skip, char *out, size_t cap)
{
	size_t len;

	if (cap < 4)
		return;
	strcpy(out, "pci");
	len = 3;
	for (size_t a = 0; a < t->n_alias; a++) {
		const char *p = t->alias[a].pattern;
		size_t n = strcspn(p, ":*?[");
		char bus[MODULE_PATTERN_MAX];

		if (skip >> t->alias[a].module & 1 || n == 0)
			continue;
		memcpy(bus, p, n);
		bus[n] = '\0';
		if (text_word_in(out, bus) || len + 1 + n >= cap)
			continue;
		out[len++] = ' ';
		memcpy(out + len, bus, n + 1);
		len += n;
	}
}

/* [set] at p (past its '['): 1 if c is in it, with *end past the ']';
 * -1 if the set does not close. Ranges a-z; '!' or '^' first negates. */
static int in_set(const char *p, char c, const char **end)
{
	int neg = *p == '!' || *p == '^', in = 0;

	p += neg;
	for (const char *q = p; *q; q++) {
		if (*q == ']' && q > p) {
			*end = q + 1;
			return in != neg;
		}
		if (q[1] == '-' && q[2] && q[2] != ']') {
			in |= c >= q[0] && c <= q[2];
			q += 2;
		} else {
			in |= c == *q;
		}
	}
	return -1;
}

/* fnmatch(3) without flags, for modalias globs ('*', '?', '[...]'): no
 * locale, and bounded: a '*' is tried at each later position once, and
 * the text is at most DEVICE_ALIAS_MAX long. */
int module_glob(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL, *end;

	while (*s) {
		int m = -2;

		if (*p == '*') {
			star = ++p;
			resume = s;
			continue;
		}
		if (*p == '?')
			m = 1, end = p + 1;
		else if (*p == '[')
			m = in_set(p + 1, *s, &end);
		else if (*p)
			m = *p == *s, end = p + 1;
		if (m == 1) {
			p = end;
			s++;
		} else if (star) {
			p = star;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* wanted and all it needs, to a fixed point (at most 64 rounds). */
static uint64_t closure(const struct module_table *t, uint64_t wanted)
{
	for (int round = 0; round < MODULES_MAX; round++) {
		uint64_t more = wanted;

		for (int i = 0; i < t->files.count; i++)
			if (wanted >> i & 1)
				more |= t->deps[i];
		if (more == wanted)
			break;
		wanted = more;
	}
	return wanted;
}

uint64_t module_table_wanted(const struct module_table *t, const char *const *modalias, size_t n,
			     uint64_t skip, unsigned char *matched)
{
	uint64_t wanted = t->always;

	for (size_t k = 0; k < n; k++) {
		matched[k] = 0;
		for (size_t a = 0; a < t->n_alias; a++) {
			if (!module_glob(t->alias[a].pattern, modalias[k]))
				continue;
			wanted |= (1ull << t->alias[a].module) & ~skip;
			matched[k] = 1;
		}
	}
	return closure(t, wanted);
}

uint64_t module_table_ready(const struct module_table *t, uint64_t wanted, uint64_t loaded)
{
	uint64_t ready = 0;

	for (int i = 0; i < t->files.count; i++)
		if ((wanted & ~loaded) >> i & 1 && (t->deps[i] & ~loaded) == 0)
			ready |= 1ull << i;
	return ready;
}
