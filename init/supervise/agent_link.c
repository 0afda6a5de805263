#include "agent_link.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "svc_line.h"
#include "run_file.h"

/* Room for minutes of a busy machine's lines while the agent is away. */
#define LINES_BUFFER (4 << 20)

static int lines_tx = -1;
static struct run_count dropped = { .name = "lines-dropped" };

static int devlog_open(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int size = 1 << 20, on = 1;

	if (fd < 0)
		return -1;
	unlink(sa.sun_path);
	/* Before the first datagram: each one carries its sender's pid and
	 * uid, which the agent records instead of what the text claims. */
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(sa.sun_path, 0666) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	return fd;
}

size_t agent_link_open(int fds[AGENT_LINK_FDS])
{
	int pair[2], size = LINES_BUFFER;

	fds[0] = memfd_create("stele-agent-ring", MFD_CLOEXEC);
	if (fds[0] < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		say("agent: cannot create its buffer or line socket: %s", strerror(errno));
		return 0;
	}
	setsockopt(pair[0], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
	setsockopt(pair[1], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
	if (fcntl(pair[0], F_SETFL, O_NONBLOCK) < 0)
		say("agent: line socket: %s", strerror(errno));
	lines_tx = pair[0];
	fds[1] = pair[1];
	if ((fds[2] = devlog_open()) < 0)
		say("agent: cannot bind /dev/log: %s", strerror(errno));
	if ((fds[3] = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		say("agent: cannot open /dev/kmsg: %s", strerror(errno));
	return AGENT_LINK_FDS;
}

void agent_link_send(const struct log_piece *p, pid_t pid)
{
	struct svc_line_hdr h = { SVC_LINE_VERSION, 0, 0, 0, (uint32_t)pid, 0 };
	size_t name_len = strnlen(p->name, 255);
	struct timespec ts;
	struct iovec iov[3];
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };

	if (lines_tx < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.stream = p->tag[0] == 'e' ? SVC_LINE_ERR : SVC_LINE_OUT;
	h.flags = (p->continued ? SVC_LINE_CONTINUED : 0) | (p->more ? SVC_LINE_MORE : 0);
	h.name_len = (uint8_t)name_len;
	h.t_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	iov[0] = (struct iovec){ &h, sizeof h };
	iov[1] = (struct iovec){ (void *)p->name, name_len };
	iov[2] = (struct iovec){ (void *)p->text, p->len };
	if (sendmsg(lines_tx, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		dropped.value++;
}

void agent_link_publish(uint64_t now, uint64_t *next_ms)
{
	run_count_publish(&dropped, now, next_ms);
}
