/* Inside the server's events: PubAcks, INFO, status headers. The JSON is
 * read loosely, by a scanner that only finds a key at the top of an
 * object and steps over everything else, but it never reads past the
 * bytes it is given and gives up past DEPTH_MAX levels of nesting:
 * JetStream's PubAck is flat, and a server is trusted to say what it
 * means, not to be well-formed. */
#include "nats_wire.h"

#include <stdio.h>
#include <string.h>

#define DEPTH_MAX 16

struct scan {
	const char *p;
	size_t i, n;
};

static void ws(struct scan *s)
{
	while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' || s->p[s->i] == '\r' ||
			       s->p[s->i] == '\n'))
		s->i++;
}

/* Past the string at s->i (its opening quote); -1 if it does not end. */
static int skip_str(struct scan *s)
{
	for (s->i++; s->i < s->n; s->i++) {
		if (s->p[s->i] == '\\')
			s->i++;
		else if (s->p[s->i] == '"') {
			s->i++;
			return 0;
		}
	}
	return -1;
}

/* Past the value at s->i: a string, an object or array (brackets
 * counted, not matched, to DEPTH_MAX), or a bare word (number, true...). */
static int skip_value(struct scan *s)
{
	size_t start = s->i;
	int depth = 0;

	while (s->i < s->n) {
		char c = s->p[s->i];

		if (c == '"') {
			if (skip_str(s) < 0)
				return -1;
			if (depth == 0)
				return 0;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > DEPTH_MAX)
				return -1;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break;
			s->i++;
			if (--depth == 0)
				return 0;
			continue;
		} else if (depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
			break;
		}
		s->i++;
	}
	return depth == 0 && s->i > start ? 0 : -1;
}

/* One pass over the object json[0..n): the raw value of each of
 * keys[0..k) found at its top into v[] (p NULL if absent; the first
 * wins). 0, or -1 if json is not an object we can read. */
static int get(const char *json, size_t n, const char *const *keys, struct nats_str *v, size_t k)
{
	struct scan s = { json, 0, n };

	memset(v, 0, k * sizeof *v);
	ws(&s);
	if (s.i >= n || json[s.i++] != '{')
		return -1;
	for (;;) {
		size_t k0, k1, v0;

		ws(&s);
		if (s.i < n && json[s.i] == '}')
			return 0;
		if (s.i >= n || json[s.i] != '"')
			return -1;
		k0 = s.i + 1;
		if (skip_str(&s) < 0)
			return -1;
		k1 = s.i - 1;
		ws(&s);
		if (s.i >= n || json[s.i++] != ':')
			return -1;
		ws(&s);
		v0 = s.i;
		if (skip_value(&s) < 0)
			return -1;
		for (size_t i = 0; i < k; i++)
			if (!v[i].p && strlen(keys[i]) == k1 - k0 && memcmp(json + k0, keys[i], k1 - k0) == 0)
				v[i] = (struct nats_str){ json + v0, s.i - v0 };
		ws(&s);
		if (s.i < n && json[s.i] == ',')
			s.i++;
		else if (s.i < n && json[s.i] == '}')
			return 0;
		else
			return -1;
	}
}

static int u64_of(struct nats_str v, uint64_t *out)
{
	uint64_t x = 0;

	if (v.n == 0 || v.n > 19)
		return -1;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		x = x * 10 + (uint64_t)(v.p[i] - '0');
	}
	*out = x;
	return 0;
}

/* A small integer, maybe negative; 0 if it is not one. */
static int int_of(struct nats_str v)
{
	uint64_t x = 0;
	int neg = v.n > 0 && v.p[0] == '-';
	struct nats_str d = { v.p + neg, v.n - (size_t)neg };

	if (u64_of(d, &x) < 0 || x > 1000000000)
		return 0;
	return neg ? -(int)x : (int)x;
}

static int is_true(struct nats_str v)
{
	return v.n == 4 && memcmp(v.p, "true", 4) == 0;
}

/* A JSON string's content into out[0..cap) as one printable line: the
 * common escapes undone, anything else not printable ASCII as '?'. */
static void text(char *out, size_t cap, struct nats_str v)
{
	size_t k = 0;

	if (v.n >= 2 && v.p[0] == '"') {
		v.p++;
		v.n -= 2;
	}
	for (size_t i = 0; i < v.n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)v.p[i];

		if (c == '\\' && i + 1 < v.n) {
			c = (unsigned char)v.p[++i];
			if (c == 'u') {
				i += i + 4 < v.n ? 4 : v.n - 1 - i;
				c = '?';
			} else if (c != '"' && c != '\\' && c != '/') {
				c = ' ';
			}
		}
		out[k++] = c >= ' ' && c < 0x7f ? (char)c : '?';
	}
	out[k] = '\0';
}

