#include "dgram_peek.h"

#include <errno.h>
#include <string.h>

static int set_offset_0(int fd)
{
	int zero = 0;

	return setsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &zero, sizeof zero);
}

int dgram_peek_start(int fd)
{
	return set_offset_0(fd) == 0;
}

void dgram_peek_buffers(struct mmsghdr *mm, struct iovec *iov, char *bufs, size_t size,
			char *control, size_t control_size)
{
	for (int k = 0; k < DGRAM_PEEK_MAX; k++) {
		iov[k] = (struct iovec){ bufs + (size_t)k * size, size };
		mm[k] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[k], .msg_iovlen = 1 } };
		if (control) {
			mm[k].msg_hdr.msg_control = control + (size_t)k * control_size;
			mm[k].msg_hdr.msg_controllen = control_size;
		}
	}
}

int dgram_peek(int fd, struct mmsghdr *mm, int max, int batch, int *cut)
{
	size_t control[DGRAM_PEEK_MAX];
	int n;

	if (max > DGRAM_PEEK_MAX)
		max = DGRAM_PEEK_MAX;
	if (!batch)
		max = 1;
	for (int k = 0; k < max; k++) {
		control[k] = mm[k].msg_hdr.msg_controllen;
		mm[k].msg_hdr.msg_flags = 0;
	}
	*cut = 0;
	n = recvmmsg(fd, mm, (unsigned)max, MSG_PEEK | MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	for (int k = 0; k < n; k++) {
		if (mm[k].msg_hdr.msg_flags & MSG_TRUNC) {
			n = k + 1;
			*cut = 1;
			break;
		}
	}
	/* What the next call finds in place of what the kernel wrote. */
	for (int k = 0; k < max; k++)
		mm[k].msg_hdr.msg_controllen = control[k];
	return n;
}

int dgram_take(int fd, int n, int batch, int cut)
{
	struct mmsghdr mm[DGRAM_PEEK_MAX];
	int got;

	memset(mm, 0, sizeof mm);	/* no buffers: each datagram is dropped whole */
	got = n > 0 ? recvmmsg(fd, mm, (unsigned)n, MSG_DONTWAIT, NULL) : 0;
	/* Taking moves the offset back by each datagram's whole length: to 0
	 * if each was peeked whole and all were taken, else set again. */
	if (batch && (cut || got != n) && set_offset_0(fd) < 0)
		return -1;
	return got == n ? 0 : -1;
}
