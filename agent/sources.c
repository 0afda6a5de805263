/* The agent's inputs, all handed over by PID 1 (svc_line.h). Each is read
 * in batches so that one busy source cannot starve the others. Datagram
 * sources are peeked, recorded, and only then taken (dgram_peek.h): an
 * agent killed in between sends a line twice rather than never. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dgram_peek.h"
#include "record.h"
#include "sources.h"
#include "svc_line.h"

#define BATCH 64
#define DGRAM_MAX 8192		/* syslog datagrams beyond this are cut */

static unsigned char scratch[RING_RECORD_MAX];

static void recv_failed(void)
{
	fprintf(stderr, "agent: recv: %s\n", strerror(errno));
}

/* Whether each datagram source peeks in batches (sources_start). */
static int lines_batch, syslog_batch;

void sources_start(int lines_fd, int syslog_fd)
{
	lines_batch = dgram_peek_start(lines_fd);
	syslog_batch = dgram_peek_start(syslog_fd);
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

/* A service line, as PID 1 framed it. */
static void line_one(struct intake *in, struct line_joins *j, const char *msg, size_t n)
{
	struct svc_line_hdr h;

	if (n < sizeof h)
		return;
	memcpy(&h, msg, sizeof h);
	if (h.version != SVC_LINE_VERSION || n < sizeof h + h.name_len)
		return;
	struct line_piece p = {
		.name = msg + sizeof h, .name_len = h.name_len,
		.stream = h.stream == SVC_LINE_ERR ? SVC_LINE_ERR : SVC_LINE_OUT,
		.flags = h.flags, .pid = h.pid, .t_ns = h.t_ns,
		.text = msg + sizeof h + h.name_len, .len = n - sizeof h - h.name_len,
	};
	line_join_feed(j, &p, push_line, in);
}

int source_lines(struct intake *in, struct line_joins *j, int fd)
{
	static char msg[DGRAM_PEEK_MAX][sizeof(struct svc_line_hdr) + 255 + SVC_LINE_TEXT_MAX];
	struct mmsghdr mm[DGRAM_PEEK_MAX];
	struct iovec iov[DGRAM_PEEK_MAX];

	dgram_peek_buffers(mm, iov, msg[0], sizeof msg[0], NULL, 0);
	for (int got = 0; got < BATCH;) {
		int cut, n = dgram_peek(fd, mm, DGRAM_PEEK_MAX, lines_batch, &cut), k;

		if (n < 0)
			recv_failed();
		if (n <= 0)
			return 0;
		/* PID 1 never sends an empty one: that is the end of the stream. */
		for (k = 0; k < n && mm[k].msg_len > 0; k++)
			line_one(in, j, msg[k], mm[k].msg_len);
		if (dgram_take(fd, k, lines_batch, cut || k < n) < 0)
			recv_failed();
		if (k < n)
			return -1;
		got += n;
	}
	return 0;
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

/* One datagram, as its sender's record. */
static void syslog_one(struct intake *in, struct senders *s, char *msg, size_t n,
		       struct msghdr *m, struct sender_memo *memo)
{
	struct log_fields f;
	struct ucred cred;
	unsigned owner;
	size_t len;

	if (n == 0 || syslog_parse(msg, n, &f) != 0)
		return;
	attribute(&f, credentials(m, &cred) ? &cred : NULL, memo);
	owner = senders_owner(s, f.app_len ? memo->service : NULL);
	len = record_log(scratch, sizeof scratch, intake_seq(in), in->now_ns(), "syslog", &f, NULL);
	if (senders_admit(s, in->ring, owner, len))
		intake_push(in, scratch, len, owner);
}

/* Up to BATCH datagrams a wakeup. Each buffer is DGRAM_MAX; a longer
 * datagram is cut there. Only the pages a datagram reaches are touched. */
void source_syslog(struct intake *in, struct senders *s, int fd)
{
	static char msg[DGRAM_PEEK_MAX][DGRAM_MAX];
	static union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control[DGRAM_PEEK_MAX];
	struct sender_memo memo = { .pid = -1 };
	struct mmsghdr mm[DGRAM_PEEK_MAX];
	struct iovec iov[DGRAM_PEEK_MAX];

	dgram_peek_buffers(mm, iov, msg[0], DGRAM_MAX, (char *)control, sizeof control[0]);
	for (int got = 0; got < BATCH;) {
		int cut, n = dgram_peek(fd, mm, DGRAM_PEEK_MAX, syslog_batch, &cut);

		if (n < 0)
			recv_failed();
		if (n <= 0)
			return;
		for (int k = 0; k < n; k++)
			syslog_one(in, s, msg[k], mm[k].msg_len, &mm[k].msg_hdr, &memo);
		if (dgram_take(fd, n, syslog_batch, cut) < 0)
			recv_failed();
		got += n;
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