int nats_hdr_status(const char *hdr, size_t n)
{
	size_t i = sizeof "NATS/1.0" - 1;
	int code = 0;

	if (n < i || memcmp(hdr, "NATS/1.", 7) != 0)
		return -1;
	while (i < n && hdr[i] == ' ')
		i++;
	for (size_t d = 0; d < 3; d++, i++) {
		if (i >= n || hdr[i] < '0' || hdr[i] > '9')
			return 0;
		code = code * 10 + (hdr[i] - '0');
	}
	return code;
}

/* A status line: 503 means no stream took it (yet: a leader is being
 * elected, or the stream is missing); others are errors as they stand. */
static void status(const struct nats_event *ev, int code, struct nats_puback *a)
{
	const char *p = ev->hdr.p + sizeof "NATS/1.0" - 1;
	const char *eol = memchr(p, '\r', ev->hdr.n - (sizeof "NATS/1.0" - 1));

	a->outcome = code == 503 ? NATS_ACK_NO_RESPONDERS : NATS_ACK_ERROR;
	a->code = code;
	snprintf(a->why, sizeof a->why, "%sstatus%.*s", code == 503 ? "no responders: " : "",
		 (int)(eol ? eol - p : 0), p);
	for (char *w = a->why; *w; w++)
		if ((unsigned char)*w < ' ' || (unsigned char)*w >= 0x7f)
			*w = '?';
}

static void error(struct nats_str e, struct nats_puback *a)
{
	static const char *const keys[] = { "code", "err_code", "description" };
	struct nats_str v[3];

	a->outcome = NATS_ACK_ERROR;
	get(e.p, e.n, keys, v, 3);
	a->code = v[0].p ? int_of(v[0]) : 0;
	a->err_code = v[1].p ? int_of(v[1]) : 0;
	if (v[2].p)
		text(a->why, sizeof a->why, v[2]);
	else
		snprintf(a->why, sizeof a->why, "JetStream error without a description");
}

static void bad(struct nats_puback *a, const char *why)
{
	a->outcome = NATS_ACK_BAD;
	snprintf(a->why, sizeof a->why, "%s", why);
}

static void json(struct nats_str d, struct nats_puback *a)
{
	static const char *const keys[] = { "error", "seq", "duplicate" };
	struct nats_str v[3];

	if (get(d.p, d.n, keys, v, 3) < 0)
		bad(a, d.n ? "PubAck: not a JSON object" : "PubAck: empty");
	else if (v[0].p)
		error(v[0], a);
	else if (!v[1].p || u64_of(v[1], &a->seq) < 0)
		bad(a, "PubAck: no seq");
	else
		a->outcome = v[2].p && is_true(v[2]) ? NATS_ACK_DUPLICATE : NATS_ACK_STORED;
}

void nats_puback_read(const struct nats_event *ev, struct nats_puback *a)
{
	int st = 0;

	memset(a, 0, sizeof *a);
	if (ev->op != NATS_OP_MSG && ev->op != NATS_OP_HMSG)
		bad(a, "PubAck: not a message");
	else if (ev->op == NATS_OP_HMSG && (st = nats_hdr_status(ev->hdr.p, ev->hdr.n)) < 0)
		bad(a, "PubAck: header block not NATS/1.x");
	else if (st != 0 && st != 200)
		status(ev, st, a);
	else
		json(ev->data, a);
}

int nats_info_read(const char *json, size_t n, struct nats_info *i)
{
	static const char *const keys[] = { "max_payload", "headers", "tls_required",
					    "auth_required", "server_name", "version" };
	struct nats_str v[6];
	int r = get(json, n, keys, v, 6);

	memset(i, 0, sizeof *i);
	if (v[0].p && u64_of(v[0], &i->max_payload) < 0)
		i->max_payload = 0;
	i->headers = v[1].p && is_true(v[1]);
	i->tls_required = v[2].p && is_true(v[2]);
	i->auth_required = v[3].p && is_true(v[3]);
	if (v[4].p)
		text(i->server_name, sizeof i->server_name, v[4]);
	if (v[5].p)
		text(i->version, sizeof i->version, v[5]);
	return r;
}
