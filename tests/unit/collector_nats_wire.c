/* The NATS protocol without a server: the exact bytes of what a client
 * sends; what nats-server 2.9 sends (captured from it: the INFO's
 * trailing blank, two spaces where a MSG has no reply, "duplicate": true
 * with its space), whole and one byte at a time; everything malformed or
 * too large refused, naming what; PubAcks of every outcome. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "json_in.h"
#include "nats_wire.h"

#define S(lit) lit, sizeof lit - 1

static char out[4096];

static void fmt_connect(void)
{
	static const char want[] =
		"CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true,"
		"\"protocol\":1,\"lang\":\"C\",\"version\":\"stele\",\"name\":\"stele-collector\"}\r\n";
	size_t n = nats_fmt_connect(out, sizeof out, "stele-collector");

	CHECK_INT(sizeof want - 1, n);
	CHECK_MEM(want, out, sizeof want - 1);
	n = nats_fmt_connect(out, sizeof out, "a\"b\\c");
	CHECK(n > 0 && memmem(out, n, "\"name\":\"a\\\"b\\\\c\"}", 17));
	CHECK_INT(0, nats_fmt_connect(out, sizeof out, "bad\nname"));
	CHECK_INT(0, nats_fmt_connect(out, sizeof want - 2, "stele-collector"));
	CHECK_INT(sizeof want - 1, nats_fmt_connect(out, sizeof want - 1, "stele-collector"));
}

static void fmt_small(void)
{
	CHECK_INT(21, nats_fmt_sub(out, sizeof out, "_INBOX.ab12.*", "1"));
	CHECK_MEM("SUB _INBOX.ab12.* 1\r\n", out, 21);
	CHECK_INT(0, nats_fmt_sub(out, sizeof out, "a b", "1"));
	CHECK_INT(0, nats_fmt_sub(out, sizeof out, "a", ""));
	CHECK_INT(0, nats_fmt_sub(out, sizeof out, "a", "1 2"));
	CHECK_INT(0, nats_fmt_sub(out, 8, "_INBOX.x", "1"));
	CHECK_INT(6, nats_fmt_ping(out, 6));
	CHECK_MEM("PING\r\n", out, 6);
	CHECK_INT(6, nats_fmt_pong(out, 6));
	CHECK_MEM("PONG\r\n", out, 6);
	CHECK_INT(0, nats_fmt_pong(out, 5));
}

static const struct nats_header two[] = { { "Nats-Msg-Id", "B:1" }, { "Stele-Seq", "1" } };

static void fmt_hpub(void)
{
	static const char want[] = "HPUB stele.log.h _INBOX.x.7 44 46\r\nNATS/1.0\r\n"
				   "Nats-Msg-Id: B:1\r\nStele-Seq: 1\r\n\r\nhi\r\n";
	static const char bare[] = "HPUB a 12 12\r\nNATS/1.0\r\n\r\n\r\n";
	struct nats_hpub m = { "stele.log.h", "_INBOX.x.7", two, 2, "hi", 2, 0, 0 };
	size_t n = nats_fmt_hpub(out, sizeof out, "stele.log.h", "_INBOX.x.7", two, 2, "hi", 2);

	CHECK_INT(sizeof want - 1, n);
	CHECK_MEM(want, out, sizeof want - 1);
	CHECK_INT(0, nats_hpub_measure(&m));
	CHECK_INT(44, m.hdr);
	CHECK_INT(sizeof want - 1, m.size);
	memset(out, 0, sizeof out);
	CHECK_INT(sizeof want - 1, nats_hpub_write(out, &m));
	CHECK_MEM(want, out, sizeof want - 1);
	/* Exactly the room it needs, and one byte less. */
	CHECK_INT(sizeof want - 1, nats_fmt_hpub(out, sizeof want - 1, "stele.log.h", "_INBOX.x.7",
						 two, 2, "hi", 2));
	CHECK_INT(0, nats_fmt_hpub(out, sizeof want - 2, "stele.log.h", "_INBOX.x.7", two, 2, "hi", 2));
	n = nats_fmt_hpub(out, sizeof out, "a", NULL, NULL, 0, NULL, 0);
	CHECK_INT(sizeof bare - 1, n);
	CHECK_MEM(bare, out, sizeof bare - 1);
}

