/* One round of metrics: the system's, PID 1's, and the agent's own, into
 * as many "metrics" records as it takes (each at most RING_RECORD_MAX). */
#include <stdio.h>

#include "agent.h"
#include "metrics.h"

#define LABELS_MAX 8

static unsigned char scratch[RING_RECORD_MAX];

struct round {
	struct agent *a;
	struct metrics_record m;
	int64_t t_ns;
	int open;
};

static void flush(struct round *r)
{
	if (r->open && r->m.n > 0)
		agent_push(r->a, scratch, record_metrics_end(&r->m));
	r->open = 0;
}

static void begin(struct round *r)
{
	record_metrics_begin(&r->m, scratch, sizeof scratch, agent_next_seq(r->a), r->t_ns);
	r->open = 1;
}

static void sink(void *ctx, const char *name, const struct metric_label *labels,
		 size_t n_labels, double value)
{
	struct round *r = ctx;
	const char *kv[2 * LABELS_MAX];

	if (n_labels > LABELS_MAX)
		n_labels = LABELS_MAX;
	for (size_t i = 0; i < n_labels; i++) {
		kv[2 * i] = labels[i].name;
		kv[2 * i + 1] = labels[i].value;
	}
	if (!r->open)
		begin(r);
	if (record_metrics_sample(&r->m, name, kv, n_labels, value) == 0)
		return;
	flush(r);
	begin(r);
	if (record_metrics_sample(&r->m, name, kv, n_labels, value) < 0)
		fprintf(stderr, "agent: metric %.80s does not fit in a record\n", name);
}

static void own(struct round *r)
{
	const struct agent *a = r->a;

	sink(r, "stele_agent_queue_records", NULL, 0, (double)ring_records(&a->ring));
	sink(r, "stele_agent_queue_bytes", NULL, 0, (double)ring_bytes(&a->ring));
	sink(r, "stele_agent_dropped_records_total", NULL, 0, (double)ring_dropped_total(&a->ring));
	sink(r, "stele_agent_sent_bytes_total", NULL, 0, (double)a->tr.bytes_sent);
	sink(r, "stele_agent_reconnects_total", NULL, 0, (double)a->tr.reconnects);
	sink(r, "stele_agent_kmsg_lost_total", NULL, 0, (double)a->lost_kmsg);
	sink(r, "stele_service_lines_dropped_total", NULL, 0, (double)agent_lines_dropped(a));
	sink(r, "stele_console_lines_dropped_total", NULL, 0, (double)agent_console_dropped(a));
	for (unsigned i = 0; i < SENDERS_MAX; i++) {
		const struct sender *s = &a->keep->senders.s[i];
		struct metric_label service = { "service", s->name };

		if (s->name[0])
			sink(r, "stele_syslog_dropped_total", &service, 1, (double)s->dropped_total);
	}
}

void collect_metrics(struct agent *a)
{
	struct round r = { .a = a, .t_ns = agent_now_ns() };

	metrics_system(sink, &r);
	metrics_stele(sink, &r);
	own(&r);
	flush(&r);
	if (a->connected)
		agent_report_drops(a);
}
