/* The agent's log parsers: syslog(3) datagrams in the RFC 5424 and the
 * musl/glibc BSD forms, and /dev/kmsg records. Every input is copied to a
 * buffer of exactly its length, so that ASan sees any read past it. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "logparse.h"

static struct log_fields f;
static char *copy;
static char field[1024];

static const char *str(const char *p, size_t n)
{
	if (!p)
		return NULL;
	if (n >= sizeof field)
		n = sizeof field - 1;
	memcpy(field, p, n);
	field[n] = '\0';
	return field;
}

/* Parses a copy of exactly len bytes; fields stay valid until the next. */
static int sys(const char *in, size_t len)
{
	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, in, len);
	check_what = in;
	memset(&f, 0x55, sizeof f);
	return syslog_parse(copy, len, &f);
}

static int sysz(const char *in)
{
	return sys(in, strlen(in));
}

static uint64_t seq, usec;

static int kmsg(const char *in)
{
	size_t len = strlen(in);

	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, in, len);
	check_what = in;
	memset(&f, 0x55, sizeof f);
	seq = usec = 0xdead;
	return kmsg_parse(copy, len, &f, &seq, &usec);
}

#define APP(want) CHECK_STR(want, str(f.app, f.app_len))
#define MSG(want) CHECK_STR(want, str(f.msg, f.msg_len))

static int in_copy(const char *p, size_t n, size_t len)
{
	return p >= copy && p + n <= copy + len;
}

static void test_musl(void)
{
	/* musl: "<%d>%s %.*s%s%.0d%s: " with "%b %e %T" */
	CHECK_INT(0, sysz("<13>Nov 26 05:12:10 app[123]: msg"));
	CHECK_INT(1, f.fac);
	CHECK_INT(5, f.sev);
	CHECK_INT(-1, f.t_ns);
	APP("app");
	CHECK_INT(123, f.pid);
	MSG("msg");

	CHECK_INT(0, sysz("<30>Nov  6 05:12:10 web: listening on :80\n"));
	CHECK_INT(3, f.fac);
	CHECK_INT(6, f.sev);
	APP("web");
	CHECK_INT(-1, f.pid);
	MSG("listening on :80");

	/* No ident: musl still writes ": ". */
	CHECK_INT(0, sysz("<11>Jan  1 00:00:00 : no ident"));
	CHECK_INT(0, f.app_len);
	CHECK_INT(-1, f.pid);
	MSG("no ident");

	/* glibc, LOG_PID, a long path as ident, and an empty message. */
	CHECK_INT(0, sysz("<86>Dec 31 23:59:59 /usr/sbin/sshd[4194304]: "));
	CHECK_INT(10, f.fac);
	CHECK_INT(6, f.sev);
	APP("/usr/sbin/sshd");
	CHECK_INT(4194304, f.pid);
	MSG("");

	/* A message that is not "TAG: " after the stamp stays whole. */
	CHECK_INT(0, sysz("<13>Nov 26 05:12:10 hello world: x"));
	CHECK_INT(0, f.app_len);
	MSG("hello world: x");
	CHECK_INT(0, sysz("<13>Nov 26 05:12:10 app[12x]: m"));
	CHECK_INT(0, f.app_len);
	MSG("app[12x]: m");
	CHECK_INT(0, sysz("<13>Nov 26 05:12:10 app[]: m"));
	CHECK_INT(0, f.app_len);
	CHECK_INT(0, sysz("<13>Nov 26 05:12:10"));
	CHECK_INT(0, f.msg_len);

	/* No time stamp (Python's SysLogHandler, logger -p with a raw socket). */
	CHECK_INT(0, sysz("<12>cron:tick"));
	CHECK_INT(4, f.sev);
	APP("cron");
	MSG("tick");
	/* Not a BSD stamp: month misspelt, so it is the message. */
	CHECK_INT(0, sysz("<13>Noz 26 05:12:10 app: m"));
	MSG("Noz 26 05:12:10 app: m");
}

