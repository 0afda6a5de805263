#include "fetch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"

/* Waits for events on fd until deadline; 1 ready, 0 timed out, -1 error. */
static int wait_for(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd p = { fd, events, 0 };
		uint64_t now = clock_ms();
		int r;

		if (now >= deadline)
			return 0;
		r = poll(&p, 1, (int)(deadline - now));
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static int connect_to(uint32_t addr, uint16_t port, int *retry, char *why)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(addr) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err = 0, w;
	socklen_t elen = sizeof err;

	*retry = 1;
	if (fd < 0) {
		snprintf(why, HTTP_REASON_MAX, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
		return fd;
	if (errno != EINPROGRESS)
		err = errno;
	else if ((w = wait_for(fd, POLLOUT, clock_ms() + FETCH_CONNECT_MS)) <= 0)
		err = w == 0 ? ETIMEDOUT : errno;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
	if (!err)
		return fd;
	snprintf(why, HTTP_REASON_MAX, "connect: %s", strerror(err));
	close(fd);
	return -1;
}

static int send_all(int fd, const char *p, size_t len, uint64_t deadline, char *why)
{
	while (len > 0) {
		ssize_t k = send(fd, p, len, MSG_NOSIGNAL);

		if (k > 0) {
			p += k;
			len -= (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(why, HTTP_REASON_MAX, "send: %s", strerror(errno));
			return -1;
		} else if (wait_for(fd, POLLOUT, deadline) <= 0) {
			snprintf(why, HTTP_REASON_MAX, "request not sent within %d s", FETCH_REPLY_MS / 1000);
			return -1;
		}
	}
	return 0;
}

/* Reads until the reply is complete, the server closes, the buffer is
 * full or the deadline passes: at most HTTP_REPLY_MAX bytes, ever. */
static int receive(int fd, unsigned char *buf, struct http_reply *r, uint64_t deadline, char *why)
{
	size_t n = 0;

	for (;;) {
		ssize_t k = recv(fd, buf + n, HTTP_REPLY_MAX - n, 0);
		int eof = k == 0, st;

		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			snprintf(why, HTTP_REASON_MAX, "recv: %s", strerror(errno));
			return -1;
		}
		if (k > 0)
			n += (size_t)k;
		if (k < 0) {
			int w = wait_for(fd, POLLIN, deadline);

			if (w == 0) {
				snprintf(why, HTTP_REASON_MAX, "no complete reply within %d s (%zu bytes)",
					 FETCH_REPLY_MS / 1000, n);
				return -1;
			}
			if (w < 0) {
				snprintf(why, HTTP_REASON_MAX, "poll: %s", strerror(errno));
				return -1;
			}
			continue;
		}
		st = http_reply_parse(buf, n, eof, r, why);
		if (st == HTTP_COMPLETE)
			return 0;
		if (st == HTTP_BAD)
			return -1;
		if (n == HTTP_REPLY_MAX) {
			snprintf(why, HTTP_REASON_MAX, "reply larger than 64 KiB");
			return -1;
		}
	}
}

int fetch_exchange(uint32_t addr, uint16_t port, const char *req, size_t len,
		   unsigned char *buf, struct http_reply *r, int *retry, char *why)
{
	int fd = connect_to(addr, port, retry, why), rc;
	uint64_t deadline;

	if (fd < 0)
		return -1;
	*retry = 0;
	deadline = clock_ms() + FETCH_REPLY_MS;
	rc = send_all(fd, req, len, deadline, why) < 0 ? -1 : receive(fd, buf, r, deadline, why);
	close(fd);
	return rc;
}
