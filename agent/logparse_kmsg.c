/* /dev/kmsg records, one per read(2):
 *   "6,1234,5678901,-;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1\n"
 * The prefix is facility * 8 + level. The kernel's own records have
 * facility 0; a write to /dev/kmsg gets LOG_USER unless it names another
 * one, so anything else came from userspace, usually as "TAG: MSG" (PID 1
 * writes "<5>stele: ..."). Non-printable bytes arrive escaped as \xHH
 * and are passed on as the kernel wrote them. */
#include <string.h>

#include "logparse.h"

/* The kernel keeps an 8-bit facility and a 3-bit level. */
#define PREFIX_MAX 2047
#define FAC_MAX 23
#define FAC_USER 1

/* Decimal digits up to a ',' that is consumed; 0 if there are none or
 * they overflow. */
static int field(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;

	*v = 0;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*v > (UINT64_MAX - d) / 10)
			return 0;
		*v = *v * 10 + d;
	}
	if (s == *p || s == end || *s != ',')
		return 0;
	*p = s + 1;
	return 1;
}

int kmsg_parse(const char *buf, size_t len, struct log_fields *f, uint64_t *seq, uint64_t *usec)
{
	const char *p = buf, *end = buf + len, *msg, *nl;
	uint64_t prefix, s, us;

	if (!field(&p, end, &prefix) || !field(&p, end, &s) || !field(&p, end, &us) ||
	    prefix > PREFIX_MAX)
		return -1;
	/* FLAGS and any further fields (caller=T12 and the like) up to ';'. */
	while (p < end && *p != ';' && *p != '\n')
		p++;
	if (p == end || *p != ';')
		return -1;
	msg = p + 1;
	nl = memchr(msg, '\n', (size_t)(end - msg));
	*seq = s;
	*usec = us;
	f->sev = (int)(prefix & 7);
	f->fac = (int)(prefix >> 3);
	if (f->fac > FAC_MAX)
		f->fac = FAC_USER;	/* not a syslog facility: still someone's text */
	f->t_ns = -1;
	f->app = "kernel";
	f->app_len = 6;
	f->pid = -1;
	f->uid = -1;
	f->tag = buf;
	f->tag_len = 0;
	f->cont = 0;
	f->msg = msg;
	f->msg_len = nl ? (size_t)(nl - msg) : (size_t)(end - msg);
	if (prefix >> 3 != 0) {
		size_t n;

		f->app = msg;
		f->app_len = 0;
		n = syslog_tag_parse(f->msg, f->msg_len, f);
		f->msg += n;
		f->msg_len -= n;
	}
	return 0;
}
