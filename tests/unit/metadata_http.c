/* stele-metadata's HTTP: the requests it sends, the replies it accepts
 * (outside input), and which cloud it asks. */
#include <string.h>

#include "check.h"
#include "http.h"
#include "source.h"

static unsigned char big[HTTP_REPLY_MAX + 1];

static int parse(const char *reply, int eof, struct http_reply *r, char *why)
{
	memset(r, 0, sizeof *r);
	why[0] = '\0';
	check_what = reply;
	return http_reply_parse((const unsigned char *)reply, strlen(reply), eof, r, why);
}

static void test_request(void)
{
	static const char *const hdr[] = { "X-aws-ec2-metadata-token-ttl-seconds: 60" };
	static const char *const bad[] = { "X: a\r\nInjected: b" };
	char out[HTTP_REQUEST_MAX];
	size_t n = http_request(out, sizeof out, "PUT", "/latest/api/token", "169.254.169.254", hdr, 1);

	CHECK_STR("PUT /latest/api/token HTTP/1.0\r\nHost: 169.254.169.254\r\n"
		  "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n", out);
	CHECK_INT(strlen(out), n);
	CHECK_INT(0, http_request(out, sizeof out, "GET", "/", "h", bad, 1));
	CHECK_INT(0, http_request(out, 40, "PUT", "/latest/api/token", "169.254.169.254", hdr, 1));
	/* Exactly full: the NUL needs a byte too. */
	n = http_request(out, sizeof out, "GET", "/", "h", NULL, 0);
	CHECK_INT(n, http_request(out, n + 1, "GET", "/", "h", NULL, 0));
	CHECK_INT(0, http_request(out, n, "GET", "/", "h", NULL, 0));
}

static void test_complete(void)
{
	struct http_reply r;
	char why[HTTP_REASON_MAX];
	const char *ok = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello";

	CHECK_INT(HTTP_COMPLETE, parse(ok, 0, &r, why));
	CHECK_INT(200, r.status);
	CHECK_INT(5, r.body_len);
	CHECK_STR("hello", ok + r.body);
	/* Bytes past Content-Length are not the body. */
	CHECK_INT(HTTP_COMPLETE, parse("HTTP/1.1 200 OK\r\ncontent-length:  2 \r\n\r\nhiXX", 1, &r, why));
	CHECK_INT(2, r.body_len);
	/* No Content-Length: the body ends where the server closed. */
	CHECK_INT(HTTP_INCOMPLETE, parse("HTTP/1.0 200 OK\r\n\r\nabc", 0, &r, why));
	CHECK_INT(HTTP_COMPLETE, parse("HTTP/1.0 200 OK\r\n\r\nabc", 1, &r, why));
	CHECK_INT(3, r.body_len);
	/* LF alone ends lines too; no reason phrase at all is allowed. */
	CHECK_INT(HTTP_COMPLETE, parse("HTTP/1.0 404\nContent-Length: 0\n\n", 0, &r, why));
	CHECK_INT(404, r.status);
	CHECK_INT(0, r.body_len);
	/* The same length twice is no conflict. */
	CHECK_INT(HTTP_COMPLETE,
		  parse("HTTP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx", 0, &r, why));
}

static void test_incomplete(void)
{
	struct http_reply r;
	char why[HTTP_REASON_MAX];

	CHECK_INT(HTTP_INCOMPLETE, parse("", 0, &r, why));
	CHECK_INT(HTTP_INCOMPLETE, parse("HTTP/1.0 200 OK\r\nContent-Le", 0, &r, why));
	CHECK_INT(HTTP_BAD, parse("HTTP/1.0 200 OK\r\nContent-Le", 1, &r, why));
	CHECK_HAS(why, "ends within its headers");
	CHECK_INT(HTTP_INCOMPLETE, parse("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", 0, &r, why));
	CHECK_INT(HTTP_BAD, parse("HTTP/1.0 200 OK\r\nContent-Length: 10\r\n\r\nabc", 1, &r, why));
	CHECK_HAS(why, "truncated: 3 of 10");
	CHECK_INT(HTTP_BAD, parse("", 1, &r, why));
}

