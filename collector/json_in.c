#include "json_in.h"

#include "json.h"	/* utf8_seq() */

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- characters of a string's content ------------------------------------ */

static int utf8_put(unsigned char u[4], unsigned long cp)
{
	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (unsigned char)(0xf0 | cp >> 18);
	u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	u[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The 4 hex digits at p[0..end), or -1. */
static long hex4(const char *p, const char *end)
{
	long v = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i];

		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		v = v << 4 | c;
	}
	return v;
}

/* *pp at "\u": one escaped character, or a surrogate pair as one. */
static int uescape(const char **pp, const char *end, unsigned char u[4], const char **why)
{
	const char *p = *pp;
	long cp = hex4(p + 2, end), lo;

	if (cp < 0) {
		*why = "json: \\u not followed by 4 hex digits";
		return -1;
	}
	p += 6;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		*why = "json: \\u escape of a lone low surrogate";
		return -1;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
		    (lo = hex4(p + 2, end)) < 0xdc00 || lo > 0xdfff) {
			*why = "json: \\u escape of a high surrogate without a low one after it";
			return -1;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	}
	*pp = p;
	return utf8_put(u, (unsigned long)cp);
}

/* One character of a string's content at *pp < end (not its closing
 * quote): its UTF-8 into u, *pp past it. Returns its length, or -1. The
 * one place that knows what a string may hold: json_parse checks with it,
 * the accessors decode with it. */
static int str_char(const char **pp, const char *end, unsigned char u[4], const char **why)
{
	const unsigned char *p = (const unsigned char *)*pp;
	size_t k;

	if (p[0] < 0x20) {
		*why = "json: raw control character in a string";
		return -1;
	}
	if (p[0] >= 0x80) {
		if ((k = utf8_seq(p, (size_t)(end - *pp))) == 0) {
			*why = "json: string is not valid UTF-8";
			return -1;
		}
		memcpy(u, p, k);
		*pp += k;
		return (int)k;
	}
	if (p[0] != '\\') {
		u[0] = p[0];
		*pp += 1;
		return 1;
	}
	if (end - *pp < 2) {
		*why = "json: string not closed";
		return -1;
	}
	switch (p[1]) {
	case '"': case '\\': case '/': u[0] = p[1]; break;
	case 'b': u[0] = '\b'; break;
	case 'f': u[0] = '\f'; break;
	case 'n': u[0] = '\n'; break;
	case 'r': u[0] = '\r'; break;
	case 't': u[0] = '\t'; break;
	case 'u': return uescape(pp, end, u, why);
	default:
		*why = "json: unknown escape in a string";
		return -1;
	}
	*pp += 2;
	return 1;
}

/* --- json_parse: the one check ------------------------------------------- */

struct rd {
	const char *p, *end;
	const char *why;
};

static int fail(struct rd *r, const char *why)
{
	r->why = why;
	return -1;
}

static void skip_ws(const char **pp, const char *end)
{
	const char *p = *pp;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	*pp = p;
}

static int at(const struct rd *r, char c)
{
	return r->p < r->end && *r->p == c;
}

static int is_digit(const struct rd *r)
{
	return r->p < r->end && *r->p >= '0' && *r->p <= '9';
}

static int string(struct rd *r)
{
	unsigned char u[4];

	r->p++;
	for (;;) {
		if (r->p == r->end)
			return fail(r, "json: string not closed");
		if (*r->p == '"') {
			r->p++;
			return 0;
		}
		if (str_char(&r->p, r->end, u, &r->why) < 0)
			return -1;
	}
}

static int digits(struct rd *r)
{
	const char *s = r->p;

	while (is_digit(r))
		r->p++;
	return r->p > s;
}

static int number(struct rd *r)
{
	if (at(r, '-'))
		r->p++;
	if (at(r, '0')) {
		r->p++;
		if (is_digit(r))
			return fail(r, "json: number with a leading zero");
	} else if (!digits(r)) {
		return fail(r, "json: '-' not followed by a digit");
	}
	if (at(r, '.')) {
		r->p++;
		if (!digits(r))
			return fail(r, "json: number without a digit after '.'");
	}
	if (at(r, 'e') || at(r, 'E')) {
		r->p++;
		if (at(r, '+') || at(r, '-'))
			r->p++;
		if (!digits(r))
			return fail(r, "json: number without a digit in its exponent");
	}
	return 0;
}