static void fmt_refused(void)
{
	static const struct nats_header colon[] = { { "A:B", "v" } }, space[] = { { "A B", "v" } },
		empty[] = { { "", "v" } }, crlf[] = { { "K", "v\r\nX: y" } }, tab[] = { { "K", "a\tb" } };
	static char big[NATS_PAYLOAD_MAX + 1];
	struct nats_hpub m = { "a", NULL, NULL, 0, big, NATS_PAYLOAD_MAX - 12, 0, 0 };

	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a", NULL, colon, 1, "", 0));
	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a", NULL, space, 1, "", 0));
	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a", NULL, empty, 1, "", 0));
	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a", NULL, crlf, 1, "", 0));
	CHECK(nats_fmt_hpub(out, sizeof out, "a", NULL, tab, 1, "", 0) > 0);
	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a b", NULL, NULL, 0, "", 0));
	CHECK_INT(0, nats_fmt_hpub(out, sizeof out, "a", "r\n", NULL, 0, "", 0));
	CHECK_INT(0, nats_hpub_measure(&m));	/* header block and data: 1 MiB exactly */
	m.len++;
	CHECK_INT(-1, nats_hpub_measure(&m));
	CHECK(!nats_subject_ok(S("a..b")));
	CHECK(!nats_subject_ok(S(".a")));
	CHECK(!nats_subject_ok(S("a.")));
	CHECK(!nats_subject_ok(S("")));
	CHECK(!nats_subject_ok(S("a\tb")));
	CHECK(nats_subject_ok(S("stele.log.host_1")));
	CHECK(nats_subject_ok(S("_INBOX.x.*")));
}

/* What nats-server 2.9.10 sent, byte for byte. */
static const char session[] =
	"INFO {\"server_id\":\"NDSE7\",\"server_name\":\"n1\",\"version\":\"2.9.10\",\"proto\":1,"
	"\"headers\":true,\"max_payload\":1048576,\"jetstream\":true,\"client_id\":8,"
	"\"connect_urls\":[\"127.0.0.1:19523\",\"127.0.0.1:25680\"]} \r\n"
	"+OK\r\n"
	"PONG\r\n"
	"MSG _INBOX.abc.1 1  27\r\n{\"stream\":\"STELE\", \"seq\":1}\r\n"
	"MSG _INBOX.abc.2 1  45\r\n{\"stream\":\"STELE\", \"seq\":1,\"duplicate\": true}\r\n"
	"PING\r\n"
	"MSG _INBOX.abc.3 1  111\r\n{\"error\":{\"code\":400,\"err_code\":10060,\"description\":"
	"\"expected stream does not match\"},\"stream\":\"STELE\",\"seq\":0}\r\n"
	"HMSG _INBOX.abc.4 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
	"-ERR 'Unknown Protocol Operation'\r\n";

#define N_EVENTS 9
static const enum nats_op session_ops[N_EVENTS] = {
	NATS_OP_INFO, NATS_OP_OK, NATS_OP_PONG, NATS_OP_MSG, NATS_OP_MSG, NATS_OP_PING,
	NATS_OP_MSG, NATS_OP_HMSG, NATS_OP_ERR,
};

