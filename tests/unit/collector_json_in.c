/* Reading JSON (collector/json_in.c): what RFC 8259 allows is read, what
 * it does not is refused with a reason naming it, and values decode to
 * known answers. */

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "json_in.h"

static int parse(const char *s, struct json_val *v, const char **why)
{
	*why = NULL;
	return json_parse(s, strlen(s), v, why);
}

static void accepted(const char *s, enum json_type type, const char *raw)
{
	struct json_val v;
	const char *why;

	check_what = s;
	if (CHECK_INT(0, parse(s, &v, &why))) {
		CHECK_INT(type, v.type);
		CHECK_INT(strlen(raw), v.len);
		CHECK(v.len == strlen(raw) && memcmp(v.p, raw, v.len) == 0);
	} else {
		check_print_str("why", why);
	}
	check_what = NULL;
}

static void refused(const char *s, size_t n, const char *reason)
{
	struct json_val v;
	const char *why = NULL;

	check_what = s;
	CHECK_INT(-1, json_parse(s, n, &v, &why));
	CHECK_HAS(why, reason);
	check_what = NULL;
}

#define REFUSED(s, reason) refused(s, sizeof s - 1, reason)

static void test_grammar(void)
{
	accepted("null", JSON_NULL, "null");
	accepted(" \t\r\ntrue\n", JSON_TRUE, "true");
	accepted("false", JSON_FALSE, "false");
	accepted("-0", JSON_NUMBER, "-0");
	accepted("12.5e+3", JSON_NUMBER, "12.5e+3");
	accepted("0E-7 ", JSON_NUMBER, "0E-7");
	accepted("\"\"", JSON_STRING, "\"\"");
	accepted("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"", JSON_STRING,
		 "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"");
	accepted("[]", JSON_ARRAY, "[]");
	accepted("[ 1 , [ ] , {} ]", JSON_ARRAY, "[ 1 , [ ] , {} ]");
	accepted("{\"a\":{\"b\":[null]}}", JSON_OBJECT, "{\"a\":{\"b\":[null]}}");
	accepted("\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", JSON_STRING,
		 "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");

	REFUSED("", "empty");
	REFUSED("   ", "value missing");
	REFUSED("nul", "expected a value");
	REFUSED("True", "expected a value");
	REFUSED("01", "leading zero");
	REFUSED("-", "'-' not followed by a digit");
	REFUSED("+1", "expected a value");
	REFUSED(".5", "expected a value");
	REFUSED("1.", "digit after '.'");
	REFUSED("1e", "exponent");
	REFUSED("1e+", "exponent");
	REFUSED("NaN", "expected a value");
	REFUSED("[1,]", "expected a value");
	REFUSED("[1 2]", "expected ',' or ']'");
	REFUSED("[1", "array not closed");
	REFUSED("{\"a\":1,}", "member name");
	REFUSED("{a:1}", "member name");
	REFUSED("{\"a\" 1}", "expected ':'");
	REFUSED("{\"a\":1", "object not closed");
	REFUSED("{\"a\":1 \"b\":2}", "expected ',' or '}'");
	REFUSED("{\"a\":}", "expected a value");
	REFUSED("1 2", "more after the value");
	REFUSED("{} x", "more after the value");
	REFUSED("\xef\xbb\xbf{}", "expected a value");	/* no BOM */
	REFUSED("/* c */ 1", "expected a value");
	REFUSED("\f1", "expected a value");		/* not JSON white space */
	REFUSED("1\0", "more after the value");
	REFUSED("\"abc", "string not closed");
	REFUSED("\"abc\\", "string not closed");
	REFUSED("\"a\tb\"", "raw control character");
	REFUSED("\"a\0b\"", "raw control character");
	REFUSED("\"\\x41\"", "unknown escape");
	REFUSED("\"\\'\"", "unknown escape");
	REFUSED("\"\\u12\"", "4 hex digits");
	REFUSED("\"\\u12g4\"", "4 hex digits");
	REFUSED("\"\\udc00\"", "lone low surrogate");
	REFUSED("\"\\ud800\"", "high surrogate");
	REFUSED("\"\\ud800\\u0041\"", "high surrogate");
	REFUSED("\"\\ud800x\"", "high surrogate");
	REFUSED("\"\\ud800\\ud800\"", "high surrogate");
	REFUSED("\"\xc0\x80\"", "UTF-8");		/* overlong NUL */
	REFUSED("\"\xe0\x80\xaf\"", "UTF-8");		/* overlong '/' */
	REFUSED("\"\xed\xa0\x80\"", "UTF-8");		/* a surrogate */
	REFUSED("\"\xf4\x90\x80\x80\"", "UTF-8");	/* above U+10FFFF */
	REFUSED("\"\xff\"", "UTF-8");
	REFUSED("\"\xc3\"", "UTF-8");			/* cut short */
	REFUSED("\"\x80\"", "UTF-8");
}

static void test_depth(void)
{
	char s[2 * (JSON_DEPTH_MAX + 1) + 1];
	struct json_val v;
	const char *why;

	for (int d = JSON_DEPTH_MAX; d <= JSON_DEPTH_MAX + 1; d++) {
		memset(s, '[', (size_t)d);
		memset(s + d, ']', (size_t)d);
		CHECK_INT(d <= JSON_DEPTH_MAX ? 0 : -1, json_parse(s, 2 * (size_t)d, &v, &why));
	}
	CHECK_HAS(why, "nested deeper");
	memset(s, '{', sizeof s);
	CHECK_INT(-1, json_parse(s, sizeof s, &v, &why));	/* "{{": a name missing first */
	CHECK_HAS(why, "member name");
}

#define LINE "{\"host\":\"alpha\",\"boot_id\":\"3f2a\",\"seq\":17,\"t\":1764590000123456789," \
	"\"kind\":\"log\",\"src\":\"service\",\"app\":\"web\",\"pid\":212,\"sev\":6,\"fac\":3," \
	"\"msg\":\"listening on :80\",\"samples\":[[\"node_load1\",{},0.25],[\"x\",{\"cpu\":\"0\"},12]]}"

static void test_object(void)
{
	struct json_val line, v, name, s;
	struct json_iter it, in;
	const char *why;
	char buf[64];
	size_t len;
	uint64_t u;
	int64_t i;
	double d;
	int n = 0;

	if (!CHECK_INT(0, parse(LINE, &line, &why)))
		return;
	CHECK_INT(0, json_object_get(&line, "host", &v));
	CHECK_INT(0, json_string(&v, buf, sizeof buf, &len));
	CHECK_STR("alpha", buf);
	CHECK_INT(5, len);
	CHECK_INT(0, json_object_get(&line, "seq", &v));
	CHECK_INT(0, json_u64(&v, &u));
	CHECK_INT(17, u);
	CHECK_INT(0, json_object_get(&line, "t", &v));
	CHECK_INT(0, json_i64(&v, &i));
	CHECK_INT(1764590000123456789LL, i);
	CHECK_INT(0, json_object_get(&line, "kind", &v));
	CHECK(json_string_is(&v, "log"));
	CHECK(!json_string_is(&v, "lo"));
	CHECK(!json_string_is(&v, "logs"));
	CHECK_INT(-1, json_object_get(&line, "msg_b64", &v));
	CHECK_INT(-1, json_object_get(&line, "ho", &v));
	CHECK_INT(-1, json_object_get(&v, "x", &v));	/* not an object */

	/* samples: [[name, {labels}, number], ...] */
	CHECK_INT(0, json_object_get(&line, "samples", &v));
	CHECK_INT(JSON_ARRAY, v.type);
	json_iter_init(&it, &v);
	while (json_array_next(&it, &s)) {
		struct json_val e[3];
		int k = 0;

		CHECK_INT(JSON_ARRAY, s.type);
		json_iter_init(&in, &s);
		while (k < 3 && json_array_next(&in, &e[k]))
			k++;
		CHECK_INT(3, k);
		CHECK(!json_array_next(&in, &e[0]));
		CHECK_INT(JSON_STRING, e[0].type);
		CHECK_INT(JSON_OBJECT, e[1].type);
		CHECK_INT(0, json_double(&e[2], &d));
		CHECK(d == (n == 0 ? 0.25 : 12));
		n++;
	}
	CHECK_INT(2, n);

	/* Members in order, names as spans with their quotes. */
	json_iter_init(&it, &line);
	n = 0;
	while (json_object_next(&it, &name, &v))
		if (n++ == 1) {
			CHECK_INT(JSON_STRING, name.type);
			CHECK(name.len == 9 && memcmp(name.p, "\"boot_id\"", 9) == 0);
			CHECK(v.len == 6 && memcmp(v.p, "\"3f2a\"", 6) == 0);
		}
	CHECK_INT(12, n);

	CHECK_INT(0, json_object_get(&line, "msg", &v));
	json_iter_init(&it, &v);	/* a string: nothing to walk */
	CHECK(!json_array_next(&it, &s));
}

static void test_names(void)
{
	struct json_val o, v;
	const char *why;
	int64_t i;

	if (!CHECK_INT(0, parse(" { \"a\" : 1 , \"\\u0061pp\" : 2 , \"app\" : 3 , \"\" : 4 } ", &o, &why)))
		return;
	CHECK_INT(0, json_object_get(&o, "app", &v));
	CHECK_INT(0, json_i64(&v, &i));
	CHECK_INT(2, i);	/* the first, named by an escape */
	CHECK_INT(0, json_object_get(&o, "", &v));
	CHECK_INT(0, json_i64(&v, &i));
	CHECK_INT(4, i);
	CHECK_INT(0, parse("{}", &o, &why));
	CHECK_INT(-1, json_object_get(&o, "", &v));
}

static void test_strings(void)
{
	static const struct {
		const char *json, *want;
		size_t len;
	} cases[] = {
		{ "\"\"", "", 0 },
		{ "\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "a\"\\/\b\f\n\r\t", 9 },
		{ "\"\\u0000x\"", "\0x", 2 },
		{ "\"\\u00e9\\u20AC\"", "\xc3\xa9\xe2\x82\xac", 5 },
		{ "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4 },
		{ "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4 },
		{ "\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"",
		  "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf", 11 },
		{ "\"raw \xf0\x9f\x98\x80\"", "raw \xf0\x9f\x98\x80", 8 },
	};
	struct json_val v;
	const char *why;
	char buf[32];
	size_t len;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		check_what = cases[k].json;
		if (!CHECK_INT(0, parse(cases[k].json, &v, &why)))
			continue;
		CHECK_INT(0, json_string(&v, buf, sizeof buf, &len));
		CHECK_INT(cases[k].len, len);
		CHECK(len == cases[k].len && memcmp(buf, cases[k].want, len) == 0);
		CHECK_INT(0, buf[len]);
		if (!memchr(cases[k].want, 0, cases[k].len))
			CHECK(json_string_is(&v, cases[k].want));
	}
	check_what = NULL;

	/* Too small: cut at a character, NUL-terminated, -1. */
	CHECK_INT(0, parse("\"ab\\u00e9\"", &v, &why));
	CHECK_INT(-1, json_string(&v, buf, 4, &len));
	CHECK_INT(2, len);
	CHECK_STR("ab", buf);
	CHECK_INT(0, json_string(&v, buf, 5, &len));
	CHECK_INT(4, len);
	CHECK_INT(-1, json_string(&v, buf, 0, &len));
	CHECK_INT(0, parse("17", &v, &why));
	CHECK_INT(-1, json_string(&v, buf, sizeof buf, &len));
	CHECK(!json_string_is(&v, "17"));
}

static void test_numbers(void)
{
	static const struct {
		const char *json;
		int u_ok, i_ok;
		uint64_t u;
		int64_t i;
	} cases[] = {
		{ "0", 1, 1, 0, 0 },
		{ "-0", 0, 1, 0, 0 },
		{ "18446744073709551615", 1, 0, UINT64_MAX, 0 },
		{ "18446744073709551616", 0, 0, 0, 0 },
		{ "9223372036854775807", 1, 1, INT64_MAX, INT64_MAX },
		{ "9223372036854775808", 1, 0, 9223372036854775808u, 0 },
		{ "-9223372036854775808", 0, 1, 0, INT64_MIN },
		{ "-9223372036854775809", 0, 0, 0, 0 },
		{ "-5", 0, 1, 0, -5 },
		{ "1.0", 0, 0, 0, 0 },
		{ "1e3", 0, 0, 0, 0 },
		{ "\"1\"", 0, 0, 0, 0 },
	};
	struct json_val v;
	const char *why;
	uint64_t u;
	int64_t i;
	double d;

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		check_what = cases[k].json;
		if (!CHECK_INT(0, parse(cases[k].json, &v, &why)))
			continue;
		CHECK_INT(cases[k].u_ok ? 0 : -1, json_u64(&v, &u));
		if (cases[k].u_ok)
			CHECK(u == cases[k].u);
		CHECK_INT(cases[k].i_ok ? 0 : -1, json_i64(&v, &i));
		if (cases[k].i_ok)
			CHECK(i == cases[k].i);
	}
	check_what = NULL;

	CHECK_INT(0, parse("-12.5e-1", &v, &why));
	CHECK_INT(0, json_double(&v, &d));
	CHECK(d == -1.25);
	CHECK_INT(0, parse("1e400", &v, &why));
	CHECK_INT(-1, json_double(&v, &d));
	CHECK_INT(0, parse("1e-400", &v, &why));
	CHECK_INT(0, json_double(&v, &d));
	CHECK(d == 0);
	CHECK_INT(0, parse("0.1000000000000000000000000000000000000000000000000000000000000000001", &v, &why));
	CHECK_INT(-1, json_double(&v, &d));	/* longer than JSON_NUMBER_MAX */
	CHECK_INT(0, parse("null", &v, &why));
	CHECK_INT(-1, json_double(&v, &d));
}

int main(void)
{
	test_grammar();
	test_depth();
	test_object();
	test_names();
	test_strings();
	test_numbers();
	return check_done();
}
