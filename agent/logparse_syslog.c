/* syslog(3) datagrams from /dev/log. Two shapes arrive there: RFC 5424
 * from newer loggers, and the BSD form musl and glibc send, musl's being
 *   "<%d>%s %.*s%s%.0d%s: "  i.e.  "<13>Nov 26 05:12:10 app[123]: msg"
 * The BSD time stamp is the sender's local time with neither year nor
 * zone: rather than guess both, t_ns stays -1 for it and the agent stamps
 * the time of receipt, which on one host is within a scheduling delay.
 * Parsing is lenient about content and strict about bounds: a header cut
 * short keeps what was parsed and an empty message; a part that is not
 * what it should be becomes the message, so no text is dropped. */
#include <stdint.h>
#include <string.h>

#include "logparse.h"

#define PRI_MAX 191
#define TAG_MAX 128
#define NS_PER_S 1000000000LL

static int dig(char c)
{
	return c >= '0' && c <= '9';
}

/* n digits at s, or -1. */
static int num(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!dig(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "<PRI>": 1 to 3 digits without a leading zero (but "<0>"), at most 191.
 * Returns the bytes it takes, 0 if there is none. */
static size_t pri(const char *p, size_t len, int *v)
{
	size_t i = 1;
	int n = 0;

	if (len < 3 || p[0] != '<')
		return 0;
	while (i < len && i <= 3 && dig(p[i]))
		n = n * 10 + (p[i++] - '0');
	if (i == 1 || i >= len || p[i] != '>' || (i > 2 && p[1] == '0') || n > PRI_MAX)
		return 0;
	*v = n;
	return i + 1;
}

static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return dim[m - 1] + (m == 2 && leap);
}

/* RFC 5424 TIMESTAMP (RFC 3339 with a 'T', no leap second):
 * YYYY-MM-DDThh:mm:ss[.1-9 digits](Z|+hh:mm|-hh:mm). Returns ns since
 * the epoch, or -1 for "-", a malformed stamp, or one before 1970 or past
 * what int64 nanoseconds hold (2262). */
static int64_t timestamp(const char *s, size_t n)
{
	int y, mo, d, h, mi, sec, oh, om;
	int64_t frac = 0, scale = NS_PER_S, t;
	size_t i = 19;

	if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = num(s, 4);
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	h = num(s + 11, 2);
	mi = num(s + 14, 2);
	sec = num(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec < 0 || sec > 59 || d > days_in_month(y, mo))
		return -1;
	if (s[i] == '.') {
		size_t start = ++i;

		while (i < n && dig(s[i]) && i - start < 9) {
			scale /= 10;
			frac += (s[i++] - '0') * scale;
		}
		if (i == start)
			return -1;
	}
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		/* UTC */
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		oh = num(s + i + 1, 2);
		om = num(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return -1;
		t += (s[i] == '+' ? -1 : 1) * (oh * 3600 + om * 60);
	} else {
		return -1;
	}
	if (t < 0 || t >= INT64_MAX / NS_PER_S)
		return -1;
	return t * NS_PER_S + frac;
}

/* The next SP-terminated word from *p, the SP consumed. 0 at the end. */
static int word(const char **p, const char *end, const char **w, size_t *wlen)
{
	const char *s = *p, *e = s;

	if (s >= end)
		return 0;
	while (e < end && *e != ' ')
		e++;
	*w = s;
	*wlen = (size_t)(e - s);
	*p = e < end ? e + 1 : e;
	return 1;
}

/* STRUCTURED-DATA: "-", or "[...]" elements back to back in which a
 * quoted PARAM-VALUE may hold ']' and escapes '"', '\' and ']' with '\'.
 * Returns the byte after it, or NULL if it is malformed or cut short. */
static const char *sd_skip(const char *p, const char *end)
{
	if (p < end && *p == '-')
		return p + 1;
	if (p >= end || *p != '[')
		return NULL;
	while (p < end && *p == '[') {
		int quoted = 0;

		for (p++; p < end; p++) {
			if (quoted && *p == '\\') {
				if (++p == end)
					return NULL;
			} else if (*p == '"') {
				quoted = !quoted;
			} else if (!quoted && *p == ']') {
				break;
			}
		}
		if (p == end)
			return NULL;
		p++;
	}
	return p;
}

/* "1 " alone could start a BSD message ("<13>1 apple"): it is RFC 5424
 * only if a time stamp follows, "-" or something shaped like a date. */
static int rfc5424_stamp(const char *p, const char *end)
{
	if (end - p >= 2 && p[0] == '-' && p[1] == ' ')
		return 1;
	return end - p >= 11 && dig(p[0]) && dig(p[3]) && p[4] == '-' && p[7] == '-' &&
	       (p[10] == 'T' || p[10] == 't');
}

static void rfc5424(const char *p, const char *end, struct log_fields *f)
{
	const char *w, *sd;
	size_t n;
	long pid = 0;

	f->msg = end;
	f->msg_len = 0;
	if (!word(&p, end, &w, &n))
		return;
	f->t_ns = timestamp(w, n);
	if (!word(&p, end, &w, &n))	/* HOSTNAME: the agent knows its own */
		return;
	if (!word(&p, end, &w, &n))
		return;
	if (!(n == 1 && w[0] == '-')) {
		f->app = w;
		f->app_len = n;
	}
	if (!word(&p, end, &w, &n))
		return;
	for (size_t i = 0; i < n && pid >= 0; i++)
		pid = dig(w[i]) && pid < 100000000 ? pid * 10 + (w[i] - '0') : -1;
	f->pid = n > 0 ? pid : -1;
	if (!word(&p, end, &w, &n))	/* MSGID */
		return;
	sd = sd_skip(p, end);
	if (!sd || (sd < end && *sd != ' ')) {
		f->msg = p;	/* not structured data after all: keep it as text */
	} else {
		p = sd < end ? sd + 1 : sd;
		if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			p += 3;
		f->msg = p;
	}
	f->msg_len = (size_t)(end - f->msg);
}

/* "Mmm dd hh:mm:ss" as strftime's "%b %e %T" writes it. */
static int bsd_stamp(const char *s, size_t n)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	if (n < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' ||
	    (n > 15 && s[15] != ' '))
		return 0;
	for (size_t m = 0; m < 12; m++) {
		if (memcmp(s, months + 3 * m, 3) == 0)
			return (s[4] == ' ' || dig(s[4])) && dig(s[5]) && num(s + 7, 2) >= 0 &&
			       num(s + 10, 2) >= 0 && num(s + 13, 2) >= 0;
	}
	return 0;
}