static void test_rfc5424(void)
{
	CHECK_INT(0, sysz("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
			  "\xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8"));
	CHECK_INT(4, f.fac);
	CHECK_INT(2, f.sev);
	CHECK_INT(1065910455003000000LL, f.t_ns);
	APP("su");
	CHECK_INT(-1, f.pid);
	MSG("'su root' failed for lonvick on /dev/pts/8");

	CHECK_INT(0, sysz("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - "
			  "%% It's time to make the do-nuts."));
	CHECK_INT(20, f.fac);
	CHECK_INT(5, f.sev);
	CHECK_INT(1061727255000003000LL, f.t_ns);
	APP("myproc");
	CHECK_INT(8710, f.pid);
	MSG("%% It's time to make the do-nuts.");

	CHECK_INT(0, sysz("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
			  "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
			  " \xef\xbb\xbf" "An application event log entry..."));
	APP("evntslog");
	MSG("An application event log entry...");

	/* Two elements, escapes \] \" \\ and a bare ']' inside quotes. */
	CHECK_INT(0, sysz("<14>1 2024-02-29T12:00:00+01:30 h app 7 - "
			  "[a@1 x=\"p\\]q\" y=\"r\\\"]s\\\\\"][b@2 z=\"]\"] the msg\n"));
	CHECK_INT(1709202600LL * 1000000000LL, f.t_ns);
	CHECK_INT(7, f.pid);
	MSG("the msg");

	/* Structured data and nothing after it. */
	CHECK_INT(0, sysz("<14>1 - h app - - [a@1 x=\"y\"]"));
	CHECK_INT(-1, f.t_ns);
	MSG("");

	/* Nil app, non-numeric PROCID, no fraction. */
	CHECK_INT(0, sysz("<15>1 1970-01-01T00:00:01Z h - worker-3 - - m"));
	CHECK_INT(1000000000LL, f.t_ns);
	CHECK_INT(0, f.app_len);
	CHECK_INT(-1, f.pid);
	MSG("m");

	/* Bad time stamps are unknown; the rest still parses. */
	static const char *const bad_ts[] = {
		"<14>1 2003-02-29T00:00:00Z h a 1 - - m",	/* not a leap year */
		"<14>1 2003-13-01T00:00:00Z h a 1 - - m",
		"<14>1 2003-10-11T24:00:00Z h a 1 - - m",
		"<14>1 2003-10-11T22:14:60Z h a 1 - - m",
		"<14>1 2003-10-11T22:14:15 h a 1 - - m",	/* no zone */
		"<14>1 2003-10-11T22:14:15.Z h a 1 - - m",
		"<14>1 2003-10-11T22:14:15+0100 h a 1 - - m",
		"<14>1 1969-12-31T23:59:59Z h a 1 - - m",
		"<14>1 2263-01-01T00:00:00Z h a 1 - - m",
		"<14>1 2003-10-11T22:14:15.0000000001Z h a 1 - - m",
	};
	for (size_t i = 0; i < sizeof bad_ts / sizeof bad_ts[0]; i++) {
		CHECK_INT(0, sysz(bad_ts[i]));
		CHECK_INT(-1, f.t_ns);
		APP("a");
		CHECK_INT(1, f.pid);
		MSG("m");
	}
	CHECK_INT(0, sysz("<14>1 2003-10-11T22:14:15.123456789Z h a 1 - - m"));
	CHECK_INT(1065910455123456789LL, f.t_ns);

	/* Unterminated structured data is kept as the message. */
	CHECK_INT(0, sysz("<14>1 - h a - - [id x=\"]"));
	MSG("[id x=\"]");
	CHECK_INT(0, sysz("<14>1 - h a - - [id x=\"\\"));
	MSG("[id x=\"\\");
	CHECK_INT(0, sysz("<14>1 - h a - - junk msg"));
	MSG("junk msg");
	/* "1 " without a time stamp after it is a BSD message. */
	CHECK_INT(0, sysz("<13>1 apple a day"));
	CHECK_INT(-1, f.t_ns);
	MSG("1 apple a day");
	CHECK_INT(0, sysz("<13>1 -"));
	MSG("1 -");
	/* Cut in the header: what was parsed stays, the message is empty. */
	CHECK_INT(0, sysz("<14>1 - h app"));
	APP("app");
	MSG("");
}

static void test_pri(void)
{
	static const char *const bad[] = {
		"<192>hello", "<013>hello", "<>hello", "<13hello", "<1234>hello", "<-1>hello",
		"13>hello", "<", "<1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(0, sysz(bad[i]));
		CHECK_INT(1, f.fac);
		CHECK_INT(5, f.sev);
		CHECK_INT(-1, f.t_ns);
		CHECK_INT(0, f.app_len);
		CHECK_INT(-1, f.pid);
		MSG(bad[i]);
	}
	/* No PRI: no tag either, the whole datagram is the message. */
	CHECK_INT(0, sysz("app: Nov 26 05:12:10"));
	CHECK_INT(0, f.app_len);
	MSG("app: Nov 26 05:12:10");

	CHECK_INT(0, sysz("<0>x"));
	CHECK_INT(0, f.fac);
	CHECK_INT(0, f.sev);
	CHECK_INT(0, sysz("<191>x"));
	CHECK_INT(23, f.fac);
	CHECK_INT(7, f.sev);

	CHECK_INT(-1, sys("", 0));
	CHECK_INT(0, sysz("\n"));
	CHECK_INT(0, f.msg_len);
	CHECK_INT(0, sysz("<13>m\r\n\n"));
	MSG("m");
	CHECK_INT(0, sys("<13>m\0", 5));
	MSG("m");
}

