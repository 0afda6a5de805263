/* node_timex_*: adjtimex's fields in node_exporter's names and units, from
 * fixed struct timex values; then one real read on this host (modes 0
 * needs no privilege). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>

#include "check.h"
#include "metrics_parse.h"

static struct {
	char name[64];
	double value;
} got[32];
static size_t n_got;

static void sink(void *ctx, const char *name, const struct metric_label *labels, size_t n_labels,
		 double value)
{
	(void)ctx, (void)labels;
	CHECK_INT(0, n_labels);
	if (n_got < sizeof got / sizeof got[0]) {
		snprintf(got[n_got].name, sizeof got[n_got].name, "%s", name);
		got[n_got++].value = value;
	}
}

static int value_is(const char *name, double want)
{
	for (size_t i = 0; i < n_got; i++)
		if (strcmp(got[i].name, name) == 0) {
			if (fabs(got[i].value - want) <= 1e-12 * (fabs(want) > 1 ? fabs(want) : 1))
				return 1;
			fprintf(stderr, "    %s: want %.12g, got %.12g\n", name, want, got[i].value);
			return 0;
		}
	fprintf(stderr, "    %s: not sent\n", name);
	return 0;
}

static void test_fixed(void)
{
	struct timex t = { 0 };

	t.offset = -1500;		/* microseconds without STA_NANO */
	t.freq = 65536 * 10;		/* 10 ppm */
	t.maxerror = 250000;
	t.esterror = 1200;
	t.status = STA_PLL;
	t.constant = 2;
	t.tick = 10000;
	t.tai = 37;
	n_got = 0;
	metrics_timex_emit(&t, TIME_OK, sink, NULL);
	CHECK_INT(9, n_got);
	CHECK(value_is("node_timex_sync_status", 1));
	CHECK(value_is("node_timex_offset_seconds", -0.0015));
	CHECK(value_is("node_timex_frequency_adjustment_ratio", 1.00001));
	CHECK(value_is("node_timex_maxerror_seconds", 0.25));
	CHECK(value_is("node_timex_estimated_error_seconds", 0.0012));
	CHECK(value_is("node_timex_status", STA_PLL));
	CHECK(value_is("node_timex_loop_time_constant", 2));
	CHECK(value_is("node_timex_tick_seconds", 0.01));
	CHECK(value_is("node_timex_tai_offset_seconds", 37));

	/* STA_NANO: the offset is in nanoseconds; TIME_ERROR: unsynchronized. */
	t.status = STA_NANO | STA_UNSYNC;
	t.offset = -1500;
	t.freq = -65536 * 500;
	n_got = 0;
	metrics_timex_emit(&t, TIME_ERROR, sink, NULL);
	CHECK(value_is("node_timex_sync_status", 0));
	CHECK(value_is("node_timex_offset_seconds", -0.0000015));
	CHECK(value_is("node_timex_frequency_adjustment_ratio", 0.9995));
	CHECK(value_is("node_timex_status", STA_NANO | STA_UNSYNC));
	/* Leap second states are synchronized still. */
	n_got = 0;
	metrics_timex_emit(&t, TIME_INS, sink, NULL);
	CHECK(value_is("node_timex_sync_status", 1));
}

static void test_real(void)
{
	n_got = 0;
	metrics_timex(sink, NULL);
	CHECK_INT(9, n_got);
	for (size_t i = 0; i < n_got; i++)
		CHECK(strncmp(got[i].name, "node_timex_", 11) == 0 && isfinite(got[i].value));
}

int main(void)
{
	test_fixed();
	test_real();
	return check_done();
}