size_t syslog_tag_parse(const char *p, size_t len, struct log_fields *f)
{
	size_t i = 0, tag_len;
	long pid = -1;

	while (i < len && i < TAG_MAX && p[i] > ' ' && p[i] < 0x7f && p[i] != '[' &&
	       p[i] != ':')
		i++;
	tag_len = i;
	if (i < len && p[i] == '[' && tag_len > 0) {
		pid = 0;
		for (i++; i < len && dig(p[i]) && pid < 100000000; i++)
			pid = pid * 10 + (p[i] - '0');
		if (i >= len || p[i] != ']' || p[i - 1] == '[')
			return 0;
		i++;
	}
	if (i >= len || p[i] != ':')
		return 0;
	i++;
	if (i < len && p[i] == ' ')
		i++;
	f->app = p;
	f->app_len = tag_len;
	f->pid = pid;
	return i;
}

int syslog_parse(const char *buf, size_t len, struct log_fields *f)
{
	const char *p = buf, *end;
	size_t n;
	int v = 13;	/* user.notice */

	if (len == 0)
		return -1;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == '\0'))
		len--;
	end = buf + len;
	n = pri(buf, len, &v);
	p += n;
	f->fac = v >> 3;
	f->sev = v & 7;
	f->t_ns = -1;
	f->app = buf;
	f->app_len = 0;
	f->pid = -1;
	f->uid = -1;
	f->tag = buf;
	f->tag_len = 0;
	f->cont = 0;
	if (n > 0 && end - p >= 2 && p[0] == '1' && p[1] == ' ' && rfc5424_stamp(p + 2, end)) {
		rfc5424(p + 2, end, f);
		return 0;
	}
	if (n > 0 && bsd_stamp(p, (size_t)(end - p)))
		p += end - p > 15 ? 16 : 15;
	if (n > 0)
		p += syslog_tag_parse(p, (size_t)(end - p), f);
	f->msg = p;
	f->msg_len = (size_t)(end - p);
	return 0;
}