static int literal(struct rd *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return fail(r, "json: expected a value");
	r->p += n;
	return 0;
}

static int value(struct rd *r, int depth);

static int array(struct rd *r, int depth)
{
	if (depth > JSON_DEPTH_MAX)
		return fail(r, "json: arrays and objects nested deeper than JSON_DEPTH_MAX (32)");
	r->p++;
	skip_ws(&r->p, r->end);
	if (at(r, ']')) {
		r->p++;
		return 0;
	}
	for (;;) {
		if (value(r, depth) < 0)
			return -1;
		skip_ws(&r->p, r->end);
		if (r->p == r->end)
			return fail(r, "json: array not closed");
		if (*r->p++ == ']')
			return 0;
		if (r->p[-1] != ',')
			return fail(r, "json: expected ',' or ']' after an array element");
	}
}

static int object(struct rd *r, int depth)
{
	if (depth > JSON_DEPTH_MAX)
		return fail(r, "json: arrays and objects nested deeper than JSON_DEPTH_MAX (32)");
	r->p++;
	skip_ws(&r->p, r->end);
	if (at(r, '}')) {
		r->p++;
		return 0;
	}
	for (;;) {
		skip_ws(&r->p, r->end);
		if (!at(r, '"'))
			return fail(r, "json: expected a member name (a string)");
		if (string(r) < 0)
			return -1;
		skip_ws(&r->p, r->end);
		if (!at(r, ':'))
			return fail(r, "json: expected ':' after a member name");
		r->p++;
		if (value(r, depth) < 0)
			return -1;
		skip_ws(&r->p, r->end);
		if (r->p == r->end)
			return fail(r, "json: object not closed");
		if (*r->p++ == '}')
			return 0;
		if (r->p[-1] != ',')
			return fail(r, "json: expected ',' or '}' after an object member");
	}
}

/* depth: how many arrays and objects are open around this value. */
static int value(struct rd *r, int depth)
{
	skip_ws(&r->p, r->end);
	if (r->p == r->end)
		return fail(r, "json: value missing");
	switch (*r->p) {
	case '{': return object(r, depth + 1);
	case '[': return array(r, depth + 1);
	case '"': return string(r);
	case 't': return literal(r, "true");
	case 'f': return literal(r, "false");
	case 'n': return literal(r, "null");
	default:
		if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
			return number(r);
		return fail(r, "json: expected a value");
	}
}

/* --- walking checked text ------------------------------------------------ */

static enum json_type type_of(char c)
{
	switch (c) {
	case '{': return JSON_OBJECT;
	case '[': return JSON_ARRAY;
	case '"': return JSON_STRING;
	case 't': return JSON_TRUE;
	case 'f': return JSON_FALSE;
	case 'n': return JSON_NULL;
	default: return JSON_NUMBER;
	}
}

/* Past the closing quote of the string at p. */
static const char *skip_str(const char *p, const char *end)
{
	for (p++; p < end && *p != '"'; p++)
		if (*p == '\\')
			p++;
	return p < end ? p + 1 : end;
}

/* Past the checked value at p: brackets are counted, not matched, as the
 * text is known to be well-formed. */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	if (*p == '"')
		return skip_str(p, end);
	if (*p != '[' && *p != '{') {
		while (p < end && !strchr(",]} \t\r\n", *p))
			p++;
		return p;
	}
	while (p < end) {
		if (*p == '"') {
			p = skip_str(p, end);
			continue;
		}
		if (*p == '[' || *p == '{')
			depth++;
		else if ((*p == ']' || *p == '}') && --depth == 0)
			return p + 1;
		p++;
	}
	return end;
}

static void span(const char *p, const char *end, struct json_val *v)
{
	const char *e = skip_value(p, end);

	v->type = type_of(*p);
	v->p = p;
	v->len = (size_t)(e - p);
}

int json_parse(const char *s, size_t n, struct json_val *out, const char **why)
{
	struct rd r = { s, s + n, NULL };
	const char *start;

	if (n == 0) {
		*why = "json: empty text";
		return -1;
	}
	skip_ws(&r.p, r.end);
	start = r.p;
	if (value(&r, 0) < 0) {
		*why = r.why;
		return -1;
	}
	out->type = type_of(*start);
	out->p = start;
	out->len = (size_t)(r.p - start);
	skip_ws(&r.p, r.end);
	if (r.p != r.end) {
		*why = "json: more after the value";
		return -1;
	}
	return 0;
}

