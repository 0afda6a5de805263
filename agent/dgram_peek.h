#ifndef STELE_AGENT_DGRAM_PEEK_H
#define STELE_AGENT_DGRAM_PEEK_H

#include <sys/socket.h>

/* The agent's datagram inputs (/dev/log, the service lines) are peeked,
 * recorded, and only then taken off the socket: an agent killed in
 * between reads them again, twice rather than never. With SO_PEEK_OFF
 * (Linux 3.4 and later) one recvmmsg peeks a batch, each peek moving on
 * past the last, and one more takes the batch: two calls for up to
 * DGRAM_PEEK_MAX datagrams, where a peek and a take each would be two
 * apiece; the kernel's per-call cost is most of what a small datagram
 * costs. The socket has one reader, so the batch taken is the one seen. */
#define DGRAM_PEEK_MAX 16

/* Sets fd's peek offset to 0 (an agent before this one may have left it
 * anywhere) and turns it on. Returns 1 if batches can be peeked, 0 if
 * only one datagram a call can. */
int dgram_peek_start(int fd);

/* Points mm[k] (k < DGRAM_PEEK_MAX) at iov[k], that at bufs + k * size,
 * and, if control is not NULL, its control buffer at control + k *
 * control_size: the buffers dgram_peek fills. */
void dgram_peek_buffers(struct mmsghdr *mm, struct iovec *iov, char *bufs, size_t size,
			char *control, size_t control_size);

/* Peeks up to max (at most DGRAM_PEEK_MAX) datagrams into mm, whose
 * buffers the caller set (msg_controllen is the control buffer's size,
 * reset here each call), without blocking; batch says whether
 * dgram_peek_start allowed more than one. A datagram longer than its
 * buffer (MSG_TRUNC) ends the batch, and sets *cut: the peeks after it
 * would be its tail. Returns how many, 0 when none is waiting, or -1. */
int dgram_peek(int fd, struct mmsghdr *mm, int max, int batch, int *cut);

/* Takes the n datagrams dgram_peek returned off the socket, and after a
 * cut one (or a short take) sets the peek offset back to 0. Returns 0, or
 * -1. */
int dgram_take(int fd, int n, int batch, int cut);

#endif
