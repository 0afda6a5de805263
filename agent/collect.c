/* One round of metrics: the system's, PID 1's, and the agent's own, into
 * as many "metrics" records as it takes (each at most RING_RECORD_MAX). */
#include <stdio.h>

#include "collect.h"
#include "metrics.h"
#include "record.h"

#define LABELS_MAX 8

static unsigned char scratch[RING_RECORD_MAX];

struct round {
	struct intake *in;
	struct metrics_record m;
	int64_t t_ns;
	int open;
};

static void flush(struct round *r)
{
	if (r->open && r->m.n > 0)
		intake_push(r->in, scratch, record_metrics_end(&r->m), 0);
	r->open = 0;
}

static void begin(struct round *r)
{
	record_metrics_begin(&r->m, scratch, sizeof scratch, intake_seq(r->in), r->t_ns);
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

static void own(struct round *r, const struct agent_counts *c)
{
	const struct ring *ring = r->in->ring;

	sink(r, "stele_agent_queue_records", NULL, 0, (double)ring_records(ring));
	sink(r, "stele_agent_queue_bytes", NULL, 0, (double)ring_bytes(ring));
	sink(r, "stele_agent_dropped_records_total", NULL, 0, (double)ring_dropped_total(ring));
	sink(r, "stele_agent_sent_bytes_total", NULL, 0, (double)c->sent_bytes);
	sink(r, "stele_agent_reconnects_total", NULL, 0, (double)c->reconnects);
	sink(r, "stele_agent_kmsg_lost_total", NULL, 0, (double)c->kmsg_lost);
	sink(r, "stele_service_lines_dropped_total", NULL, 0, (double)c->lines_dropped);
	sink(r, "stele_console_lines_dropped_total", NULL, 0, (double)c->console_dropped);
	for (unsigned i = 0; i < SENDERS_MAX; i++) {
		const struct sender *s = &c->senders->s[i];
		struct metric_label service = { "service", s->name };

		if (s->name[0])
			sink(r, "stele_syslog_dropped_total", &service, 1, (double)s->dropped_total);
	}
}

void collect_metrics(struct intake *in, const struct agent_counts *c)
{
	struct round r = { .in = in, .t_ns = in->now_ns() };

	metrics_system(sink, &r);
	metrics_stele(sink, &r);
	own(&r, c);
	flush(&r);
}
