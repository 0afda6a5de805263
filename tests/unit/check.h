#ifndef STELE_CHECK_H
#define STELE_CHECK_H

/* A header-only harness for the host unit tests. Every CHECK counts; a
 * failing one prints file:line, the expression and, for the comparing
 * forms, both values (bytes as a hex dump, like BearSSL's check_equals).
 * Checks never abort: one run shows every failure. A test file's main
 * returns check_done(), which prints "FILE: N checks, N failed" and gives
 * the exit status. Everything goes to unbuffered stderr, so the order holds
 * and nothing is lost when a sanitizer aborts the test. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned check_total, check_failed, check_skipped;

/* What the checks that follow are about (a command line, a case name):
 * printed under a failure, so table-driven tests say which row failed. */
static const char *check_what;

static inline int check_result(int ok, const char *file, int line, const char *expr)
{
	check_total++;
	if (ok)
		return 1;
	check_failed++;
	fprintf(stderr, "%s:%d: FAIL: %s\n", file, line, expr);
	if (check_what)
		fprintf(stderr, "    while checking: %s\n", check_what);
	return 0;
}

static inline void check_print_str(const char *label, const char *s)
{
	fprintf(stderr, "    %s: ", label);
	if (!s) {
		fprintf(stderr, "(null)\n");
		return;
	}
	fputc('"', stderr);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"\n");
}

static inline void check_hexdump(const char *label, const unsigned char *p, size_t len)
{
	fprintf(stderr, "    %s (%zu bytes):\n", label, len);
	for (size_t i = 0; i < len; i += 16) {
		fprintf(stderr, "      %04zx:", i);
		for (size_t j = i; j < i + 16 && j < len; j++)
			fprintf(stderr, " %02x", p[j]);
		fputc('\n', stderr);
	}
}

static inline int check_str(const char *file, int line, const char *expr,
			    const char *expected, const char *actual)
{
	int ok = expected && actual && strcmp(expected, actual) == 0;

	if (!check_result(ok, file, line, expr)) {
		check_print_str("expected", expected);
		check_print_str("actual  ", actual);
	}
	return ok;
}

static inline int check_has(const char *file, int line, const char *expr,
			    const char *haystack, const char *needle)
{
	int ok = haystack && needle && strstr(haystack, needle) != NULL;

	if (!check_result(ok, file, line, expr)) {
		check_print_str("wanted in", haystack);
		check_print_str("missing  ", needle);
	}
	return ok;
}

static inline int check_mem(const char *file, int line, const char *expr,
			    const void *expected, const void *actual, size_t len)
{
	const unsigned char *e = expected, *a = actual;
	int ok = memcmp(e, a, len) == 0;

	if (!check_result(ok, file, line, expr)) {
		size_t first = 0;

		while (first < len && e[first] == a[first])
			first++;
		fprintf(stderr, "    first difference at offset %zu\n", first);
		check_hexdump("expected", e, len);
		check_hexdump("actual  ", a, len);
	}
	return ok;
}

static inline int check_int(const char *file, int line, const char *expr,
			    long long expected, long long actual)
{
	int ok = expected == actual;

	if (!check_result(ok, file, line, expr))
		fprintf(stderr, "    expected %lld (0x%llx), actual %lld (0x%llx)\n",
			expected, (unsigned long long)expected, actual, (unsigned long long)actual);
	return ok;
}

/* Each returns 1 on success, 0 on failure, so a test can stop early with
 * `if (!CHECK(...)) return;` when the rest would only cascade. */
/* Writes text to dir/name, a checked step of a test's setup. */
static inline void check_write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!check_result(f != NULL, __FILE__, __LINE__, "fopen(path, \"w\")"))
		return;
	fputs(text, f);
	fclose(f);
}

#define CHECK(cond) check_result(!!(cond), __FILE__, __LINE__, #cond)
#define CHECK_STR(expected, actual) \
	check_str(__FILE__, __LINE__, "CHECK_STR(" #expected ", " #actual ")", (expected), (actual))
#define CHECK_MEM(expected, actual, len) \
	check_mem(__FILE__, __LINE__, "CHECK_MEM(" #expected ", " #actual ", " #len ")", \
		  (expected), (actual), (len))
#define CHECK_INT(expected, actual) \
	check_int(__FILE__, __LINE__, "CHECK_INT(" #expected ", " #actual ")", \
		  (long long)(expected), (long long)(actual))
/* A reason string must name the offending key or field, not match a sentence. */
#define CHECK_HAS(haystack, needle) \
	check_has(__FILE__, __LINE__, "CHECK_HAS(" #haystack ", " #needle ")", (haystack), (needle))

/* For checks that need a host tool that is missing: said out loud, counted,
 * and a failure: the build installs every tool a test needs, so a skip
 * means something is wrong, and a skip that passed would prove nothing. */
static inline void check_skip(const char *why)
{
	check_skipped++;
	fprintf(stderr, "SKIP: %s\n", why);
}

/* Finds a host tool for a cross-check, also in the sbin directories a
 * non-root PATH lacks. Returns path (filled in), or NULL: then check_skip. */
static inline const char *check_find_tool(const char *name, char *path, size_t cap)
{
	static const char *const dirs[] = { "/usr/sbin", "/sbin", "/usr/bin", "/bin" };
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	if (system(cmd) == 0) {
		snprintf(path, cap, "%s", name);
		return path;
	}
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, cap, "%s/%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return path;
	}
	return NULL;
}

static inline int check_done_at(const char *file)
{
	fprintf(stderr, "%s: %u checks, %u failed", file, check_total, check_failed);
	if (check_skipped)
		fprintf(stderr, ", %u skipped", check_skipped);
	fprintf(stderr, "\n");
	if (check_total == 0) {
		fprintf(stderr, "%s: no checks ran\n", file);
		return 1;
	}
	return check_failed || check_skipped ? 1 : 0;
}

#define check_done() check_done_at(__FILE__)

#endif
