/* metrics_update_json: the samples of a record's JSON line, as
 * record_json writes them, go into the store exactly as the agent's CBOR
 * does (same series, same values, same counters); known answers for
 * escapes, null and instance; a text that is not JSON changes nothing;
 * bounds hold. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "collector_cbor.h"
#include "json_in.h"
#include "metrics.h"
#include "record_json.h"

static struct metrics mc, mj;
static char out_c[1 << 20], out_j[1 << 20];

static const char *render(struct metrics *m, char *out, size_t cap)
{
	struct collector_stats st = { .records = 3 };
	struct jbuf b = { out, 0, cap - 1, 0 };

	CHECK_INT(0, metrics_render(m, &st, &b));
	out[b.len] = '\0';
	return out;
}

static int update_json(struct metrics *m, const char *host, const char *text)
{
	check_what = text;
	metrics_update_json(m, host, text, strlen(text), 0);
	return 0;
}

static void sample(struct cb *c, const char *name, size_t n_labels, const char *const *kv,
		   double value)
{
	cb_array(c, 3);
	cb_text(c, name);
	cb_map(c, n_labels);
	for (size_t i = 0; i < 2 * n_labels; i++)
		cb_text(c, kv[i]);
	cb_double(c, value);
}

/* A metrics record through record_json, then its "samples" span. */
static int json_samples(const struct cb *item, char *line, size_t cap, struct json_val *samples)
{
	static const char prefix[] = "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":";
	struct jbuf b = { line, 0, cap, 0 };
	struct record r;
	struct json_val v;
	const char *why = NULL;

	if (!CHECK_INT(0, record_parse(item->b, item->n, &r, &why)) ||
	    !CHECK_INT(0, record_json(item->b, item->n, &r, prefix, sizeof prefix - 1, &b, &why)) ||
	    !CHECK_INT(0, json_parse(line, b.len, &v, &why)) ||
	    !CHECK_INT(0, json_object_get(&v, "samples", samples)))
		return -1;
	return 0;
}

/* Good and bad samples of every kind, once as CBOR and once as the line
 * the collector wrote for them: the same exposition, the same counts. */
