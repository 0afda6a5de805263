#ifndef STELE_COLLECTOR_NATS_WIRE_H
#define STELE_COLLECTOR_NATS_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* The NATS client protocol as pure functions: no I/O, no allocation.
 * Formatting writes into the caller's buffer (nats_fmt.c); the reader
 * takes what a server sends, resumably, one event at a time
 * (nats_wire.c); the PubAck and INFO readers look inside the events
 * (nats_ack.c, with json_in.c). Every length that comes from the server is checked
 * against the bounds below before it is used. */

#define NATS_LINE_MAX (16u * 1024)	/* a control line, CRLF included (INFO lists servers) */
#define NATS_PAYLOAD_MAX (1u << 20)	/* a message's headers and data: the server's default */
/* The most bytes one event can span: a reader's buffer this large is
 * never too small. */
#define NATS_EVENT_MAX (NATS_LINE_MAX + NATS_PAYLOAD_MAX + 2)
#define NATS_WHY_MAX 160

/* ---- what a client sends --------------------------------------------- */

/* Each returns the bytes written to out[0..cap), or 0 if they would not
 * fit (then out holds nothing useful). */

/* CONNECT {verbose false, pedantic false, headers true, no_responders
 * true, protocol 1, name}: name is escaped for JSON; 0 also if it holds
 * a control character. */
size_t nats_fmt_connect(char *out, size_t cap, const char *name);

/* SUB subject sid; 0 also if subject is not one (nats_subject_ok) or
 * sid is empty or holds white space. */
size_t nats_fmt_sub(char *out, size_t cap, const char *subject, const char *sid);

size_t nats_fmt_ping(char *out, size_t cap);
size_t nats_fmt_pong(char *out, size_t cap);

struct nats_header {
	const char *key, *value;	/* NUL-terminated */
};

/* One HPUB, measured once, then written: the hot path (a publish per
 * record) checks and counts each byte once before copying it. */
struct nats_hpub {
	const char *subject, *reply;	/* reply may be NULL */
	const struct nats_header *h;
	size_t nh;
	const void *data;
	size_t len;
	size_t hdr, size;		/* set by nats_hpub_measure */
};

/* Sets m->hdr (the header block "NATS/1.0\r\nKey: Value\r\n...\r\n",
 * what HPUB calls hdrlen) and m->size (every byte HPUB writes). 0; or
 * -1 if subject or reply is not a subject (nats_subject_ok), a key is
 * not 1-64 visible ASCII characters but ':', a value holds a control
 * character but tab, or hdr + len is more than NATS_PAYLOAD_MAX. */
int nats_hpub_measure(struct nats_hpub *m);

/* HPUB subject [reply] hdrlen totlen CRLF, the header block, data,
 * CRLF, from m as measured; out MUST hold m->size bytes. Returns
 * m->size. */
size_t nats_hpub_write(char *out, const struct nats_hpub *m);

/* Both: the bytes written, or 0 if invalid or more than cap. */
size_t nats_fmt_hpub(char *out, size_t cap, const char *subject, const char *reply,
		     const struct nats_header *h, size_t nh, const void *data, size_t len);

/* 1 if s is a subject one can publish or subscribe to: 1-255 bytes, no
 * white space or control characters, no empty token ("a..b", ".a"). */
int nats_subject_ok(const char *s, size_t n);

/* ---- what a server sends --------------------------------------------- */

enum nats_op { NATS_OP_INFO, NATS_OP_MSG, NATS_OP_HMSG, NATS_OP_PING, NATS_OP_PONG, NATS_OP_OK,
	       NATS_OP_ERR };

struct nats_str {
	const char *p;
	size_t n;
};

/* One thing the server said. Every pointer is into the buffer given to
 * nats_wire_read and valid while those bytes stay where they are. */
struct nats_event {
	enum nats_op op;
	struct nats_str subject, sid, reply;	/* MSG, HMSG; reply.n 0 if none */
	struct nats_str hdr;			/* HMSG: "NATS/1.0...\r\n\r\n" */
	struct nats_str data;			/* MSG, HMSG: the payload; INFO: its JSON;
						 * -ERR: the text, quotes taken off */
};

/* Where the reader is in the current event, so that bytes arriving in
 * pieces are never scanned twice. Offsets, not pointers: the caller may
 * move its bytes between calls. */
struct nats_span {
	size_t off, n;
};

struct nats_rd {
	size_t scanned;			/* of the line, searched for its end */
	size_t line;			/* its length with CRLF once parsed, 0 before */
	size_t need;			/* the whole event's length */
	enum nats_op op;
	struct nats_span subject, sid, reply, hdr, data;
	const char *err;		/* sticky: once set, every call fails */
};

void nats_rd_reset(struct nats_rd *r);

/* buf[0..n) starts with the current event: the same bytes as the
 * previous call (the caller may have moved them), and maybe more.
 * Returns the bytes the event took (> 0) with *ev filled, then the
 * reader is ready for the next one; 0 if more bytes are needed; -1 if
 * the server sent something malformed or larger than the bounds above:
 * *why (a static string) names what, and the connection is no use. */
long nats_wire_read(struct nats_rd *r, const char *buf, size_t n, struct nats_event *ev,
		    const char **why);

/* ---- inside events --------------------------------------------------- */

/* The reply of JetStream to a publish, from a MSG or HMSG on its reply
 * subject. */
enum nats_ack {
	NATS_ACK_STORED,		/* seq: the stream's sequence */
	NATS_ACK_DUPLICATE,		/* its Nats-Msg-Id was stored before, as seq */
	NATS_ACK_ERROR,			/* JetStream refused it: code, err_code, why */
	NATS_ACK_NO_RESPONDERS,		/* status 503: no stream (leader) took it; try again */
	NATS_ACK_BAD,			/* not a PubAck we can read: why */
};

struct nats_puback {
	enum nats_ack outcome;
	uint64_t seq;
	int code, err_code;		/* ERROR: JetStream's (a status: its code) */
	char why[NATS_WHY_MAX];		/* "" for STORED, DUPLICATE; one line, printable */
};

/* Reads ev (NATS_OP_MSG or NATS_OP_HMSG) as a PubAck: a status header
 * first, else the payload as JSON (json_in.h: strict, bounded; keys in
 * any order, unknown keys skipped, "duplicate": true as nats-server 2.9
 * spaces it). Nothing is read past ev's bytes. */
void nats_puback_read(const struct nats_event *ev, struct nats_puback *a);

/* The INFO fields a publisher acts on. */
struct nats_info {
	uint64_t max_payload;		/* 0 if not said */
	int headers, tls_required, auth_required;
	char server_name[64], version[32];	/* "" if not said; printable */
};

/* 0, or -1 if json is not an object (*i then holds what was read). */
int nats_info_read(const char *json, size_t n, struct nats_info *i);

/* The status of a header block ("NATS/1.0 503 No Responders\r\n..."):
 * its code, 0 if it has none, -1 if the block is not NATS/1.x. */
int nats_hdr_status(const char *hdr, size_t n);

#endif
