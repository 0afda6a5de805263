#ifndef STELE_SINK_SYSLOG5424_H
#define STELE_SINK_SYSLOG5424_H

#include <stddef.h>

/* A record's JSON line (collector/record_json.c) as an RFC 5424 syslog
 * message, for the relp sink:
 *
 *   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID boot="B" seq="N"] MSG
 *
 * kind "log": PRI = fac * 8 + sev (user.notice, 13, when either is
 *   missing or out of range, as for a syslog(3) line without one);
 *   TIMESTAMP "t" in UTC with microseconds (RFC 5424 §6.2.3, cut, not
 *   rounded); HOSTNAME "host"; APP-NAME "app" (or "app_b64" decoded);
 *   PROCID "pid"; MSGID "src" (kmsg, service, syslog); MSG "msg", or the
 *   bytes of "msg_b64".
 * kind "event": APP-NAME "stele", PROCID "-", MSGID the event's name,
 *   PRI daemon.notice (29), daemon.warning (28) for "dropped"; the SD
 *   also carries the event's "app" and "count"; MSG its "msg", else its
 *   name.
 * kind "invalid" (a record the collector could not read, DESIGN §7): as an
 *   event named "invalid" at daemon.warning, MSG the collector's "reason";
 *   the raw bytes stay in the stream.
 * kind "metrics", and any other kind: no message (Prometheus' job).
 * A field that is missing is the NILVALUE "-" (TIMESTAMP too: the
 * receiver then puts its own time).
 *
 * The header is always valid: HOSTNAME, APP-NAME, PROCID and MSGID are
 * cut to 255, 48, 128 and 32 bytes, each character outside PRINTUSASCII
 * (33-126) becomes one '_', and an empty one is "-". PARAM-VALUEs are
 * UTF-8, cut to SYSLOG5424_VALUE_MAX bytes at a character, with '"', '\'
 * and ']' escaped (§6.3.3).
 *
 * MSG goes without the BOM of §6.4, as MSG-ANY: rsyslog keeps a BOM as
 * three bytes of the message (rsyslog issue 284, still open), so every
 * file, index and JSON document downstream would start with them. A "msg"
 * is valid UTF-8 all the same (the collector only writes such text); the
 * bytes of a "msg_b64" are sent as they are. A message longer than the
 * room left in the caller's buffer is cut (text at a character), and the
 * SD then says truncated="1".
 *
 * SD-ID: "stele" at Private Enterprise Number 32473, the number IANA
 * reserves for documentation (RFC 5612). A deployment that registers its
 * own PEN builds with -DSYSLOG5424_SD_ID='"stele@NNNN"'. */

#ifndef SYSLOG5424_SD_ID
#define SYSLOG5424_SD_ID "stele@32473"
#endif

#define SYSLOG5424_HEAD_MAX 1024	/* header and SD, whatever the line */
#define SYSLOG5424_VALUE_MAX 64		/* bytes of one PARAM-VALUE, before escaping */
#define SYSLOG5424_MIN (SYSLOG5424_HEAD_MAX + 1)

/* line[0..n) is one record's JSON line (a trailing newline is allowed).
 * out[cap] is the caller's, cap MUST be at least SYSLOG5424_MIN; the MSG
 * gets what SYSLOG5424_HEAD_MAX leaves.
 * Returns 1 with the message in out[0..*len) (no NUL, no newline), 0 for
 * a record that is not sent (metrics: the caller acks it and goes on), or
 * -1 with *why a static string if the line is not a record (not JSON, no
 * "kind", "msg_b64" not base64) or cap is too small: such a line never
 * will be one, so the caller MUST NOT try it again. */
int syslog5424_format(const char *line, size_t n, char *out, size_t cap, size_t *len,
		      const char **why);

#endif
