#include "http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t http_request(char *out, size_t max, const char *method, const char *path, const char *host,
		    const char *const *headers, size_t n_headers)
{
	int k = snprintf(out, max, "%s %s HTTP/1.0\r\nHost: %s\r\n", method, path, host);
	size_t at;

	if (k < 0 || (size_t)k >= max)
		return 0;
	at = (size_t)k;
	for (size_t i = 0; i < n_headers; i++) {
		if (strpbrk(headers[i], "\r\n"))
			return 0;
		k = snprintf(out + at, max - at, "%s\r\n", headers[i]);
		if (k < 0 || (size_t)k >= max - at)
			return 0;
		at += (size_t)k;
	}
	if (max - at < 3)
		return 0;
	memcpy(out + at, "\r\n", 3);
	return at + 2;
}

/* The line at buf[at..n): its length without CR LF (or LF) in *len and the
 * offset after it, or 0 if no LF has arrived yet. */
static size_t next_line(const unsigned char *buf, size_t n, size_t at, size_t *len)
{
	const unsigned char *lf = memchr(buf + at, '\n', n - at);

	if (!lf)
		return 0;
	*len = (size_t)(lf - (buf + at));
	if (*len > 0 && lf[-1] == '\r')
		(*len)--;
	return (size_t)(lf - buf) + 1;
}

static int status_line(const unsigned char *s, size_t len)
{
	int code = 0;

	if (len < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[7] < '0' || s[7] > '9' || s[8] != ' ' ||
	    (len > 12 && s[12] != ' '))
		return -1;
	for (int i = 9; i < 12; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		code = code * 10 + (s[i] - '0');
	}
	return code >= 100 && code <= 599 ? code : -1;
}

static int token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

/* Content-Length: digits only. Past CLEN_HUGE the number stays there, so
 * that it never overflows and is still reported as too large. */
#define CLEN_HUGE 1000000000u
static int content_length(const unsigned char *v, size_t len, size_t *out)
{
	size_t x = 0;

	if (len == 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x >= CLEN_HUGE / 10 ? CLEN_HUGE : x * 10 + (size_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* One "Name: value" line. Returns 0, or -1 with why. */
static int header(const unsigned char *s, size_t len, size_t *clen, int *have_clen, char *why)
{
	const unsigned char *colon = memchr(s, ':', len), *v;
	size_t name_len, vlen, x;

	if (!colon || colon == s) {
		snprintf(why, HTTP_REASON_MAX, "header line without a name: '%.*s'",
			 (int)(len > 40 ? 40 : len), (const char *)s);
		return -1;
	}
	name_len = (size_t)(colon - s);
	for (size_t i = 0; i < name_len; i++)
		if (!token_char(s[i])) {
			snprintf(why, HTTP_REASON_MAX, "bad header name '%.*s'",
				 (int)(name_len > 40 ? 40 : name_len), (const char *)s);
			return -1;
		}
	v = colon + 1;
	vlen = len - name_len - 1;
	while (vlen && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	if (name_len == 17 && strncasecmp((const char *)s, "transfer-encoding", 17) == 0) {
		snprintf(why, HTTP_REASON_MAX, "Transfer-Encoding in a reply to HTTP/1.0");
		return -1;
	}
	if (name_len != 14 || strncasecmp((const char *)s, "content-length", 14) != 0)
		return 0;
	if (content_length(v, vlen, &x) < 0 || (*have_clen && x != *clen)) {
		snprintf(why, HTTP_REASON_MAX, "bad Content-Length '%.*s'", (int)(vlen > 20 ? 20 : vlen),
			 (const char *)v);
		return -1;
	}
	*clen = x;
	*have_clen = 1;
	return 0;
}

int http_reply_parse(const unsigned char *buf, size_t n, int eof, struct http_reply *r, char *why)
{
	size_t at, len, clen = 0;
	int have_clen = 0;

	if (!(at = next_line(buf, n, 0, &len)))
		goto short_headers;
	if ((r->status = status_line(buf, len)) < 0) {
		snprintf(why, HTTP_REASON_MAX, "not an HTTP/1.x status line: '%.*s'",
			 (int)(len > 40 ? 40 : len), (const char *)buf);
		return HTTP_BAD;
	}
	for (;;) {
		size_t next = next_line(buf, n, at, &len);

		if (!next)
			goto short_headers;
		if (len == 0) {
			at = next;
			break;
		}
		if (header(buf + at, len, &clen, &have_clen, why) < 0)
			return HTTP_BAD;
		at = next;
	}
	r->body = at;
	if (have_clen && clen > HTTP_REPLY_MAX - at) {
		snprintf(why, HTTP_REASON_MAX, "reply larger than 64 KiB (Content-Length %s%zu)",
			 clen == CLEN_HUGE ? "at least " : "", clen);
		return HTTP_BAD;
	}
	if (have_clen && n - at >= clen) {
		r->body_len = clen;
		return HTTP_COMPLETE;
	}
	if (!eof)
		return HTTP_INCOMPLETE;
	if (have_clen) {
		snprintf(why, HTTP_REASON_MAX, "reply truncated: %zu of %zu body bytes", n - at, clen);
		return HTTP_BAD;
	}
	r->body_len = n - at;
	return HTTP_COMPLETE;

short_headers:
	if (!eof)
		return HTTP_INCOMPLETE;
	snprintf(why, HTTP_REASON_MAX, "reply ends within its headers (%zu bytes)", n);
	return HTTP_BAD;
}