static void test_bad(void)
{
	static const struct { const char *reply, *why; } cases[] = {
		{ "HTTP/2 200 OK\r\n\r\n", "not an HTTP/1.x status line" },
		{ "HTTP/1.0 20 OK\r\n\r\n", "not an HTTP/1.x status line" },
		{ "HTTP/1.0 2000 OK\r\n\r\n", "not an HTTP/1.x status line" },
		{ "HTTP/1.0 099 OK\r\n\r\n", "not an HTTP/1.x status line" },
		{ "HTTP/1.0 600 OK\r\n\r\n", "not an HTTP/1.x status line" },
		{ "SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x status line" },
		{ "HTTP/1.0 200 OK\r\nno colon here\r\n\r\n", "header line without a name" },
		{ "HTTP/1.0 200 OK\r\n: empty name\r\n\r\n", "header line without a name" },
		{ "HTTP/1.0 200 OK\r\nBad Name: x\r\n\r\n", "bad header name" },
		{ "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
		  "Transfer-Encoding" },
		{ "HTTP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", "bad Content-Length" },
		{ "HTTP/1.0 200 OK\r\nContent-Length: 1x\r\n\r\n", "bad Content-Length" },
		{ "HTTP/1.0 200 OK\r\nContent-Length:\r\n\r\n", "bad Content-Length" },
		{ "HTTP/1.0 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
		  "bad Content-Length" },
		{ "HTTP/1.0 200 OK\r\nContent-Length: 102400\r\n\r\n", "larger than 64 KiB (Content-Length 102400)" },
		{ "HTTP/1.0 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n",
		  "larger than 64 KiB (Content-Length at least 1000000000)" },
		/* The headers count: 65536 bytes of body cannot come after them. */
		{ "HTTP/1.0 200 OK\r\nContent-Length: 65536\r\n\r\n", "larger than 64 KiB" },
	};
	struct http_reply r;
	char why[HTTP_REASON_MAX];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(HTTP_BAD, parse(cases[i].reply, 0, &r, why));
		CHECK_HAS(why, cases[i].why);
	}
	check_what = NULL;
}

/* The parser never reads past what it was given, even when that ends in
 * the middle of anything: each prefix of a reply, in a buffer of exactly
 * its length (ASan catches a read one byte beyond). */
static void test_prefixes(void)
{
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nA: b\r\n\r\nbody";
	struct http_reply r;
	char why[HTTP_REASON_MAX];

	for (size_t n = 0; n <= sizeof reply - 1; n++) {
		unsigned char *copy = big + sizeof big - n;
		int st;

		memcpy(copy, reply, n);
		st = http_reply_parse(copy, n, 0, &r, why);
		CHECK_INT(n == sizeof reply - 1 ? HTTP_COMPLETE : HTTP_INCOMPLETE, st);
		st = http_reply_parse(copy, n, 1, &r, why);
		CHECK_INT(n == sizeof reply - 1 ? HTTP_COMPLETE : HTTP_BAD, st);
	}
}

static void test_select(void)
{
	char why[160];

	CHECK_INT(MD_AWS, md_select("ro stele.metadata=aws quiet", "QEMU\n", 5, why));
	CHECK_STR("", why);
	CHECK_INT(MD_GCE, md_select("stele.metadata=gce", "", 0, why));
	CHECK_INT(MD_OFF, md_select("stele.metadata=off", "Amazon EC2\n", 11, why));
	CHECK_INT(MD_AWS, md_select("", "Amazon EC2\n", 11, why));
	CHECK_INT(MD_AWS, md_select("", "Amazon EC2", 10, why));
	CHECK_INT(MD_GCE, md_select("root=x", "Google\n", 7, why));
	CHECK_INT(MD_OFF, md_select("", "Google Inc.\n", 12, why));
	CHECK_INT(MD_OFF, md_select("", "QEMU\n", 5, why));
	CHECK_INT(MD_OFF, md_select("", "", 0, why));
	CHECK_STR("", why);
	CHECK_INT(MD_OFF, md_select("stele.metadata=azure", "Google\n", 7, why));
	CHECK_HAS(why, "stele.metadata=azure: want aws, gce or off");
	CHECK_INT(MD_OFF, md_select("stele.metadata=awsawsawsawsawsawsaws", "Google\n", 7, why));
	CHECK_HAS(why, "too long");
	/* The last one given wins, as the kernel's own parameters do. */
	CHECK_INT(MD_GCE, md_select("stele.metadata=aws stele.metadata=gce", "", 0, why));
}

int main(void)
{
	test_request();
	test_complete();
	test_incomplete();
	test_bad();
	test_prefixes();
	test_select();
	return check_done();
}