/* Every prefix of these parses without reading past it, and every field
 * it points at lies inside it. */
static void test_truncated(void)
{
	static const char *const whole[] = {
		"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - "
		"[a@1 x=\"p\\]q\" y=\"r\\\\\"] \xef\xbb\xbfmsg",
		"<13>Nov 26 05:12:10 app[123]: msg",
	};
	for (size_t w = 0; w < sizeof whole / sizeof whole[0]; w++) {
		for (size_t n = 1; n <= strlen(whole[w]); n++) {
			if (!CHECK_INT(0, sys(whole[w], n)))
				continue;
			CHECK(in_copy(f.msg, f.msg_len, n));
			CHECK(f.app_len == 0 || in_copy(f.app, f.app_len, n));
			CHECK(f.sev >= 0 && f.sev <= 7 && f.fac >= 0 && f.fac <= 23);
		}
	}
	for (size_t n = 1; n <= 32; n++) {
		const char *s = "6,1234,5678901,-;usb: x\n K=V\n";

		if (n > strlen(s))
			break;
		copy = realloc(copy, n);
		memcpy(copy, s, n);
		if (kmsg_parse(copy, n, &f, &seq, &usec) == 0)
			CHECK(in_copy(f.msg, f.msg_len, n));
		else
			CHECK(n < 17);
	}
}

static void test_kmsg(void)
{
	CHECK_INT(0, kmsg("6,1234,5678901,-;usb 1-1: new high-speed USB device\n"
			  " SUBSYSTEM=usb\n DEVICE=c189:1\n"));
	CHECK_INT(0, f.fac);
	CHECK_INT(6, f.sev);
	CHECK_INT(1234, seq);
	CHECK_INT(5678901, usec);
	CHECK_INT(-1, f.t_ns);
	APP("kernel");
	CHECK_INT(-1, f.pid);
	MSG("usb 1-1: new high-speed USB device");

	/* PID 1's "<5>stele: ..." arrives with LOG_USER from the kernel. */
	CHECK_INT(0, kmsg("13,55,100,-;stele: root verified\n"));
	CHECK_INT(1, f.fac);
	CHECK_INT(5, f.sev);
	APP("stele");
	MSG("root verified");

	CHECK_INT(0, kmsg("30,56,200,c,caller=T1;systemd[1]: Started x.\n"));
	CHECK_INT(3, f.fac);
	APP("systemd");
	CHECK_INT(1, f.pid);
	MSG("Started x.");

	CHECK_INT(0, kmsg("12,57,300,-;no tag here\n"));
	CHECK_INT(0, f.app_len);
	MSG("no tag here");

	/* Escapes are passed on as written; no trailing newline is fine. */
	if (!CHECK_INT(0, kmsg("4,18446744073709551615,0,-;bad \\x01 byte")))
		return;
	CHECK_INT(UINT64_MAX, seq);
	CHECK_INT(4, f.sev);
	MSG("bad \\x01 byte");
	CHECK_INT(0, kmsg("6,1,2,-;"));
	MSG("");

	/* Facility past 23 (the kernel keeps 8 bits): user, kept. */
	CHECK_INT(0, kmsg("2047,3,4,-;x: y"));
	CHECK_INT(1, f.fac);
	CHECK_INT(7, f.sev);
	APP("x");

	static const char *const bad[] = {
		"", "6", "6,", "6,1", "6,1,2", "6,1,2,-", "6,1,2,-\n;m", "x,1,2,-;m", ",1,2,-;m",
		"6,,2,-;m", "6,1,,-;m", "2048,1,2,-;m", "6,18446744073709551616,2,-;m", "6;1,2,-;m",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(-1, kmsg(bad[i]));
}

int main(void)
{
	test_musl();
	test_rfc5424();
	test_pri();
	test_truncated();
	test_kmsg();
	free(copy);
	return check_done();
}
