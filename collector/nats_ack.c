/* Inside the server's events: PubAcks, INFO, status headers. The JSON
 * goes through json_in (strict RFC 8259, bounded, no allocation): keys in
 * any order, unknown keys and white space skipped, "duplicate": true
 * however nats-server 2.9 spaces it; a PubAck that does not parse is
 * BAD, never half-read. */
#include "nats_wire.h"

#include <stdio.h>
#include <string.h>

#include "json_in.h"

/* The member key of obj, or NULL. */
static const struct json_val *member(const struct json_val *obj, const char *key,
				     struct json_val *v)
{
	return json_object_get(obj, key, v) == 0 ? v : NULL;
}

static int is_true(const struct json_val *obj, const char *key)
{
	struct json_val v;

	return member(obj, key, &v) && v.type == JSON_TRUE;
}

/* A small integer, maybe negative; 0 if it is not one. */
static int int_of(const struct json_val *obj, const char *key)
{
	struct json_val v;
	int64_t i;

	if (!member(obj, key, &v) || json_i64(&v, &i) < 0 || i < -1000000000 || i > 1000000000)
		return 0;
	return (int)i;
}

/* A string member into out[0..cap) as one printable line: anything not
 * printable ASCII as '?', cut to fit; "" if there is none. */
static void text(const struct json_val *obj, const char *key, char *out, size_t cap)
{
	struct json_val v;
	size_t len = 0;

	out[0] = '\0';
	if (!member(obj, key, &v))
		return;
	json_string(&v, out, cap, &len);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)out[i] < ' ' || (unsigned char)out[i] >= 0x7f)
			out[i] = '?';
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

static void bad(struct nats_puback *a, const char *why)
{
	a->outcome = NATS_ACK_BAD;
	snprintf(a->why, sizeof a->why, "%s", why);
}

static void error(const struct json_val *e, struct nats_puback *a)
{
	a->outcome = NATS_ACK_ERROR;
	a->code = int_of(e, "code");
	a->err_code = int_of(e, "err_code");
	text(e, "description", a->why, sizeof a->why);
	if (!a->why[0])
		snprintf(a->why, sizeof a->why, "JetStream error without a description");
}

/* The PubAck nats-server writes for nearly every publish, exactly:
 *   {"stream":"NAME", "seq":N}  or  {"stream":"NAME", "seq":N,"duplicate": true}
 * (NAME of A-Z a-z 0-9 _ -), read without the full parse: this runs per
 * record. 1 if d is one (a filled in), 0 for anything else, which the
 * full parse then reads. */
static int common(struct nats_str d, struct nats_puback *a)
{
	static const char head[] = "{\"stream\":\"", mid[] = "\", \"seq\":", dup[] = ",\"duplicate\": true}";
	const char *p = d.p, *end = d.p + d.n;
	uint64_t seq = 0;
	int digits = 0;

	if (d.n < sizeof head || memcmp(p, head, sizeof head - 1) != 0)
		return 0;
	p += sizeof head - 1;
	while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
			   (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
		p++;
	if ((size_t)(end - p) < sizeof mid || memcmp(p, mid, sizeof mid - 1) != 0)
		return 0;
	for (p += sizeof mid - 1; p < end && *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
		seq = seq * 10 + (uint64_t)(*p - '0');
	if (digits == 0 || (digits > 1 && p[-digits] == '0') || p == end)
		return 0;
	if (end - p == 1 && *p == '}')
		a->outcome = NATS_ACK_STORED;
	else if ((size_t)(end - p) == sizeof dup - 1 && memcmp(p, dup, sizeof dup - 1) == 0)
		a->outcome = NATS_ACK_DUPLICATE;
	else
		return 0;
	a->seq = seq;
	return 1;
}

static void json(struct nats_str d, struct nats_puback *a)
{
	struct json_val obj, v;
	const char *why;

	if (common(d, a))
		return;
	if (d.n == 0)
		bad(a, "PubAck: empty");
	else if (json_parse(d.p, d.n, &obj, &why) < 0 || obj.type != JSON_OBJECT)
		bad(a, "PubAck: not a JSON object");
	else if (member(&obj, "error", &v))
		error(&v, a);
	else if (!member(&obj, "seq", &v) || json_u64(&v, &a->seq) < 0)
		bad(a, "PubAck: no seq");
	else
		a->outcome = is_true(&obj, "duplicate") ? NATS_ACK_DUPLICATE : NATS_ACK_STORED;
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
	struct json_val obj, v;
	const char *why;

	memset(i, 0, sizeof *i);
	if (json_parse(json, n, &obj, &why) < 0 || obj.type != JSON_OBJECT)
		return -1;
	if (!member(&obj, "max_payload", &v) || json_u64(&v, &i->max_payload) < 0)
		i->max_payload = 0;
	i->headers = is_true(&obj, "headers");
	i->tls_required = is_true(&obj, "tls_required");
	i->auth_required = is_true(&obj, "auth_required");
	text(&obj, "server_name", i->server_name, sizeof i->server_name);
	text(&obj, "version", i->version, sizeof i->version);
	return 0;
}
