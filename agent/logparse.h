#ifndef STELE_AGENT_LOGPARSE_H
#define STELE_AGENT_LOGPARSE_H

#include <stddef.h>
#include <stdint.h>

/* What the agent's log sources parse out of their input. Pointers point
 * into the input buffer (nothing is copied or allocated); lengths are
 * always set. Absent fields: app_len 0, pid -1, t_ns -1, uid -1, tag_len 0.
 * The parsers fill app and pid from the text; for syslog the agent then
 * moves the text's claim to tag and puts the kernel's word (SO_PASSCRED)
 * in app, pid and uid. */
struct log_fields {
	int sev;			/* RFC 5424 severity 0-7 */
	int fac;			/* facility 0-23 */
	int64_t t_ns;			/* realtime ns since the epoch; -1: unknown */
	const char *app;
	size_t app_len;
	long pid;
	long uid;
	const char *tag;		/* what a syslog sender says it is */
	size_t tag_len;
	int cont;			/* continues a line an earlier record began */
	const char *msg;
	size_t msg_len;
};

/* One syslog(3) datagram as received on /dev/log: RFC 5424
 * ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG") or RFC 3164 /
 * musl-and-glibc style ("<PRI>Mmm dd hh:mm:ss APP[PID]: MSG", where the
 * host name is absent). A missing or bad PRI means user.notice (RFC 3164
 * section 4.3.3) and the whole datagram is the message. Trailing newlines
 * (and CRs, NULs) are trimmed. Returns 0, or -1 only for an empty datagram. */
int syslog_parse(const char *buf, size_t len, struct log_fields *f);

/* A leading "TAG: " or "TAG[PID]: " (the space optional; TAG printable
 * ASCII without ' ', '[' or ':'), as syslog(3) writes it: sets app,
 * app_len and pid and returns the bytes it takes; returns 0 and leaves f
 * alone if p does not start with one. */
size_t syslog_tag_parse(const char *p, size_t len, struct log_fields *f);

/* One record read from /dev/kmsg: "PRI,SEQ,USEC,FLAGS[,...];MESSAGE\n"
 * followed by " KEY=VALUE" continuation lines (ignored). app is "kernel"
 * for the kernel's own records (facility 0); a record userspace wrote
 * (any other facility) takes app and pid from a leading "TAG[PID]: ".
 * t_ns is -1 and *usec gets the monotonic timestamp (microseconds since
 * boot) for the caller to convert; *seq gets the kernel's sequence number.
 * Returns 0, or -1 if the record is malformed. */
int kmsg_parse(const char *buf, size_t len, struct log_fields *f, uint64_t *seq, uint64_t *usec);

#endif