static void test_same_as_cbor(void)
{
	static struct cb rec;
	static char line[1 << 17], longv[1001], longi[1001];
	static const char *const cpu[] = { "cpu", "0", "mode", "idle" };
	static const char *const esc[] = { "service", "a\"b\\c\nd\t\x01\xc3\xa9\xf0\x9f\x98\x80" };
	static const char *const badutf8[] = { "device", "sd\xff\xfe" };
	static const char *const inst[] = { "instance", "other-host", "a", "b" };
	static const char *const host[] = { "host", "inner" };
	static const char *const reserved[] = { "__name__", "x" };
	static const char *const twice[] = { "a", "1", "a", "2" };
	static const char *const badlabel[] = { "bad-label", "x" };
	const char *const longinst[] = { "instance", longi, "k", "v" };
	const char *const toolong[] = { "k", longv };
	struct json_val samples;
	struct record r;
	const char *why;

	memset(longv, 'v', sizeof longv - 1);
	memset(longi, 'i', sizeof longi - 1);
	rec.n = 0;
	cb_map(&rec, 4);
	cb_ku(&rec, "seq", 1);
	cb_ku(&rec, "t", 1700000000000000000u);
	cb_kv(&rec, "kind", "metrics");
	cb_text(&rec, "samples");
	cb_array(&rec, 26);
	sample(&rec, "node_load1", 0, NULL, 0.5);
	sample(&rec, "node_load1", 0, NULL, 0.75);	/* the later wins */
	sample(&rec, "node_cpu_seconds_total", 2, cpu, 123.4);
	sample(&rec, "stele_service_up", 1, esc, 1);
	sample(&rec, "node_disk_read_bytes_total", 1, badutf8, 1e300);
	sample(&rec, "node_y", 2, inst, -0.0);
	sample(&rec, "node_x", 1, host, 1e-7);
	sample(&rec, "node_nan", 0, NULL, NAN);
	sample(&rec, "node_long_instance", 2, longinst, 3);
	cb_array(&rec, 3);			/* integers, the widest */
	cb_text(&rec, "node_u64");
	cb_map(&rec, 0);
	cb_uint(&rec, UINT64_MAX);
	cb_array(&rec, 3);
	cb_text(&rec, "node_n64");
	cb_map(&rec, 0);
	cb_neg(&rec, UINT64_MAX);
	cb_array(&rec, 3);
	cb_text(&rec, "node_small");
	cb_map(&rec, 0);
	cb_single(&rec, 0.1f);
	/* bad: 14 of them */
	sample(&rec, "9name", 0, NULL, 1);
	sample(&rec, "na me", 0, NULL, 1);
	sample(&rec, "stele_collector_records_total", 0, NULL, 1);
	sample(&rec, "ok", 1, reserved, 1);
	sample(&rec, "ok", 2, twice, 1);
	sample(&rec, "ok", 1, badlabel, 1);
	sample(&rec, "ok", 1, toolong, 1);
	cb_array(&rec, 3);			/* value not a number */
	cb_text(&rec, "ok");
	cb_map(&rec, 0);
	cb_text(&rec, "1");
	cb_array(&rec, 3);			/* value a boolean */
	cb_text(&rec, "ok");
	cb_map(&rec, 0);
	cb_bool(&rec, true);
	cb_array(&rec, 3);			/* label value a number */
	cb_text(&rec, "ok");
	cb_map(&rec, 1);
	cb_text(&rec, "k");
	cb_uint(&rec, 1);
	cb_uint(&rec, 1);
	cb_array(&rec, 3);			/* labels an array */
	cb_text(&rec, "ok");
	cb_array(&rec, 0);
	cb_uint(&rec, 1);
	cb_array(&rec, 2);			/* two elements */
	cb_text(&rec, "ok");
	cb_map(&rec, 0);
	cb_array(&rec, 4);			/* four */
	cb_text(&rec, "ok");
	cb_map(&rec, 0);
	cb_uint(&rec, 1);
	cb_uint(&rec, 1);
	cb_uint(&rec, 5);			/* not an array */

	if (json_samples(&rec, line, sizeof line, &samples) < 0)
		return;
	CHECK_INT(0, record_parse(rec.b, rec.n, &r, &why));
	metrics_update(&mc, "web-1", r.samples, r.samples_len, 0);
	metrics_update_json(&mj, "web-1", samples.p, samples.len, 0);
	CHECK_INT(14, mc.bad_samples);
	CHECK_INT(mc.bad_samples, mj.bad_samples);
	CHECK_INT(12, mc.samples);
	CHECK_INT(mc.samples, mj.samples);
	CHECK_INT(0, mj.dropped);
	CHECK_STR(render(&mc, out_c, sizeof out_c), render(&mj, out_j, sizeof out_j));
	CHECK_HAS(out_j, "node_y{instance=\"web-1\",a=\"b\"} -0\n");
	CHECK_HAS(out_j, "node_long_instance{instance=\"web-1\",k=\"v\"} 3\n");
	CHECK_HAS(out_j, "node_u64{instance=\"web-1\"} 1.8446744073709552e+19\n");
	CHECK_HAS(out_j, "node_disk_read_bytes_total{instance=\"web-1\",device=\"sd\xef\xbf\xbd"
		  "\xef\xbf\xbd\"} 1e+300\n");
}

/* The example of the contract, escapes, null, instance. */
static void test_known(void)
{
	const char *r;

	metrics_free(&mj);
	CHECK(metrics_init(&mj) == 0);
	update_json(&mj, "db-1",
		    "[[\"node_load1\",{},0.5],[\"node_cpu_seconds_total\",{\"cpu\":\"0\",\"mode\":"
		    "\"idle\"},123.4]]");
	update_json(&mj, "db-1",
		    " [ [\"stele_service_up\" , {\"service\":\"a\\\"b\\\\c\\nd\\u00e9\\ud83d\\ude00\"}"
		    ",1] ,[\"node_nan\",{},null],[\"node_e\",{\"instance\":\"x\",\"\\u0061\":\"b\"},"
		    "-1.5E+3]]\n");
	CHECK_INT(0, mj.bad_samples);
	CHECK_INT(5, mj.samples);
	r = render(&mj, out_j, sizeof out_j);
	CHECK_HAS(r, "# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\n"
		  "node_load1{instance=\"db-1\"} 0.5\n");
	CHECK_HAS(r, "node_cpu_seconds_total{instance=\"db-1\",cpu=\"0\",mode=\"idle\"} 123.4\n");
	CHECK_HAS(r, "stele_service_up{instance=\"db-1\",service=\"a\\\"b\\\\c\\nd\xc3\xa9"
		  "\xf0\x9f\x98\x80\"} 1\n");
	CHECK_HAS(r, "node_nan{instance=\"db-1\"} NaN\n");
	CHECK_HAS(r, "node_e{instance=\"db-1\",a=\"b\"} -1500\n");
}

