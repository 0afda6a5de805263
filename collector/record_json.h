#ifndef STELE_COLLECTOR_RECORD_JSON_H
#define STELE_COLLECTOR_RECORD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "cbor_in.h"
#include "image_word.h"
#include "json.h"
#include "store.h"

/* The agent's items (DESIGN §6), each a complete, scanned CBOR item. Every
 * *why is a static string naming the field at fault. */

/* {"v": 1, "host": text, "boot_id": text, "agent": text, "roothash": text,
 *  "version": text, "pcr11": text, "pcr15": text}, the last three optional
 * (README: the hello as it is now, beyond DESIGN §6; older agents leave
 * them out). host and boot_id must be safe file names (store_name_ok),
 * agent and roothash are printable ASCII, cut at their buffer's size;
 * version must be an image version (image_version_ok), pcr11 and pcr15
 * IMAGE_PCR_HEX hex digits, kept lowercase; each "" when left out. Other
 * keys are ignored. */
struct hello {
	char host[STORE_NAME_MAX + 1];
	char boot_id[STORE_NAME_MAX + 1];
	char agent[64];
	char roothash[129];
	char version[IMAGE_VERSION_MAX + 1];
	char pcr11[IMAGE_PCR_HEX + 1], pcr15[IMAGE_PCR_HEX + 1];
};

int hello_parse(const unsigned char *item, size_t len, struct hello *h, const char **why);

/* A record's fixed fields, found before it is written: a map with "seq"
 * (unsigned), "t" (integer), "kind" (text). The first of each counts
 * (a second one found before all three are is refused; one after them is
 * left out of the line). */
struct record {
	uint64_t seq;
	struct cbor_val t, kind;
	const unsigned char *samples;	/* "samples" of a metrics record, or NULL */
	size_t samples_len;
};

int record_parse(const unsigned char *item, size_t len, struct record *r, const char **why);

#define RECORD_DEPTH_MAX 16	/* arrays and maps inside a record */

/* Appends the record's JSON line (prefix: the stream's
 * {"host":..,"boot_id":..,"seq": ) to b:
 *   {"host":H,"boot_id":B,"seq":N,"t":T,"kind":K,<other fields in order>}\n
 * A byte string field KEY is written as "KEY_b64": base64 (so "msg" that
 * was not UTF-8 becomes "msg_b64"), byte strings deeper down as base64
 * strings; floats that are not finite as null; "host" and "boot_id" keys
 * of the record are left out (the line's are the hello's).
 * Returns 0; -1 if b is full (b->len as it was); -2 if the record cannot
 * be written as JSON (a map key that is not text, nesting too deep). */
int record_json(const unsigned char *item, size_t len, const struct record *r,
		const char *prefix, size_t prefix_len, struct jbuf *b, const char **why);

/* The line of a record that is well-formed CBOR but not a record
 * record_parse() or record_json() accepts (a "poison" record: refused,
 * the agent would send it again forever, and hold up everything behind
 * it): stored as
 *   {"host":H,"boot_id":B,"seq":N,"kind":"invalid","reason":R,"raw_b64":..}
 * so that it can be acked. seq is the record's own if it has one, else
 * the one after the last. 0, or -1 if b is full (b->len as it was). */
int record_invalid_json(const unsigned char *item, size_t len, uint64_t seq, const char *reason,
			const char *prefix, size_t prefix_len, struct jbuf *b);

/* {"ack": seq} into out[RECORD_ACK_MAX]; returns its length. */
#define RECORD_ACK_MAX 16
size_t record_ack(unsigned char *out, uint64_t seq);

#endif
