#ifndef STELE_COLLECTOR_METRICS_H
#define STELE_COLLECTOR_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "image_word.h"
#include "json.h"
#include "store.h"

/* The latest sample of every series of every host, from the agents'
 * "metrics" records ([name, {label: value}, number] each), served in the
 * Prometheus text format with the label instance="HOST" added, HOST
 * being the host the agent's certificate names: the convention for an
 * exporter that speaks for many targets, scraped with honor_labels. An
 * agent's own instance label is dropped; every other label is kept as
 * sent. Fixed bounds: what does not fit is counted and dropped, never
 * grown into. */

#define METRICS_HOSTS_MAX 64
#define METRICS_SERIES_MAX 4096		/* per host */
#define METRICS_KEY_MAX 512		/* name and rendered labels of one series */
#define METRICS_ARENA (256 * 1024)	/* bytes of keys per host */
#define METRICS_SLOTS 8192		/* hash slots per host, > 1.5 x series */

struct metrics_series {
	uint32_t off;		/* key in the host's arena: name then labels */
	uint16_t name_len, len;
	double value;
};

/* What a host's hello said of its image, and the --expect verdict on it
 * (README, "Drift visible to the fleet"); "" where the hello said nothing. */
struct metrics_image {
	char version[IMAGE_VERSION_MAX + 1];
	char roothash[129];
	char pcr11[IMAGE_PCR_HEX + 1];
	int expected;			/* 1 or 0; -1: no --expect list */
};

struct metrics_host {
	char name[STORE_NAME_MAX + 1];
	uint64_t heard_ms;		/* monotonic time of its last samples */
	int has_image;
	struct metrics_image image;
	size_t n, used;
	struct metrics_series series[METRICS_SERIES_MAX];
	uint16_t slot[METRICS_SLOTS];	/* series index + 1, 0: empty */
	char arena[METRICS_ARENA];
};

/* The collector's own figures, rendered with the agents' metrics. */
struct collector_stats {
	uint64_t connections, accepted, refused;
	uint64_t records, duplicates, invalid;
	uint64_t decode_errors, tls_errors, refused_hellos;
	uint64_t evicted, hello_timeouts, idle_closed, accept_pauses, disk_full;
	uint64_t bytes_written;
};

struct metrics {
	struct metrics_host *host;	/* METRICS_HOSTS_MAX of them */
	size_t n_hosts;
	uint64_t samples, bad_samples, dropped;
	uint64_t expiry_ms;		/* 0: never */
	uint64_t expired;		/* hosts that left for silence */
	const struct metrics_series **sorted;	/* for rendering */
	const struct metrics_host **sorted_host;
};

/* Allocates the tables (untouched memory until used). 0 or -1. */
int metrics_init(struct metrics *m);
void metrics_free(struct metrics *m);

/* Takes the samples (a complete CBOR array) of one metrics record of host.
 * A sample that is not [valid name, {valid label: text}, number] is
 * counted in bad_samples; one that does not fit, in dropped. */
void metrics_update(struct metrics *m, const char *host, const unsigned char *samples, size_t len,
		    uint64_t now_ms);

/* The same from a record's JSON line (the sinks that read the collector's
 * lines back): samples[len] is the text of its "samples" array as
 * record_json writes it, [["node_load1",{},0.5],...], not NUL-terminated.
 * The same rules and counters as metrics_update; null as a value (how
 * record_json writes a float that is not finite) is NaN. A text that is
 * not one valid JSON array changes nothing, not even the host's time. */
void metrics_update_json(struct metrics *m, const char *host, const char *samples, size_t len,
			 uint64_t now_ms);

/* The image of host, as its agent's hello said (metrics_image above),
 * rendered as stele_image_info{instance,version,roothash,pcr11} 1 and,
 * unless expected is -1, stele_image_expected{instance}. It belongs to the
 * host's table (added if new, marked heard at now_ms) and leaves with it:
 * the connection sets it at its hello and again with each metrics record,
 * so that a host that expired and speaks again has it back. No room for
 * the host: nothing is set. Agents cannot send these two names
 * themselves: such samples count as invalid. */
void metrics_image_set(struct metrics *m, const char *host, const struct metrics_image *img,
		       uint64_t now_ms);

/* Hosts whose last samples are older than expiry_ms leave, every series
 * with them: a machine that is gone must not look alive on a dashboard. */
void metrics_expire(struct metrics *m, uint64_t now_ms);

/* The exposition (text format 0.0.4): for each metric name one # HELP
 * line (metrics_help.c) and one # TYPE line (counter for names ending in
 * _total, else gauge), then its series sorted by host and labels, each
 * as name{instance="H",labels} value. The collector's own
 * stele_collector_* metrics first, without instance (Prometheus gives
 * them the collector's own target), then the hosts' stele_image_*, sorted
 * by host.
 * Returns 0, or -1 if b is too small (b->full set). */
int metrics_render(struct metrics *m, const struct collector_stats *own, struct jbuf *b);

#endif