static int str_is(struct nats_str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static void check_session_event(int k, const struct nats_event *ev)
{
	struct nats_puback a;
	struct nats_info in;

	CHECK_INT(session_ops[k], ev->op);
	switch (k) {
	case 0:
		CHECK_INT(0, nats_info_read(ev->data.p, ev->data.n, &in));
		CHECK_INT(1048576, in.max_payload);
		CHECK(in.headers && !in.tls_required && !in.auth_required);
		CHECK_STR("n1", in.server_name);
		CHECK_STR("2.9.10", in.version);
		CHECK(ev->data.p[ev->data.n - 1] == '}');	/* the trailing blank trimmed */
		break;
	case 3:
		CHECK(str_is(ev->subject, "_INBOX.abc.1") && str_is(ev->sid, "1"));
		CHECK_INT(0, ev->reply.n);
		nats_puback_read(ev, &a);
		CHECK_INT(NATS_ACK_STORED, a.outcome);
		CHECK_INT(1, a.seq);
		CHECK_STR("", a.why);
		break;
	case 4:
		nats_puback_read(ev, &a);
		CHECK_INT(NATS_ACK_DUPLICATE, a.outcome);
		CHECK_INT(1, a.seq);
		break;
	case 6:
		nats_puback_read(ev, &a);
		CHECK_INT(NATS_ACK_ERROR, a.outcome);
		CHECK_INT(400, a.code);
		CHECK_INT(10060, a.err_code);
		CHECK_STR("expected stream does not match", a.why);
		break;
	case 7:
		CHECK(str_is(ev->subject, "_INBOX.abc.4"));
		CHECK_INT(16, ev->hdr.n);
		CHECK_INT(0, ev->data.n);
		CHECK_INT(503, nats_hdr_status(ev->hdr.p, ev->hdr.n));
		nats_puback_read(ev, &a);
		CHECK_INT(NATS_ACK_NO_RESPONDERS, a.outcome);
		CHECK_HAS(a.why, "503");
		break;
	case 8:
		CHECK(str_is(ev->data, "Unknown Protocol Operation"));
		break;
	}
}

static void read_whole(void)
{
	struct nats_rd r;
	struct nats_event ev;
	const char *why = NULL;
	size_t off = 0;
	int k = 0;
	long n;

	nats_rd_reset(&r);
	while ((n = nats_wire_read(&r, session + off, sizeof session - 1 - off, &ev, &why)) > 0) {
		if (k < N_EVENTS)
			check_session_event(k, &ev);
		k++;
		off += (size_t)n;
	}
	CHECK_INT(0, n);
	CHECK_INT(N_EVENTS, k);
	CHECK_INT(sizeof session - 1, off);
}

/* One byte more each call, the bytes moved to another place each time:
 * the same events, and no line searched twice. */
static void read_bytewise(void)
{
	static char a[sizeof session], b[sizeof session];
	struct nats_rd r;
	struct nats_event ev;
	const char *why = NULL;
	size_t start = 0, have = 0;
	int k = 0;

	nats_rd_reset(&r);
	for (size_t end = 1; end <= sizeof session - 1; end++) {
		char *buf = (end & 1) ? a : b;
		long n;

		memcpy(buf, session + start, end - start);
		have = end - start;
		n = nats_wire_read(&r, buf, have, &ev, &why);
		if (!CHECK(n >= 0))
			return;
		CHECK(r.scanned <= have);
		if (n > 0) {
			if (k < N_EVENTS)
				check_session_event(k, &ev);
			k++;
			start += (size_t)n;
		}
	}
	CHECK_INT(N_EVENTS, k);
	CHECK_INT(sizeof session - 1, start);
}

struct bad {
	const char *in, *why;
};

static void read_refused(void)
{
	static const struct bad bad[] = {
		{ "FOO\r\n", "unknown operation" },
		{ "PING\n", "line not ended by CRLF" },
		{ "\r\n", "empty line" },
		{ "PING x\r\n", "with arguments" },
		{ "INFO \r\n", "INFO without its JSON" },
		{ "MSG a 1\r\n", "MSG: not 3 or 4 arguments" },
		{ "MSG a 1 r 2 3\r\n", "MSG: not 3 or 4 arguments" },
		{ "HMSG a 1 12\r\n", "HMSG: not 4 or 5 arguments" },
		{ "MSG a 1 x\r\n", "not a number" },
		{ "MSG a 1 -1\r\n", "not a number" },
		{ "MSG a 1 1048577\r\n", "larger than 1 MiB" },
		{ "MSG a 1 99999999999999999999999\r\n", "larger than 1 MiB" },
		{ "HMSG a 1 20 10\r\n", "header size larger" },
		{ "HMSG a 1 4 4\r\n", "header block shorter" },
		{ "MSG a 1 2\r\nabXY", "payload not followed by CRLF" },
		{ "HMSG a 1 12 12\r\nHTTP/1.0\r\n\r\n\r\n", "header block not NATS/1.x" },
		{ "HMSG a 1 12 14\r\nNATS/1.0\r\nXYhi\r\n", "header block not NATS/1.x" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct nats_rd r;
		struct nats_event ev;
		const char *why = NULL;

		check_what = bad[i].in;
		nats_rd_reset(&r);
		CHECK_INT(-1, nats_wire_read(&r, bad[i].in, strlen(bad[i].in), &ev, &why));
		CHECK_HAS(why, bad[i].why);
		why = NULL;
		CHECK_INT(-1, nats_wire_read(&r, "PING\r\n", 6, &ev, &why));	/* sticky */
		CHECK_HAS(why, bad[i].why);
	}
	check_what = NULL;
}

static void read_bounds(void)
{
	static char line[NATS_LINE_MAX + 8];
	struct nats_rd r;
	struct nats_event ev;
	const char *why = NULL;

	memset(line, 'x', sizeof line);
	memcpy(line, "INFO {", 6);
	nats_rd_reset(&r);
	CHECK_INT(0, nats_wire_read(&r, line, NATS_LINE_MAX - 1, &ev, &why));
	CHECK_INT(-1, nats_wire_read(&r, line, NATS_LINE_MAX, &ev, &why));
	CHECK_HAS(why, "line longer than 16 KiB");
	/* The longest line taken: CRLF as its last two bytes. */
	line[NATS_LINE_MAX - 2] = '\r';
	line[NATS_LINE_MAX - 1] = '\n';
	nats_rd_reset(&r);
	CHECK_INT(NATS_LINE_MAX, nats_wire_read(&r, line, sizeof line, &ev, &why));
	CHECK_INT(NATS_OP_INFO, ev.op);
}

static void read_forms(void)
{
	static const char msg[] = "msg\tinbox.1  7 \t reply.x 5\r\nhello\r\nping\r\n";
	static const char hmsg[] = "HMSG s 2 r 23 25\r\nNATS/1.0\r\nK: v\r\nX:y\r\n\r\nok\r\n";
	struct nats_rd r;
	struct nats_event ev;
	const char *why = NULL;
	long n;

	nats_rd_reset(&r);
	CHECK_INT(0, nats_wire_read(&r, msg, 30, &ev, &why));	/* payload cut short */
	n = nats_wire_read(&r, msg, sizeof msg - 1, &ev, &why);
	CHECK_INT(35, n);
	CHECK_INT(NATS_OP_MSG, ev.op);
	CHECK(str_is(ev.subject, "inbox.1") && str_is(ev.sid, "7") && str_is(ev.reply, "reply.x"));
	CHECK(str_is(ev.data, "hello"));
	CHECK_INT(6, nats_wire_read(&r, msg + n, sizeof msg - 1 - (size_t)n, &ev, &why));
	CHECK_INT(NATS_OP_PING, ev.op);
	nats_rd_reset(&r);
	CHECK_INT(sizeof hmsg - 1, nats_wire_read(&r, hmsg, sizeof hmsg - 1, &ev, &why));
	CHECK(str_is(ev.reply, "r") && ev.hdr.n == 23 && str_is(ev.data, "ok"));
	CHECK_INT(0, nats_hdr_status(ev.hdr.p, ev.hdr.n));
	nats_rd_reset(&r);
	CHECK_INT(13, nats_wire_read(&r, S("MSG a 1 0\r\n\r\nX"), &ev, &why));
	CHECK_INT(0, ev.data.n);
	nats_rd_reset(&r);
	CHECK_INT(7, nats_wire_read(&r, S("-ERR \r\n"), &ev, &why));
	CHECK(ev.op == NATS_OP_ERR && ev.data.n == 0);
}

static void ack_of(const char *data, struct nats_puback *a)
{
	struct nats_event ev = { .op = NATS_OP_MSG, .data = { data, strlen(data) } };

	check_what = data;
	nats_puback_read(&ev, a);
}

/* A PubAck whose object holds arrays nested to depth levels in all. */
static void deep(int depth, struct nats_puback *a)
{
	static char data[256];
	int n = snprintf(data, sizeof data, "{\"a\":");

	for (int i = 1; i < depth; i++)
		data[n++] = '[';
	data[n++] = '1';
	for (int i = 1; i < depth; i++)
		data[n++] = ']';
	snprintf(data + n, sizeof data - (size_t)n, ",\"seq\":1}");
	ack_of(data, a);
}

static void ack_json(void)
{
	struct nats_puback a;

	ack_of("{ \"seq\" : 42 , \"stream\" : \"STELE\", \"domain\": {\"x\": [1, {\"y\": \"}\"}]} }", &a);
	CHECK_INT(NATS_ACK_STORED, a.outcome);
	CHECK_INT(42, a.seq);
	ack_of("{\"stream\":\"STELE\",\"seq\":7,\"duplicate\":true}", &a);
	CHECK_INT(NATS_ACK_DUPLICATE, a.outcome);
	CHECK_INT(7, a.seq);
	ack_of("{\"stream\":\"STELE\",\"seq\":7,\"duplicate\": false}", &a);
	CHECK_INT(NATS_ACK_STORED, a.outcome);
	ack_of("{\"error\":{\"description\":\"a\\\"b\\\\c\\u00e9\\nd\","
	       "\"code\":503,\"err_code\":10077}}", &a);
	CHECK_INT(NATS_ACK_ERROR, a.outcome);
	CHECK_INT(503, a.code);
	CHECK_INT(10077, a.err_code);
	CHECK_STR("a\"b\\c???d", a.why);	/* é is two bytes of UTF-8 */
	ack_of("{\"error\":{\"code\":500}}", &a);
	CHECK_INT(NATS_ACK_ERROR, a.outcome);
	CHECK_HAS(a.why, "without a description");
	ack_of("{\"stream\":\"STELE\"}", &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	CHECK_HAS(a.why, "no seq");
	ack_of("{\"seq\":-1}", &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	ack_of("{\"seq\":99999999999999999999}", &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	ack_of("nope", &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	CHECK_HAS(a.why, "not a JSON object");
	ack_of("", &a);
	CHECK_HAS(a.why, "empty");
	ack_of("{\"a\":\"unterminated", &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	deep(JSON_DEPTH_MAX + 1, &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	deep(JSON_DEPTH_MAX, &a);
	CHECK_INT(NATS_ACK_STORED, a.outcome);
	check_what = NULL;
}

/* The two forms nats-server 2.9 writes for nearly every publish take a
 * short way (nats_ack.c); near misses take the full parse, and both
 * must read the same. */
static void ack_common(void)
{
	static const struct {
		const char *data;
		enum nats_ack outcome;
		uint64_t seq;
	} row[] = {
		{ "{\"stream\":\"STELE\", \"seq\":1}", NATS_ACK_STORED, 1 },
		{ "{\"stream\":\"STELE\", \"seq\":18446744073709551}", NATS_ACK_STORED, 18446744073709551ull },
		{ "{\"stream\":\"STELE\", \"seq\":9,\"duplicate\": true}", NATS_ACK_DUPLICATE, 9 },
		{ "{\"stream\":\"STELE\", \"seq\":9,\"duplicate\": false}", NATS_ACK_STORED, 9 },
		{ "{\"stream\":\"STELE\", \"seq\":9,\"duplicate\":true}", NATS_ACK_DUPLICATE, 9 },
		{ "{\"stream\":\"ST\\u0045LE\", \"seq\":3}", NATS_ACK_STORED, 3 },
		{ "{\"stream\":\"STELE\", \"seq\":03}", NATS_ACK_BAD, 0 },
		{ "{\"stream\":\"STELE\", \"seq\":}", NATS_ACK_BAD, 0 },
		{ "{\"stream\":\"STELE\", \"seq\":4} ", NATS_ACK_STORED, 4 },
		{ "{\"stream\":\"STELE\", \"seq\":4", NATS_ACK_BAD, 0 },
		{ "{\"stream\":\"STELE\", \"seq\":4,\"duplicate\": true", NATS_ACK_BAD, 0 },
		{ "{\"stream\":\"STELE\", \"seq\":123456789012345678901}", NATS_ACK_BAD, 0 },
	};
	struct nats_puback a;

	for (size_t i = 0; i < sizeof row / sizeof *row; i++) {
		ack_of(row[i].data, &a);
		CHECK_INT(row[i].outcome, a.outcome);
		if (row[i].outcome != NATS_ACK_BAD)
			CHECK_INT(row[i].seq, a.seq);
	}
	check_what = NULL;
}

static void ack_long_why(void)
{
	static char data[1024];
	struct nats_puback a;

	snprintf(data, sizeof data, "{\"error\":{\"code\":400,\"description\":\"%0500d\"}}", 0);
	ack_of(data, &a);
	CHECK_INT(NATS_WHY_MAX - 1, strlen(a.why));
	check_what = NULL;
}

static void ack_status(void)
{
	static const char h408[] = "NATS/1.0 408 Request Timeout\r\n\r\n";
	struct nats_event ev = { .op = NATS_OP_HMSG, .hdr = { S(h408) } };
	struct nats_puback a;

	nats_puback_read(&ev, &a);
	CHECK_INT(NATS_ACK_ERROR, a.outcome);
	CHECK_INT(408, a.code);
	CHECK_STR("status 408 Request Timeout", a.why);
	ev.hdr = (struct nats_str){ S("NATS/1.0 503 No Responders\r\n\r\n") };
	nats_puback_read(&ev, &a);
	CHECK_INT(NATS_ACK_NO_RESPONDERS, a.outcome);
	CHECK_STR("no responders: status 503 No Responders", a.why);
	/* Headers, no status: the payload says. */
	ev.hdr = (struct nats_str){ S("NATS/1.0\r\nK: v\r\n\r\n") };
	ev.data = (struct nats_str){ S("{\"seq\":3}") };
	nats_puback_read(&ev, &a);
	CHECK_INT(NATS_ACK_STORED, a.outcome);
	CHECK_INT(3, a.seq);
	ev.op = NATS_OP_PING;
	nats_puback_read(&ev, &a);
	CHECK_INT(NATS_ACK_BAD, a.outcome);
	CHECK_INT(-1, nats_hdr_status(S("HTTP/1.1 200")));
	CHECK_INT(0, nats_hdr_status(S("NATS/1.0 5x")));
	CHECK_INT(200, nats_hdr_status(S("NATS/1.0 200")));
}

static void info_forms(void)
{
	struct nats_info in;

	CHECK_INT(0, nats_info_read(S("{\"tls_required\":true,\"auth_required\":true}"), &in));
	CHECK(in.tls_required && in.auth_required && !in.headers && in.max_payload == 0);
	CHECK_INT(-1, nats_info_read(S("[1,2]"), &in));
	CHECK_INT(0, nats_info_read(S("{\"server_name\":\"n\\u0001\\tx\"}"), &in));
	CHECK_STR("n??x", in.server_name);
}

int main(void)
{
	fmt_connect();
	fmt_small();
	fmt_hpub();
	fmt_refused();
	read_whole();
	read_bytewise();
	read_refused();
	read_bounds();
	read_forms();
	ack_json();
	ack_common();
	ack_long_why();
	ack_status();
	info_forms();
	return check_done();
}
