#include "syslog5424.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base64.h"
#include "json.h"
#include "json_in.h"

#define HOSTNAME_MAX 255	/* RFC 5424 §6: HOSTNAME, APP-NAME, PROCID, MSGID */
#define APPNAME_MAX 48
#define MSGID_MAX 32

/* The decoded string obj[key], cut to fit buf[cap] (NUL-terminated); its
 * length, 0 when it is missing or not a string. *cut says it was cut. */
static size_t text(const struct json_val *obj, const char *key, char *buf, size_t cap, int *cut)
{
	struct json_val v;
	size_t len = 0;

	buf[0] = '\0';
	if (json_object_get(obj, key, &v) == 0 && v.type == JSON_STRING)
		*cut = json_string(&v, buf, cap, &len) < 0;
	return len;
}

/* obj[key] as text, else obj[key_b64] decoded (in place: base64_decode
 * reads each group before it writes its bytes, and writes fewer), cut to
 * buf[cap - 1]. Returns 0, or -1 if key_b64 is there and not base64. */
static int bytes(const struct json_val *obj, const char *key, char *buf, size_t cap,
		 size_t *len, int *cut)
{
	char key_b64[32];
	struct json_val v;

	*cut = 0;
	*len = text(obj, key, buf, cap, cut);
	snprintf(key_b64, sizeof key_b64, "%s_b64", key);
	if (*len || json_object_get(obj, key_b64, &v) < 0)
		return 0;
	*len = text(obj, key_b64, buf, cap, cut);
	if (*cut)
		*len -= *len % 4;	/* whole groups of what fitted */
	return base64_decode(buf, *len, (unsigned char *)buf, cap, len);
}

static int u64(const struct json_val *obj, const char *key, uint64_t max, uint64_t *u)
{
	struct json_val v;

	return json_object_get(obj, key, &v) == 0 && json_u64(&v, u) == 0 && *u <= max ? 0 : -1;
}

/* A header field: PRINTUSASCII, at most max bytes, "-" when empty. A
 * character of UTF-8 (or a run of bytes that are not) becomes one '_'. */
static void field(struct jbuf *b, const char *s, size_t n, size_t max)
{
	size_t out = 0;

	for (size_t i = 0; i < n && out < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 && c <= 0xbf && i > 0 && (unsigned char)s[i - 1] >= 0x80)
			continue;
		jb_raw(b, c >= 33 && c <= 126 ? (const char *)&c : "_", 1);
		out++;
	}
	if (out == 0)
		jb_raw(b, "-", 1);
}

/* ' NAME="VALUE"': UTF-8 cut at a character, '"', '\' and ']' escaped. */
static void param(struct jbuf *b, const char *name, const char *s, size_t n)
{
	if (n > SYSLOG5424_VALUE_MAX) {
		n = SYSLOG5424_VALUE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	jb_cstr(b, " ");
	jb_cstr(b, name);
	jb_cstr(b, "=\"");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\' || s[i] == ']')
			jb_raw(b, "\\", 1);
		jb_raw(b, s + i, 1);
	}
	jb_raw(b, "\"", 1);
}

static void param_u64(struct jbuf *b, const char *name, uint64_t u)
{
	char tmp[24];

	param(b, name, tmp, (size_t)snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)u));
}

/* "t" (nanoseconds, maybe before 1970) as 2025-12-01T12:33:20.123456Z. An
 * int64_t of nanoseconds spans the years 1677-2262: always 4 digits. */
static void timestamp(struct jbuf *b, const struct json_val *obj)
{
	struct json_val v;
	int64_t t, sec, ns;
	struct tm tm;
	time_t tt;
	char tmp[96];	/* room for any int in each field, as -Wformat-truncation counts */

	if (json_object_get(obj, "t", &v) < 0 || json_i64(&v, &t) < 0) {
		jb_raw(b, "-", 1);
		return;
	}
	sec = t / 1000000000;
	ns = t % 1000000000;
	if (ns < 0) {
		sec--;
		ns += 1000000000;
	}
	tt = (time_t)sec;
	if (!gmtime_r(&tt, &tm)) {
		jb_raw(b, "-", 1);
		return;
	}
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ns / 1000));
	jb_cstr(b, tmp);
}

/* What differs between kinds. */
struct shape {
	unsigned pri;
	const char *app;		/* APP-NAME, or NULL: the record's "app" */
	char msgid[MSGID_MAX + 1];
	int event;			/* SD carries "app" and "count" */
};

