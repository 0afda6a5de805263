/* The agent's inputs, all handed over by PID 1 (svc_line.h). Each is read
 * in batches so that one busy source cannot starve the others. Datagram
 * sources are peeked, recorded, and only then consumed: an agent killed in
 * between sends a line twice rather than never. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "record.h"
#include "sources.h"
#include "svc_line.h"

#define BATCH 64
#define DGRAM_MAX 8192		/* syslog datagrams beyond this are cut */

static unsigned char scratch[RING_RECORD_MAX];

static void consume(int fd)
{
	char c;

	/* Discards the peeked message, whatever its size. */
	if (recv(fd, &c, 1, MSG_DONTWAIT | MSG_TRUNC) < 0 && errno != EAGAIN)
		fprintf(stderr, "agent: recv: %s\n", strerror(errno));
}

static void push_log(struct intake *in, const char *src, const struct log_fields *f,
		     const char *stream, int64_t t_ns)
{
	size_t n = record_log(scratch, sizeof scratch, intake_seq(in), t_ns, src, f, stream);

	intake_push(in, scratch, n, 0);
}

static void push_line(void *ctx, const struct line_piece *p, int cont)
{
	struct log_fields f = {
		.sev = p->stream == SVC_LINE_ERR ? 3 : 6, .fac = 3,	/* daemon */
		.t_ns = p->t_ns, .app = p->name, .app_len = p->name_len, .pid = p->pid,
		.uid = -1, .cont = cont, .msg = p->text, .msg_len = p->len,
	};

	push_log(ctx, "service", &f, p->stream == SVC_LINE_ERR ? "err" : "out", p->t_ns);
}

void source_lines(struct intake *in, struct line_joins *j, int fd)
{
	static char msg[sizeof(struct svc_line_hdr) + 255 + SVC_LINE_TEXT_MAX];

	for (int i = 0; i < BATCH; i++) {
		struct svc_line_hdr h;
		ssize_t n = recv(fd, msg, sizeof msg, MSG_PEEK | MSG_DONTWAIT);

		if (n < 0)
			return;
		if (n < (ssize_t)sizeof h) {
			consume(fd);
			continue;
		}
		memcpy(&h, msg, sizeof h);
		if (h.version != SVC_LINE_VERSION || (size_t)n < sizeof h + h.name_len) {
			consume(fd);
			continue;
		}
		struct line_piece p = {
			.name = msg + sizeof h, .name_len = h.name_len,
			.stream = h.stream == SVC_LINE_ERR ? SVC_LINE_ERR : SVC_LINE_OUT,
			.flags = h.flags, .pid = h.pid, .t_ns = h.t_ns,
			.text = msg + sizeof h + h.name_len, .len = (size_t)n - sizeof h - h.name_len,
		};
		line_join_feed(j, &p, push_line, in);
		consume(fd);
	}
}

void source_lines_stop(struct intake *in, struct line_joins *j)
{
	line_join_flush(j, push_line, in);
}

/* Who sent the datagrams of one wakeup: the service of the last pid
 * asked, kept for the rest of that wakeup only. A burst from one sender
 * then costs one look at /proc, and a pid cannot be reused by another
 * process within one wakeup's few datagrams. */
struct sender_memo {
	long pid, uid;
	int known;			/* service holds its service */
	char service[SENDER_NAME_MAX];
};

/* The sender the kernel vouches for (SO_PASSCRED on the socket, set by
 * PID 1): pid and uid, and the service whose cgroup the pid is in. What
 * the text claims to be stays as its tag. */
static void attribute(struct log_fields *f, const struct ucred *cred, struct sender_memo *memo)
{
	f->tag = f->app;
	f->tag_len = f->app_len;
	f->app_len = 0;
	f->pid = -1;
	if (!cred)
		return;
	f->pid = cred->pid;
	f->uid = cred->uid;
	if (memo->pid != cred->pid || memo->uid != (long)cred->uid) {
		memo->pid = cred->pid;
		memo->uid = cred->uid;
		memo->known = sender_service(cred->pid, cred->uid, memo->service,
					     sizeof memo->service) == 0;
	}
	if (memo->known) {
		f->app = memo->service;
		f->app_len = strlen(memo->service);
	}
}

/* The SCM_CREDENTIALS the kernel attached, copied out (CMSG_DATA need not
 * be aligned for struct ucred). Returns 1, or 0 if there are none. */
static int credentials(struct msghdr *m, struct ucred *cred)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof *cred)) {
			memcpy(cred, CMSG_DATA(c), sizeof *cred);
			return 1;
		}
	}
	return 0;
}

void source_syslog(struct intake *in, struct senders *s, int fd)
{
	static char msg[DGRAM_MAX];
	struct sender_memo memo = { .pid = -1 };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control;

	for (int i = 0; i < BATCH; i++) {
		struct log_fields f;
		struct iovec iov = { msg, sizeof msg };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
				    .msg_controllen = sizeof control.buf };
		/* One call takes the datagram; a longer one is cut at DGRAM_MAX. */
		ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
		unsigned owner;
		size_t len;
		struct ucred cred;

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				fprintf(stderr, "agent: recv: %s\n", strerror(errno));
			return;
		}
		if (n == 0 || syslog_parse(msg, (size_t)n, &f) != 0)
			continue;
		attribute(&f, credentials(&m, &cred) ? &cred : NULL, &memo);
		owner = senders_owner(s, f.app_len ? memo.service : NULL);
		len = record_log(scratch, sizeof scratch, intake_seq(in), in->now_ns(), "syslog", &f,
				 NULL);
		if (senders_admit(s, in->ring, owner, len))
			intake_push(in, scratch, len, owner);
	}
}

/* kmsg stamps are CLOCK_MONOTONIC; realtime is the same clock plus the
 * offset between the two, taken now. */
static int64_t kmsg_realtime(const struct intake *in, uint64_t usec)
{
	struct timespec mono;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	return in->now_ns() - ((int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec) +
	       (int64_t)usec * 1000;
}

void source_kmsg(struct intake *in, uint64_t *lost, int fd)
{
	static char rec[8192];

	for (int i = 0; i < BATCH; i++) {
		struct log_fields f;
		uint64_t seq, usec;
		ssize_t n = read(fd, rec, sizeof rec);

		if (n < 0 && errno == EPIPE) {
			++*lost;	/* overwritten in the kernel's ring */
			continue;
		}
		if (n <= 0)
			return;
		if (kmsg_parse(rec, (size_t)n, &f, &seq, &usec) == 0) {
			f.t_ns = kmsg_realtime(in, usec);
			push_log(in, "kmsg", &f, NULL, f.t_ns);
		}
	}
}
