/* The reader of what a NATS server sends: a control line ended by CRLF,
 * and for MSG and HMSG a payload of the size the line gives, ended by
 * CRLF. Operation names are case-insensitive and arguments are separated
 * by any run of spaces and tabs (the protocol says so; nats-server 2.9
 * writes two spaces where a MSG has no reply subject). */
#include "nats_wire.h"

#include <string.h>
#include <strings.h>

#define ARGS_MAX 5

void nats_rd_reset(struct nats_rd *r)
{
	memset(r, 0, sizeof *r);
}

static int blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits s[0..n) at runs of blanks into at most max spans (offsets
 * from base); returns how many, or max + 1 if there are more. */
static size_t split(const char *s, size_t n, size_t base, struct nats_span *t, size_t max)
{
	size_t k = 0, i = 0;

	for (;;) {
		while (i < n && blank(s[i]))
			i++;
		if (i == n)
			return k;
		if (k == max)
			return max + 1;
		t[k].off = base + i;
		while (i < n && !blank(s[i]))
			i++;
		t[k].n = base + i - t[k].off;
		k++;
	}
}

/* A payload size: digits only, at most NATS_PAYLOAD_MAX. */
static const char *size_of(const char *s, size_t n, size_t *v)
{
	size_t x = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "MSG: a size is not a number";
		x = x * 10 + (size_t)(s[i] - '0');
		if (x > NATS_PAYLOAD_MAX)
			return "MSG: payload larger than 1 MiB";
	}
	*v = x;
	return NULL;
}

/* MSG subject sid [reply] size, HMSG subject sid [reply] hdrsize size. */
static const char *msg_args(struct nats_rd *r, const char *buf, size_t off, size_t n)
{
	struct nats_span t[ARGS_MAX];
	size_t k = split(buf + off, n, off, t, ARGS_MAX), hdr = 0, total, fixed;
	const char *bad;

	fixed = r->op == NATS_OP_HMSG ? 4 : 3;
	if (k != fixed && k != fixed + 1)
		return r->op == NATS_OP_HMSG ? "HMSG: not 4 or 5 arguments" : "MSG: not 3 or 4 arguments";
	r->subject = t[0];
	r->sid = t[1];
	if (k == fixed + 1)
		r->reply = t[2];
	if (r->op == NATS_OP_HMSG && (bad = size_of(buf + t[k - 2].off, t[k - 2].n, &hdr)))
		return bad;
	if ((bad = size_of(buf + t[k - 1].off, t[k - 1].n, &total)))
		return bad;
	if (hdr > total)
		return "HMSG: header size larger than the total";
	if (r->op == NATS_OP_HMSG && hdr < sizeof "NATS/1.0\r\n\r\n" - 1)
		return "HMSG: header block shorter than NATS/1.0 CRLF CRLF";
	r->hdr = (struct nats_span){ r->line, hdr };
	r->data = (struct nats_span){ r->line + hdr, total - hdr };
	r->need = r->line + total + 2;
	return NULL;
}

static const struct {
	const char *name;
	enum nats_op op;
} ops[] = {
	{ "MSG", NATS_OP_MSG }, { "HMSG", NATS_OP_HMSG }, { "PING", NATS_OP_PING },
	{ "PONG", NATS_OP_PONG }, { "+OK", NATS_OP_OK }, { "-ERR", NATS_OP_ERR },
	{ "INFO", NATS_OP_INFO },
};

/* The text after the operation, blanks trimmed both ends, as data. */
static void rest(struct nats_rd *r, const char *buf, size_t off, size_t end)
{
	while (off < end && blank(buf[off]))
		off++;
	while (end > off && blank(buf[end - 1]))
		end--;
	if (r->op == NATS_OP_ERR && end - off >= 2 && buf[off] == '\'' && buf[end - 1] == '\'') {
		off++;
		end--;
	}
	r->data = (struct nats_span){ off, end - off };
}

/* The line buf[0..r->line), CRLF included. */
static const char *parse_line(struct nats_rd *r, const char *buf)
{
	size_t end = r->line - 2, w = 0;
	size_t i;

	while (w < end && !blank(buf[w]))
		w++;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strlen(ops[i].name) == w && strncasecmp(buf, ops[i].name, w) == 0)
			break;
	if (i == sizeof ops / sizeof ops[0])
		return w == 0 ? "empty line" : "unknown operation";
	r->op = ops[i].op;
	r->need = r->line;
	if (r->op == NATS_OP_MSG || r->op == NATS_OP_HMSG)
		return msg_args(r, buf, w, end - w);
	rest(r, buf, w, end);
	if (r->op == NATS_OP_INFO && r->data.n == 0)
		return "INFO without its JSON";
	if (r->data.n && r->op != NATS_OP_INFO && r->op != NATS_OP_ERR)
		return "PING, PONG or +OK with arguments";
	return NULL;
}

/* The length of the line at buf, CRLF included; 0 if its end is not
 * there yet. Searches only the bytes not searched before. */
static long line_end(struct nats_rd *r, const char *buf, size_t n, const char **why)
{
	size_t lim = n < NATS_LINE_MAX ? n : NATS_LINE_MAX;
	const char *nl;

	if (r->scanned > lim)
		r->scanned = 0;		/* fewer bytes than before: the caller's mistake; start over */
	nl = memchr(buf + r->scanned, '\n', lim - r->scanned);
	if (!nl) {
		r->scanned = lim;
		if (lim == NATS_LINE_MAX)
			*why = "line longer than 16 KiB";
		return lim == NATS_LINE_MAX ? -1 : 0;
	}
	if (nl == buf || nl[-1] != '\r') {
		*why = "line not ended by CRLF";
		return -1;
	}
	return nl + 1 - buf;
}

static struct nats_str at(const char *buf, struct nats_span s)
{
	return (struct nats_str){ buf + s.off, s.n };
}

/* A MSG or HMSG whose bytes are all there: does it end as it must? */
static const char *payload_ok(const struct nats_rd *r, const char *buf)
{
	const char *h = buf + r->hdr.off;

	if (memcmp(buf + r->need - 2, "\r\n", 2) != 0)
		return "MSG: payload not followed by CRLF";
	if (r->op == NATS_OP_HMSG &&
	    (memcmp(h, "NATS/1.", 7) != 0 || memcmp(h + r->hdr.n - 4, "\r\n\r\n", 4) != 0))
		return "HMSG: header block not NATS/1.x ... CRLF CRLF";
	return NULL;
}

static long fail(struct nats_rd *r, const char *what, const char **why)
{
	r->err = what;
	*why = what;
	return -1;
}

long nats_wire_read(struct nats_rd *r, const char *buf, size_t n, struct nats_event *ev,
		    const char **why)
{
	const char *bad = NULL;
	size_t took;

	if (r->err)
		return fail(r, r->err, why);
	if (r->line == 0) {
		long k = line_end(r, buf, n, &bad);

		if (k <= 0)
			return k < 0 ? fail(r, bad, why) : 0;
		r->line = (size_t)k;
		if ((bad = parse_line(r, buf)))
			return fail(r, bad, why);
	}
	if (n < r->need)
		return 0;
	if ((r->op == NATS_OP_MSG || r->op == NATS_OP_HMSG) && (bad = payload_ok(r, buf)))
		return fail(r, bad, why);
	*ev = (struct nats_event){
		.op = r->op, .subject = at(buf, r->subject), .sid = at(buf, r->sid),
		.reply = at(buf, r->reply), .hdr = at(buf, r->hdr), .data = at(buf, r->data),
	};
	took = r->need;
	nats_rd_reset(r);
	return (long)took;
}
