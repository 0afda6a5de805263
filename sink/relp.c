#include "relp.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "syslog5424.h"

int relp_sink_open(struct relp_sink *r, const char *to, const char *peer, const char *ca,
		   const char *cert, const char *key)
{
	memset(r, 0, sizeof *r);
	if (seen_init(&r->seen) < 0) {
		log_msg("sink relp: out of memory");
		return -1;
	}
	return relp_out_open(&r->out, to, peer, ca, cert, key);
}

void relp_sink_close(struct relp_sink *r)
{
	relp_out_close(&r->out);
	seen_free(&r->seen);
}

enum sink_took relp_sink_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen)
{
	struct relp_sink *r = ctx;
	struct seen_boot *b;
	const char *bad;
	size_t len;
	int fresh, rc;

	if (strcmp(m->kind, "metrics") == 0)
		return SINK_TAKEN;	/* not syslog's: the prometheus sink's */
	b = seen_get(&r->seen, m->host, m->boot_id, &fresh);
	if (seen_test(b, m->seq))
		return SINK_DUPLICATE;
	rc = syslog5424_format(m->line, m->len, r->msg, sizeof r->msg, &len, &bad);
	if (rc < 0) {
		/* Never a message: acked, so that it does not come again forever. */
		log_msg("sink relp: %s seq %llu: %s; not sent", m->host, (unsigned long long)m->seq, bad);
		return SINK_TAKEN;
	}
	if (rc == 0)
		return SINK_TAKEN;
	if (relp_out_send(&r->out, r->msg, len) < 0) {
		snprintf(why, whylen, "relp %s: send failed", r->out.where);
		seen_reset(&r->seen);
		return SINK_FAILED;
	}
	seen_mark(b, m->seq);
	return SINK_TAKEN;
}

int relp_sink_sync(void *ctx, char *why, size_t whylen)
{
	struct relp_sink *r = ctx;

	if (relp_out_sync(&r->out) < 0) {
		/* What this batch marked may not be in rsyslog: sent again. */
		seen_reset(&r->seen);
		snprintf(why, whylen, "relp %s: not every message acknowledged", r->out.where);
		return -1;
	}
	return 0;
}