/* <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD] */
static void header(struct jbuf *b, const struct json_val *obj, const struct shape *sh, int cut)
{
	char s[HOSTNAME_MAX + 1];
	uint64_t u;
	size_t n;
	int c;

	jb_cstr(b, "<");
	jb_u64(b, sh->pri);
	jb_cstr(b, ">1 ");
	timestamp(b, obj);
	jb_cstr(b, " ");
	field(b, s, text(obj, "host", s, sizeof s, &c), HOSTNAME_MAX);
	jb_cstr(b, " ");
	if (sh->app)
		jb_cstr(b, sh->app);
	else if (bytes(obj, "app", s, APPNAME_MAX * 4 + 1, &n, &c) == 0)
		field(b, s, n, APPNAME_MAX);
	else
		jb_cstr(b, "-");
	jb_cstr(b, " ");
	if (!sh->app && u64(obj, "pid", UINT64_MAX, &u) == 0)
		jb_u64(b, u);
	else
		jb_cstr(b, "-");
	jb_cstr(b, " ");
	field(b, sh->msgid, strlen(sh->msgid), MSGID_MAX);
	jb_cstr(b, " [" SYSLOG5424_SD_ID);
	if ((n = text(obj, "boot_id", s, SYSLOG5424_VALUE_MAX + 1, &c)) > 0)
		param(b, "boot", s, n);
	if (u64(obj, "seq", UINT64_MAX, &u) == 0)
		param_u64(b, "seq", u);
	if (sh->event && (n = text(obj, "app", s, SYSLOG5424_VALUE_MAX + 1, &c)) > 0)
		param(b, "app", s, n);
	if (sh->event && u64(obj, "count", UINT64_MAX, &u) == 0)
		param_u64(b, "count", u);
	if (cut)
		param(b, "truncated", "1", 1);
	jb_cstr(b, "]");
}

/* The shape of obj's kind, and its MSG into msg[cap]. 1, 0 (not sent) or
 * -1 with *why. */
static int shape_of(const struct json_val *obj, struct shape *sh, char *msg, size_t cap,
		    size_t *len, int *cut, const char **why)
{
	struct json_val kind;
	uint64_t sev, fac;
	int c;

	memset(sh, 0, sizeof *sh);
	if (json_object_get(obj, "kind", &kind) < 0 || kind.type != JSON_STRING) {
		*why = "record: \"kind\" missing or not a string";
		return -1;
	}
	if (json_string_is(&kind, "log")) {
		sh->pri = u64(obj, "sev", 7, &sev) == 0 && u64(obj, "fac", 23, &fac) == 0
				  ? (unsigned)(fac * 8 + sev) : 13;
		text(obj, "src", sh->msgid, sizeof sh->msgid, &c);
		if (bytes(obj, "msg", msg, cap, len, cut) < 0) {
			*why = "record: \"msg_b64\" is not base64";
			return -1;
		}
		return 1;
	}
	if (json_string_is(&kind, "event") || json_string_is(&kind, "invalid")) {
		int invalid = json_string_is(&kind, "invalid");

		sh->app = "stele";
		sh->event = 1;
		if (invalid)
			strcpy(sh->msgid, "invalid");
		else
			text(obj, "event", sh->msgid, sizeof sh->msgid, &c);
		sh->pri = invalid || strcmp(sh->msgid, "dropped") == 0 ? 3 * 8 + 4 : 3 * 8 + 5;
		*len = text(obj, invalid ? "reason" : "msg", msg, cap, cut);
		if (*len == 0 && !invalid)
			*len = text(obj, "event", msg, cap, cut);
		return 1;
	}
	return 0;
}

int syslog5424_format(const char *line, size_t n, char *out, size_t cap, size_t *len,
		      const char **why)
{
	char hdr[SYSLOG5424_HEAD_MAX];
	struct jbuf b = { hdr, 0, sizeof hdr, 0 };
	struct json_val obj;
	struct shape sh;
	char *msg = out + SYSLOG5424_HEAD_MAX;
	size_t mlen = 0;
	int cut = 0, rc;

	*len = 0;
	if (cap < SYSLOG5424_MIN) {
		*why = "syslog5424: output buffer smaller than SYSLOG5424_MIN";
		return -1;
	}
	if (json_parse(line, n, &obj, why) < 0)
		return -1;
	if (obj.type != JSON_OBJECT) {
		*why = "record: not a JSON object";
		return -1;
	}
	/* The MSG goes where it will end up at the latest; the header, only
	 * known to be at most SYSLOG5424_HEAD_MAX, is put before it after. */
	rc = shape_of(&obj, &sh, msg, cap - SYSLOG5424_HEAD_MAX, &mlen, &cut, why);
	if (rc <= 0)
		return rc;
	header(&b, &obj, &sh, cut);
	if (mlen)
		jb_raw(&b, " ", 1);
	if (b.full) {
		*why = "syslog5424: header longer than SYSLOG5424_HEAD_MAX";	/* a bug */
		return -1;
	}
	memmove(out + b.len, msg, mlen);
	memcpy(out, hdr, b.len);
	*len = b.len + mlen;
	return 1;
}