/* Not one valid JSON array: nothing stored, nothing counted, no host. */
static void test_not_json(void)
{
	static const char *const text[] = {
		"", " ", "[", "]", "{}", "\"x\"", "1", "null", "[[\"a\",{},1],]", "[[\"a\",{},1]] x",
		"[[\"a\",{},01]]", "[[\"a\",{},1]][]", "[[\"a\",{\"k\":\"\xff\"},1]]",
		"[[\"a\",{\"k\":\"\\ud800\"},1]]", "[[\"a\",{},1]", "\xef\xbb\xbf[]",
	};
	size_t hosts = mj.n_hosts;
	uint64_t samples = mj.samples, bad = mj.bad_samples, dropped = mj.dropped;

	for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
		update_json(&mj, "not-json", text[i]);
	check_what = NULL;
	CHECK_INT(hosts, mj.n_hosts);
	CHECK_INT(samples, mj.samples);
	CHECK_INT(bad, mj.bad_samples);
	CHECK_INT(dropped, mj.dropped);
	/* An empty array is valid: the host is heard, with nothing. */
	update_json(&mj, "empty", "[]");
	CHECK_INT(hosts + 1, mj.n_hosts);
}

/* Valid JSON, invalid samples: each counted once. */
static void test_bad_samples(void)
{
	uint64_t bad = mj.bad_samples, samples = mj.samples;

	update_json(&mj, "bad",
		    "[1,[],\"s\",null,{},[\"a\",{}],[\"a\",{},1,2],[1,{},1],[\"a\",[],1],"
		    "[\"a\",{\"k\":1},1],[\"a\",{},\"1\"],[\"a\",{},true],[\"9a\",{},1],"
		    "[\"a\",{\"__x\":\"v\"},1],[\"a\",{\"k\":\"v\",\"k\":\"w\"},1],"
		    "[\"a\",{\"instance\":1},1],[\"a\",{\"instance\":\"x\",\"instance\":\"y\"},1],"
		    "[\"stele_collector_x\",{},1],[\"a\",{},1e999],[\"a\\u0000\",{},1],"
		    "[\"ok\",{},1]]");
	CHECK_INT(bad + 20, mj.bad_samples);
	CHECK_INT(samples + 1, mj.samples);
}

/* Fixed bounds: a label set over METRICS_LABELS_MAX, a key over
 * METRICS_KEY_MAX are bad; series past METRICS_SERIES_MAX are dropped,
 * and known ones still update. */
static void test_bounds(void)
{
	static char text[METRICS_SERIES_MAX * 24 + 64];
	size_t n = 0;
	uint64_t bad = mj.bad_samples;

	n += (size_t)snprintf(text + n, sizeof text - n, "[[\"many_labels\",{");
	for (int i = 0; i < 33; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s\"l%d\":\"v\"", i ? "," : "", i);
	n += (size_t)snprintf(text + n, sizeof text - n, "},1],[\"long\",{\"k\":\"");
	for (int i = 0; i < METRICS_KEY_MAX; i++)
		text[n++] = 'x';
	n += (size_t)snprintf(text + n, sizeof text - n, "\"},1]]");
	metrics_update_json(&mj, "b", text, n, 0);
	CHECK_INT(bad + 2, mj.bad_samples);

	n = 0;
	text[n++] = '[';
	for (int i = 0; i < METRICS_SERIES_MAX + 3; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s[\"s%d\",{},%d]", i ? "," : "", i, i);
	text[n++] = ']';
	mj.dropped = 0;
	metrics_update_json(&mj, "full", text, n, 0);
	CHECK_INT(3, mj.dropped);
	metrics_update_json(&mj, "full", text, n, 0);
	CHECK_INT(6, mj.dropped);
}

int main(void)
{
	if (!CHECK(metrics_init(&mc) == 0) || !CHECK(metrics_init(&mj) == 0))
		return check_done();
	test_same_as_cbor();
	test_known();
	test_not_json();
	test_bad_samples();
	test_bounds();
	metrics_free(&mc);
	metrics_free(&mj);
	return check_done();
}
