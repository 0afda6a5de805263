#include "image_expect.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

static int wild(const char *p, size_t n)
{
	return n == 1 && (p[0] == '*' || p[0] == '-');
}

/* roothash: 64 or 128 hex digits, kept lowercase. */
static int roothash_copy(char *out, const char *p, size_t n)
{
	return n == 64 || n == IMAGE_ROOTHASH_MAX ? image_hex_copy(out, p, n) : -1;
}

/* The field as the message quotes it: at most 80 bytes, any byte that is
 * not printable ASCII as '?'. */
static const char *quote(const char *p, size_t n, char out[84])
{
	size_t k = n < 80 ? n : 80;

	for (size_t i = 0; i < k; i++)
		out[i] = p[i] > 0x20 && p[i] < 0x7f ? p[i] : '?';
	memcpy(out + k, n > k ? "..." : "", n > k ? 4 : 1);
	return out;
}

/* One line, comment and all: 0 and an entry in x (or none for a blank
 * line), or -1 with what is wrong in what. */
static int line(struct image_expect *x, const char *p, size_t n, char *what, size_t whatlen)
{
	const char *f[3], *hash;
	size_t fn[3], k = 0, i = 0;
	struct image_expect_entry *e;
	char q[84];

	if (n > IMAGE_EXPECT_LINE_MAX) {
		snprintf(what, whatlen, "line longer than %d bytes", IMAGE_EXPECT_LINE_MAX);
		return -1;
	}
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)p[j];

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(what, whatlen, "control character 0x%02x at column %zu", c, j + 1);
			return -1;
		}
	}
	hash = memchr(p, '#', n);
	if (hash)
		n = (size_t)(hash - p);
	for (;;) {
		while (i < n && blank(p[i]))
			i++;
		if (i == n)
			break;
		if (k == 3) {
			snprintf(what, whatlen, "more than three fields (want VERSION ROOTHASH PCR11)");
			return -1;
		}
		f[k] = p + i;
		while (i < n && !blank(p[i]))
			i++;
		fn[k] = (size_t)(p + i - f[k]);
		k++;
	}
	if (k == 0)
		return 0;
	if (k < 3) {
		snprintf(what, whatlen, "%zu field%s, want three: VERSION ROOTHASH PCR11", k,
			 k == 1 ? "" : "s");
		return -1;
	}
	if (x->n == IMAGE_EXPECT_MAX) {
		snprintf(what, whatlen, "more than %d images", IMAGE_EXPECT_MAX);
		return -1;
	}
	e = &x->e[x->n];
	if (!wild(f[0], fn[0]) && !image_version_ok(f[0], fn[0])) {
		snprintf(what, whatlen, "version '%s': want 1 to %d of A-Z a-z 0-9 . _ ~ + - (a letter "
			 "or digit first), or - or *", quote(f[0], fn[0], q), IMAGE_VERSION_MAX);
		return -1;
	}
	if (!wild(f[1], fn[1]) && roothash_copy(e->roothash, f[1], fn[1]) < 0) {
		snprintf(what, whatlen, "roothash '%s': want 64 or 128 hex digits, or - or *",
			 quote(f[1], fn[1], q));
		return -1;
	}
	if (!wild(f[2], fn[2]) && image_pcr_copy(e->pcr11, f[2], fn[2]) < 0) {
		snprintf(what, whatlen, "pcr11 '%s': want %d hex digits, or - or *",
			 quote(f[2], fn[2], q), IMAGE_PCR_HEX);
		return -1;
	}
	memcpy(e->version, f[0], fn[0]);
	e->version[fn[0]] = '\0';
	if (wild(f[1], fn[1]))
		memcpy(e->roothash, f[1][0] == '*' ? "*" : "-", 2);
	if (wild(f[2], fn[2]))
		memcpy(e->pcr11, f[2][0] == '*' ? "*" : "-", 2);
	x->n++;
	return 0;
}

int image_expect_parse(struct image_expect *x, const char *name, const char *text, size_t len,
		       char *why, size_t whylen)
{
	char what[200];
	size_t lineno = 0;

	x->n = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;

		lineno++;
		if (line(x, text + at, n, what, sizeof what) < 0) {
			snprintf(why, whylen, "%s:%zu: %s", name, lineno, what);
			x->n = 0;
			return -1;
		}
		at += n + (nl != NULL);
	}
	if (x->n == 0) {
		snprintf(why, whylen, "%s: no image listed (want lines VERSION ROOTHASH PCR11)", name);
		return -1;
	}
	return 0;
}

int image_expect_load(struct image_expect *x, const char *path, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *text;
	size_t len = 0;
	int rc;

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(IMAGE_EXPECT_FILE_MAX + 1);
	if (!text) {
		close(fd);
		snprintf(why, whylen, "%s: out of memory", path);
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, text + len, IMAGE_EXPECT_FILE_MAX + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
			rc = -1;
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > IMAGE_EXPECT_FILE_MAX) {
			snprintf(why, whylen, "%s: larger than %d bytes", path, IMAGE_EXPECT_FILE_MAX);
			rc = -1;
			goto out;
		}
	}
	rc = image_expect_parse(x, path, text, len, why, whylen);
out:
	free(text);
	close(fd);
	return rc;
}

static int field(const char *pat, const char *val, int nocase)
{
	if (strcmp(pat, "*") == 0)
		return 1;
	if (strcmp(pat, "-") == 0)
		return val[0] == '\0';
	return (nocase ? strcasecmp(pat, val) : strcmp(pat, val)) == 0;
}

int image_expect_match(const struct image_expect *x, const char *version, const char *roothash,
		       const char *pcr11)
{
	for (size_t i = 0; i < x->n; i++)
		if (field(x->e[i].version, version, 0) && field(x->e[i].roothash, roothash, 1) &&
		    field(x->e[i].pcr11, pcr11, 1))
			return 1;
	return 0;
}
