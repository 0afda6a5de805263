/* The metrics table and its Prometheus rendering: known answers, the
 * latest value winning, invalid samples counted, bounds holding. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "collector_cbor.h"
#include "metrics.h"

static struct metrics m;
static char out[1 << 20];

static const char *render(void)
{
	struct collector_stats st = { .connections = 2, .accepted = 5, .records = 7 };
	struct jbuf b = { out, 0, sizeof out - 1, 0 };

	CHECK_INT(0, metrics_render(&m, &st, &b));
	out[b.len] = '\0';
	/* Our own figures first: skip them. */
	{
		char *own = strstr(out, "\nstele_collector_hosts_expired_total ");

		return own ? strchr(own + 1, '\n') + 1 : out;
	}
}

/* samples: [name, {labels...}, value] with up to two labels. */
static void sample(struct cb *c, const char *name, const char *l1, const char *v1, const char *l2,
		   const char *v2, double value)
{
	cb_array(c, 3);
	cb_text(c, name);
	cb_map(c, l2 ? 2 : l1 ? 1 : 0);
	if (l1)
		cb_kv(c, l1, v1);
	if (l2)
		cb_kv(c, l2, v2);
	cb_double(c, value);
}

static void test_render(void)
{
	struct cb c = { .n = 0 };

	cb_array(&c, 5);
	sample(&c, "node_load1", NULL, NULL, NULL, NULL, 0.5);
	sample(&c, "node_cpu_seconds_total", "cpu", "0", "mode", "idle", 100.25);
	sample(&c, "node_cpu_seconds_total", "cpu", "0", "mode", "user", 3);
	sample(&c, "stele_service_restarts_total", "service", "a\"b\\c\nd", NULL, NULL, 1);
	sample(&c, "node_load1", NULL, NULL, NULL, NULL, 0.75);	/* later wins */
	metrics_update(&m, "web-1", c.b, c.n, 0);

	c.n = 0;
	cb_array(&c, 6);
	sample(&c, "node_load1", NULL, NULL, NULL, NULL, 2);
	sample(&c, "node_x", "host", "inner", NULL, NULL, -1e-7);
	/* instance is the collector's: the agent's is dropped, and a sample
	 * differing only in it is the same series (the later wins). */
	sample(&c, "node_y", "instance", "web-1", "a", "b", 1);
	sample(&c, "node_y", "a", "b", "instance", "other", 2);
	sample(&c, "node_nan", NULL, NULL, NULL, NULL, NAN);
	cb_array(&c, 3);
	cb_text(&c, "node_int");
	cb_map(&c, 0);
	cb_neg(&c, 41);
	metrics_update(&m, "db-1", c.b, c.n, 0);

	CHECK_STR("# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.\n"
		  "# TYPE node_cpu_seconds_total counter\n"
		  "node_cpu_seconds_total{instance=\"web-1\",cpu=\"0\",mode=\"idle\"} 100.25\n"
		  "node_cpu_seconds_total{instance=\"web-1\",cpu=\"0\",mode=\"user\"} 3\n"
		  "# HELP node_int Sent by the agent; the collector has no description of it.\n"
		  "# TYPE node_int gauge\n"
		  "node_int{instance=\"db-1\"} -42\n"
		  "# HELP node_load1 1m load average.\n"
		  "# TYPE node_load1 gauge\n"
		  "node_load1{instance=\"db-1\"} 2\n"
		  "node_load1{instance=\"web-1\"} 0.75\n"
		  "# HELP node_nan Sent by the agent; the collector has no description of it.\n"
		  "# TYPE node_nan gauge\n"
		  "node_nan{instance=\"db-1\"} NaN\n"
		  "# HELP node_x Sent by the agent; the collector has no description of it.\n"
		  "# TYPE node_x gauge\n"
		  "node_x{instance=\"db-1\",host=\"inner\"} -1e-07\n"
		  "# HELP node_y Sent by the agent; the collector has no description of it.\n"
		  "# TYPE node_y gauge\n"
		  "node_y{instance=\"db-1\",a=\"b\"} 2\n"
		  "# HELP stele_service_restarts_total Times PID 1 restarted the service this boot.\n"
		  "# TYPE stele_service_restarts_total counter\n"
		  "stele_service_restarts_total{instance=\"web-1\",service=\"a\\\"b\\\\c\\nd\"} 1\n",
		  render());
	CHECK_HAS(out, "# HELP stele_collector_connections Agent connections open now.\n"
		  "# TYPE stele_collector_connections gauge\nstele_collector_connections 2\n");
	CHECK_HAS(out, "stele_collector_records_total 7\n");
	CHECK_INT(0, m.bad_samples);
	CHECK_INT(0, m.dropped);
}