void json_iter_init(struct json_iter *it, const struct json_val *v)
{
	if (v->type == JSON_ARRAY || v->type == JSON_OBJECT) {
		it->p = v->p + 1;
		it->end = v->p + v->len - 1;
	} else {
		it->p = it->end = v->p;
	}
}

/* At the next element's first character, or 0 at the end. */
static int next_start(struct json_iter *it)
{
	skip_ws(&it->p, it->end);
	if (it->p < it->end && *it->p == ',') {
		it->p++;
		skip_ws(&it->p, it->end);
	}
	return it->p < it->end;
}

int json_array_next(struct json_iter *it, struct json_val *elem)
{
	if (!next_start(it))
		return 0;
	span(it->p, it->end, elem);
	it->p = elem->p + elem->len;
	return 1;
}

int json_object_next(struct json_iter *it, struct json_val *name, struct json_val *val)
{
	if (!next_start(it))
		return 0;
	span(it->p, it->end, name);
	it->p = name->p + name->len;
	skip_ws(&it->p, it->end);
	if (it->p < it->end)
		it->p++;	/* the ':' */
	skip_ws(&it->p, it->end);
	if (it->p >= it->end)
		return 0;
	span(it->p, it->end, val);
	it->p = val->p + val->len;
	return 1;
}

int json_object_get(const struct json_val *obj, const char *key, struct json_val *out)
{
	struct json_iter it;
	struct json_val name, val;

	if (obj->type != JSON_OBJECT)
		return -1;
	json_iter_init(&it, obj);
	while (json_object_next(&it, &name, &val))
		if (json_string_is(&name, key)) {
			*out = val;
			return 0;
		}
	return -1;
}

/* --- decoding values ----------------------------------------------------- */

int json_string_is(const struct json_val *v, const char *s)
{
	const char *p, *end, *why;
	size_t off = 0, n = strlen(s);
	unsigned char u[4];
	int k;

	if (v->type != JSON_STRING || v->len < 2)
		return 0;
	p = v->p + 1;
	end = v->p + v->len - 1;
	while (p < end) {
		k = str_char(&p, end, u, &why);
		if (k < 0 || (size_t)k > n - off || memcmp(u, s + off, (size_t)k) != 0)
			return 0;
		off += (size_t)k;
	}
	return off == n;
}

int json_string(const struct json_val *v, char *out, size_t outlen, size_t *len)
{
	const char *p, *end, *why;
	size_t off = 0;
	unsigned char u[4];
	int k;

	*len = 0;
	if (v->type != JSON_STRING || v->len < 2 || outlen == 0)
		return -1;
	p = v->p + 1;
	end = v->p + v->len - 1;
	while (p < end) {
		const char *next = p;

		k = str_char(&next, end, u, &why);
		if (k < 0 || (size_t)k >= outlen - off)
			break;
		memcpy(out + off, u, (size_t)k);
		off += (size_t)k;
		p = next;
	}
	out[off] = '\0';
	*len = off;
	return p < end ? -1 : 0;
}

/* The magnitude of an integer's digits at p[0..n), at most max. */
static int magnitude(const char *p, size_t n, uint64_t max, uint64_t *u)
{
	uint64_t m = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(p[i] - '0');

		if (d > 9 || m > (max - d) / 10)
			return -1;
		m = m * 10 + d;
	}
	*u = m;
	return 0;
}

int json_u64(const struct json_val *v, uint64_t *u)
{
	if (v->type != JSON_NUMBER)
		return -1;
	return magnitude(v->p, v->len, UINT64_MAX, u);
}

int json_i64(const struct json_val *v, int64_t *i)
{
	uint64_t m;
	int neg;

	if (v->type != JSON_NUMBER || v->len == 0)
		return -1;
	neg = v->p[0] == '-';
	if (magnitude(v->p + neg, v->len - (size_t)neg, neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX,
		      &m) < 0)
		return -1;
	/* -2^63 has no positive int64_t: negate in unsigned, then convert. */
	*i = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
	return 0;
}

int json_double(const struct json_val *v, double *d)
{
	char buf[JSON_NUMBER_MAX + 1];

	if (v->type != JSON_NUMBER || v->len > JSON_NUMBER_MAX)
		return -1;
	/* strtod needs a NUL, and the caller's text need not have one. */
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	*d = strtod(buf, NULL);
	return isinf(*d) ? -1 : 0;
}
