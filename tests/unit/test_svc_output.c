/* Service output into log lines: tags, splitting of long lines, escaping
 * of what is not printable, CRLF, and partial lines flushed at exit. */
#include <string.h>

#include "check.h"
#include "svc_output.h"

static char got[64 * 1024];
static size_t got_len;
static unsigned lines, more;

static void sink(void *ctx, const struct log_piece *p)
{
	char line[LOG_ESCAPED_MAX];
	size_t len = log_format(line, p);

	(void)ctx;
	if (got_len + len < sizeof got) {
		memcpy(got + got_len, line, len);
		got_len += len;
		got[got_len] = '\0';
	}
	lines++;
	more += p->more;
}

static struct svc_stream s;

static void reset(const char *tag)
{
	memset(&s, 0, sizeof s);
	s.tag = tag;
	got_len = 0;
	got[0] = '\0';
	lines = more = 0;
}

static void feed(const char *data, size_t n)
{
	stream_feed(&s, "web", data, n, sink, NULL);
}

static void test_lines(void)
{
	reset("out");
	feed("hello\nwor", 9);
	CHECK_STR("web[out]: hello\n", got);
	feed("ld\r\n\n", 5);
	CHECK_STR("web[out]: hello\nweb[out]: world\nweb[out]: \n", got);
	feed("no newline", 10);
	CHECK_INT(3, lines);
	stream_flush(&s, "web", sink, NULL);
	CHECK_INT(4, lines);
	CHECK_HAS(got, "web[out]: no newline\n");
	stream_flush(&s, "web", sink, NULL);		/* nothing left: nothing emitted */
	CHECK_INT(4, lines);

	reset("err");
	feed("a\rb\n", 4);			/* a lone CR is not a line end */
	CHECK_STR("web[err]: a\\x0db\n", got);
}

static void test_escape(void)
{
	char out[LOG_ESCAPED_MAX];

	CHECK_INT(25, log_escape(out, sizeof out, "bin:\x01\x02\xff\t\\ ~\x7f", 12));
	CHECK_STR("bin:\\x01\\x02\\xff\t\\\\ ~\\x7f", out);
	CHECK_INT(0, log_escape(out, sizeof out, "", 0));
	CHECK_STR("", out);
	/* A small buffer cuts at a whole escape, never inside one. */
	CHECK_INT(6, log_escape(out, 9, "ab\x01\x02", 4));
	CHECK_STR("ab\\x01", out);

	reset("out");
	feed("\x00\x1b[2J\n", 6);
	CHECK_STR("web[out]: \\x00\\x1b[2J\n", got);
}

static void test_split(void)
{
	static char big[5000];
	size_t xs = 0;

	memset(big, 'x', sizeof big);
	reset("out");
	feed(big, sizeof big);
	feed("\n", 1);
	/* 1024 + 1024 + 1024 + 1024 + 904: five pieces, the first untagged. */
	CHECK_INT(5, lines);
	CHECK(strncmp(got, "web[out]: xxxx", 14) == 0);
	for (size_t i = 0; i < got_len; i++)
		xs += got[i] == 'x';
	CHECK_INT(5000, xs);
	{
		unsigned cont = 0;

		for (char *p = got; (p = strstr(p, "web[out+]: ")); p += 11)
			cont++;
		CHECK_INT(4, cont);
	}
	/* Each piece but the last says another follows. */
	CHECK_INT(4, more);
	/* The next line starts fresh. */
	got_len = 0;
	feed("after\n", 6);
	CHECK_STR("web[out]: after\n", got);

	/* Exactly LOG_LINE_MAX bytes then a newline: one line, not split. */
	reset("out");
	feed(big, LOG_LINE_MAX);
	CHECK_INT(0, lines);
	feed("\n", 1);
	CHECK_INT(1, lines);
	CHECK_INT(0, more);
	CHECK(strstr(got, "[out+]") == NULL);
	/* Cut by the service's exit: the last piece says so too. */
	reset("out");
	feed(big, LOG_LINE_MAX + 10);
	stream_flush(&s, "web", sink, NULL);
	CHECK_INT(2, lines);
	CHECK_INT(1, more);
}

int main(void)
{
	test_lines();
	test_escape();
	test_split();
	return check_done();
}