/* node_exporter's help for the families it names after a field. */
static void test_help(void)
{
	struct cb c = { .n = 0 };
	const char *r;

	cb_array(&c, 4);
	sample(&c, "node_memory_MemAvailable_bytes", NULL, NULL, NULL, NULL, 1);
	sample(&c, "node_memory_HugePages_Total", NULL, NULL, NULL, NULL, 0);
	sample(&c, "node_network_receive_bytes_total", "device", "eth0", NULL, NULL, 7);
	sample(&c, "node_network_up", "device", "eth0", NULL, NULL, 1);
	metrics_update(&m, "help", c.b, c.n, 0);
	r = render();
	CHECK_HAS(r, "# HELP node_memory_MemAvailable_bytes Memory information field "
		  "MemAvailable_bytes.\n# TYPE node_memory_MemAvailable_bytes gauge\n");
	/* _Total is not _total: a gauge, as node_exporter has it. */
	CHECK_HAS(r, "# HELP node_memory_HugePages_Total Memory information field "
		  "HugePages_Total.\n# TYPE node_memory_HugePages_Total gauge\n");
	CHECK_HAS(r, "# HELP node_network_receive_bytes_total Network device statistic "
		  "receive_bytes.\n# TYPE node_network_receive_bytes_total counter\n");
	CHECK_HAS(r, "# HELP node_network_up Sent by the agent; the collector has no "
		  "description of it.\n");
}

static void test_invalid(void)
{
	struct cb c = { .n = 0 };
	size_t before = m.n_hosts;

	cb_array(&c, 10);
	sample(&c, "9starts_with_digit", NULL, NULL, NULL, NULL, 1);
	sample(&c, "has space", NULL, NULL, NULL, NULL, 1);
	sample(&c, "ok_name", "__reserved", "v", NULL, NULL, 1);
	sample(&c, "ok_name", "bad-label", "v", NULL, NULL, 1);
	sample(&c, "ok_name", "a", "1", "a", "2", 1);		/* twice */
	sample(&c, "ok_name", "instance", "1", "instance", "2", 1);	/* twice, though dropped */
	sample(&c, "stele_collector_records_total", NULL, NULL, NULL, NULL, 1);	/* ours */
	cb_array(&c, 3);		/* value not a number */
	cb_text(&c, "ok_name");
	cb_map(&c, 0);
	cb_text(&c, "1");
	cb_array(&c, 2);		/* two elements */
	cb_text(&c, "ok_name");
	cb_map(&c, 0);
	cb_uint(&c, 5);			/* not an array at all */
	metrics_update(&m, "bad-host", c.b, c.n, 0);
	CHECK_INT(10, m.bad_samples);
	CHECK(strstr(render(), "ok_name") == NULL);
	CHECK_INT(before + 1, m.n_hosts);	/* the host is known, with nothing */
}

static void test_bounds(void)
{
	static struct cb c;
	char name[32], host[32];

	c.n = 0;
	cb_array(&c, METRICS_SERIES_MAX + 3);
	for (int i = 0; i < METRICS_SERIES_MAX + 3; i++) {
		snprintf(name, sizeof name, "s%d", i);
		sample(&c, name, NULL, NULL, NULL, NULL, i);
	}
	m.dropped = 0;
	metrics_update(&m, "many", c.b, c.n, 0);
	CHECK_INT(3, m.dropped);
	/* Known series still update when the table is full. */
	metrics_update(&m, "many", c.b, c.n, 0);
	CHECK_INT(6, m.dropped);

	c.n = 0;
	cb_array(&c, 1);
	sample(&c, "up", NULL, NULL, NULL, NULL, 1);
	m.dropped = 0;
	for (int i = 0; i < METRICS_HOSTS_MAX + 2; i++) {
		snprintf(host, sizeof host, "h%d", i);
		metrics_update(&m, host, c.b, c.n, 0);
	}
	CHECK_INT(METRICS_HOSTS_MAX, m.n_hosts);
	CHECK(m.dropped >= 2);

	/* The rendering fits a big buffer and reports a small one. */
	{
		struct collector_stats st = { 0 };
		static char big[16 << 20];
		char small[100];
		struct jbuf b = { big, 0, sizeof big, 0 };

		CHECK_INT(0, metrics_render(&m, &st, &b));
		big[b.len] = '\0';
		/* Not CHECK_HAS: it would print all of it. */
		CHECK(strstr(big, "\ns4095{instance=\"many\"} 4095\n") != NULL);
		CHECK(strstr(big, "\ns4096{") == NULL);
		/* web-1, db-1, help, bad-host, many, then h0-h58 fill the 64. */
		CHECK(strstr(big, "\nup{instance=\"h58\"} 1\n") != NULL);
		CHECK(strstr(big, "\nup{instance=\"h59\"}") == NULL);
		b = (struct jbuf){ small, 0, sizeof small, 0 };
		CHECK_INT(-1, metrics_render(&m, &st, &b));
		CHECK(b.full);
	}
}

