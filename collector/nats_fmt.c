/* What a client sends, written into the caller's buffer. HPUB is the hot
 * path (one per record): its size is worked out first, from lengths
 * alone, so that the header block is written once, straight from the
 * caller's pairs, with its length already in the control line. */
#include "nats_wire.h"

#include <string.h>

#define KEY_MAX 64
#define SUBJECT_MAX 255

static char *put(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static size_t digits(uint64_t v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static char *put_u(char *p, uint64_t v)
{
	size_t n = digits(v);

	for (size_t i = n; i > 0; i--) {
		p[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + n;
}

int nats_subject_ok(const char *s, size_t n)
{
	if (n == 0 || n > SUBJECT_MAX || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == 0x7f || (c == '.' && s[i + 1] == '.'))
			return 0;
	}
	return 1;
}

static int key_ok(const char *k, size_t n)
{
	if (n == 0 || n > KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (k[i] <= ' ' || k[i] >= 0x7f || k[i] == ':')
			return 0;
	return 1;
}

static int value_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if ((c < ' ' && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

int nats_hpub_measure(struct nats_hpub *m)
{
	size_t s = strlen(m->subject), r = m->reply ? strlen(m->reply) : 0;
	size_t hdr = sizeof "NATS/1.0\r\n" - 1 + 2;

	if (!nats_subject_ok(m->subject, s) || (m->reply && !nats_subject_ok(m->reply, r)))
		return -1;
	for (size_t i = 0; i < m->nh; i++) {
		size_t k = strlen(m->h[i].key), v = strlen(m->h[i].value);

		if (!key_ok(m->h[i].key, k) || !value_ok(m->h[i].value, v))
			return -1;
		hdr += k + 2 + v + 2;
	}
	if (hdr > NATS_PAYLOAD_MAX || m->len > NATS_PAYLOAD_MAX - hdr)
		return -1;
	m->hdr = hdr;
	m->size = sizeof "HPUB " - 1 + s + 1 + (m->reply ? r + 1 : 0) + digits(hdr) + 1 +
		  digits(hdr + m->len) + 2 + hdr + m->len + 2;
	return 0;
}

size_t nats_hpub_write(char *out, const struct nats_hpub *m)
{
	char *p = put(out, "HPUB ", 5);

	p = stpcpy(p, m->subject);
	*p++ = ' ';
	if (m->reply) {
		p = stpcpy(p, m->reply);
		*p++ = ' ';
	}
	p = put_u(p, m->hdr);
	*p++ = ' ';
	p = put_u(p, m->hdr + m->len);
	p = put(p, "\r\nNATS/1.0\r\n", 12);
	for (size_t i = 0; i < m->nh; i++) {
		p = stpcpy(p, m->h[i].key);
		p = put(p, ": ", 2);
		p = stpcpy(p, m->h[i].value);
		p = put(p, "\r\n", 2);
	}
	p = put(p, "\r\n", 2);
	if (m->len)
		p = put(p, m->data, m->len);
	put(p, "\r\n", 2);
	return m->size;
}

size_t nats_fmt_hpub(char *out, size_t cap, const char *subject, const char *reply,
		     const struct nats_header *h, size_t nh, const void *data, size_t len)
{
	struct nats_hpub m = { subject, reply, h, nh, data, len, 0, 0 };

	if (nats_hpub_measure(&m) < 0 || m.size > cap)
		return 0;
	return nats_hpub_write(out, &m);
}

static size_t fixed(char *out, size_t cap, const char *s, size_t n)
{
	if (n > cap)
		return 0;
	memcpy(out, s, n);
	return n;
}

size_t nats_fmt_ping(char *out, size_t cap)
{
	return fixed(out, cap, "PING\r\n", 6);
}

size_t nats_fmt_pong(char *out, size_t cap)
{
	return fixed(out, cap, "PONG\r\n", 6);
}

size_t nats_fmt_sub(char *out, size_t cap, const char *subject, const char *sid)
{
	size_t s = strlen(subject), d = strlen(sid), n = 4 + s + 1 + d + 2;
	char *p = out;

	if (!nats_subject_ok(subject, s) || d == 0 || n > cap)
		return 0;
	for (size_t i = 0; i < d; i++)
		if (sid[i] <= ' ' || sid[i] >= 0x7f)
			return 0;
	p = put(p, "SUB ", 4);
	p = put(p, subject, s);
	*p++ = ' ';
	p = put(p, sid, d);
	put(p, "\r\n", 2);
	return n;
}

/* name as a JSON string's content: " and \ escaped, the rest copied
 * (UTF-8 passes through); 0 for a control character. */
static size_t json_name(char *out, size_t cap, const char *name)
{
	size_t n = 0;

	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;
		int esc = c == '"' || c == '\\';

		if (c < ' ' || c == 0x7f || n + 1 + (size_t)esc > cap)
			return 0;
		if (esc)
			out[n++] = '\\';
		out[n++] = (char)c;
	}
	return n;
}

size_t nats_fmt_connect(char *out, size_t cap, const char *name)
{
	static const char head[] = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,"
				   "\"no_responders\":true,\"protocol\":1,\"lang\":\"C\","
				   "\"version\":\"stele\",\"name\":\"";
	static const char tail[] = "\"}\r\n";
	size_t n = sizeof head - 1, k;

	if (cap < n + sizeof tail - 1)
		return 0;
	memcpy(out, head, n);
	k = json_name(out + n, cap - n - (sizeof tail - 1), name);
	if (k == 0 && *name)
		return 0;
	n += k;
	memcpy(out + n, tail, sizeof tail - 1);
	return n + sizeof tail - 1;
}
