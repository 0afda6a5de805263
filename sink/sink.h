#ifndef STELE_SINK_SINK_H
#define STELE_SINK_SINK_H

#include <stddef.h>
#include <stdint.h>

/* A sink (DESIGN §7): a durable pull consumer of stream STELE that takes
 * each record somewhere else. consume.c fetches a batch, hands each
 * message to the sink's take(), calls its sync() (its own durable
 * write), and only then acks the messages to JetStream. What the sink
 * could not take is not acked: JetStream delivers it again, and take()
 * drops what it has already (by boot and seq). */

struct sink_msg {
	const char *kind;		/* log, metrics, event, invalid: from the subject */
	const char *host, *boot_id;	/* the Stele-* headers */
	uint64_t seq;
	const char *line;		/* the record's JSON line, no newline */
	size_t len;
};

enum sink_took { SINK_TAKEN, SINK_DUPLICATE, SINK_FAILED };

struct sink_ops {
	const char *kind;		/* its name: files, prometheus, relp */
	const char *subject;		/* the consumer's filter */
	/* SINK_FAILED: why says what; the message and the rest of the batch
	 * are not acked. */
	enum sink_took (*take)(void *ctx, const struct sink_msg *m, char *why, size_t whylen);
	/* Makes everything taken durable; 0, or -1 with why (nothing of the
	 * batch is acked). */
	int (*sync)(void *ctx, char *why, size_t whylen);
	/* Between batches, for at most timeout_ms: e.g. serve HTTP. May be
	 * NULL. */
	void (*idle)(void *ctx, int timeout_ms);
};

struct sink_config {
	const char *urls;
	const char *durable;		/* the consumer's name */
	int batch;			/* messages per fetch */
	const char *where;		/* where records go, for the start line */
};

/* Runs until SIGTERM or SIGINT (0) or a failure it cannot go on from
 * (111, said in one line). */
int sink_run(const struct sink_config *c, const struct sink_ops *ops, void *ctx);

/* `collector sink KIND ...`: argv[0] is "sink". Returns the exit status. */
int sink_main(int argc, char **argv);

#endif