/* A host silent for expiry_ms leaves with all its series; the others stay,
 * and a host that speaks again comes back. */
static void test_expiry(void)
{
	static struct cb c;
	const char *r;

	metrics_free(&m);
	CHECK(metrics_init(&m) == 0);
	m.expiry_ms = 30000;
	c.n = 0;
	cb_array(&c, 1);
	sample(&c, "node_load1", NULL, NULL, NULL, NULL, 1);
	metrics_update(&m, "old", c.b, c.n, 1000);
	metrics_update(&m, "new", c.b, c.n, 20000);
	metrics_expire(&m, 30999);
	CHECK_INT(2, m.n_hosts);
	metrics_expire(&m, 31000);
	CHECK_INT(1, m.n_hosts);
	CHECK_INT(1, m.expired);
	r = render();
	CHECK(strstr(r, "{instance=\"old\"}") == NULL);
	CHECK_HAS(r, "node_load1{instance=\"new\"} 1\n");
	metrics_update(&m, "old", c.b, c.n, 40000);
	metrics_expire(&m, 50000);
	CHECK_HAS(render(), "node_load1{instance=\"old\"} 1\n");
	CHECK(strstr(render(), "{instance=\"new\"}") == NULL);
	m.expiry_ms = 0;	/* never */
	metrics_expire(&m, UINT64_MAX / 2);
	CHECK_INT(1, m.n_hosts);
}

/* stele_image_* of each host with an image, sorted by host, after the
 * collector's own figures; agents cannot send those names; the image
 * leaves with its host and is back with the next metrics_image_set. */
static void test_image(void)
{
	static struct cb c;
	struct metrics_image a = { "1.2", "ab12", "", 1 }, b = { "", "", "00ff", 0 };

	metrics_free(&m);
	CHECK(metrics_init(&m) == 0);
	m.expiry_ms = 30000;
	metrics_image_set(&m, "web-2", &b, 1000);
	metrics_image_set(&m, "web-1", &a, 1000);
	c.n = 0;
	cb_array(&c, 3);
	sample(&c, "node_load1", NULL, NULL, NULL, NULL, 1);
	sample(&c, "stele_image_info", "version", "forged", NULL, NULL, 1);
	sample(&c, "stele_image_expected", "instance", "web-2", NULL, NULL, 1);
	metrics_update(&m, "web-2", c.b, c.n, 1000);
	CHECK_INT(2, m.bad_samples);
	CHECK_STR("# HELP stele_image_info The image the host's agent says it booted (its hello): "
		  "IMAGE_VERSION, root hash, PCR 11; empty if not said. Always 1.\n"
		  "# TYPE stele_image_info gauge\n"
		  "stele_image_info{instance=\"web-1\",version=\"1.2\",roothash=\"ab12\",pcr11=\"\"} 1\n"
		  "stele_image_info{instance=\"web-2\",version=\"\",roothash=\"\",pcr11=\"00ff\"} 1\n"
		  "# HELP stele_image_expected 1 if the host's version, root hash and PCR 11 are on the "
		  "collector's --expect list, else 0.\n"
		  "# TYPE stele_image_expected gauge\n"
		  "stele_image_expected{instance=\"web-1\"} 1\n"
		  "stele_image_expected{instance=\"web-2\"} 0\n"
		  "# HELP node_load1 1m load average.\n"
		  "# TYPE node_load1 gauge\n"
		  "node_load1{instance=\"web-2\"} 1\n",
		  render());

	/* web-1 leaves; its image with it. Set again, it is back. */
	metrics_update(&m, "web-2", c.b, c.n, 25000);
	metrics_expire(&m, 31000);
	render();
	CHECK(strstr(out, "instance=\"web-1\"") == NULL);
	CHECK_HAS(out, "stele_image_info{instance=\"web-2\"");
	a.expected = -1;	/* no --expect list: no stele_image_expected */
	b.expected = -1;
	metrics_image_set(&m, "web-1", &a, 32000);
	metrics_image_set(&m, "web-2", &b, 32000);
	render();
	CHECK_HAS(out, "stele_image_info{instance=\"web-1\",version=\"1.2\"");
	CHECK(strstr(out, "stele_image_expected") == NULL);
	/* Label values are escaped like any other. */
	snprintf(a.version, sizeof a.version, "%s", "x\"y");
	metrics_image_set(&m, "web-1", &a, 32000);
	render();
	CHECK_HAS(out, "version=\"x\\\"y\"");
}

int main(void)
{
	if (!CHECK(metrics_init(&m) == 0))
		return check_done();
	test_render();
	test_help();
	test_invalid();
	test_bounds();
	test_expiry();
	test_image();
	metrics_free(&m);
	return check_done();
}
