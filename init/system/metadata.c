#include "metadata.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "netlink.h"
#include "svc_pipe.h"

static int rfd = -1;

/* The body is smaller than METADATA_BODY_MAX and a pipe holds 64 KiB, so
 * the service's one write never waits for PID 1, which reads only after
 * the service has exited. */
size_t metadata_pipe(int *pass)
{
	return svc_pipe(&rfd, pass);
}

ssize_t metadata_read(unsigned char *buf)
{
	size_t n = 0;
	ssize_t k = 0;
	unsigned char extra;

	if (rfd < 0) {
		say("metadata: no pipe from the service; no credentials from metadata");
		return -1;
	}
	while (n < METADATA_BODY_MAX && (k = read(rfd, buf + n, METADATA_BODY_MAX - n)) > 0)
		n += (size_t)k;
	if (n == METADATA_BODY_MAX && read(rfd, &extra, 1) == 1)
		k = -1, errno = EFBIG;
	else if (k < 0 && errno == EAGAIN)
		k = 0;
	close(rfd);
	rfd = -1;
	if (k < 0) {
		say("metadata: cannot read the service's pipe: %s; no credentials from metadata",
		    strerror(errno));
		return -1;
	}
	return (ssize_t)n;
}

/* AWS also answers at fd00:ec2::254 where its IPv6 endpoint is enabled,
 * and a kernel with IPv6 configures itself from router advertisements
 * whatever the network service does: that address goes too. */
void metadata_seal(void)
{
	static const unsigned char aws6[16] = { 0xfd, 0, 0x0e, 0xc2, [14] = 0x02, [15] = 0x54 };
	int fd = nl_open(0);

	if (fd < 0 || nl_route_blackhole(fd, METADATA_ADDR) < 0)
		say("cannot blackhole 169.254.169.254: %s", strerror(errno));
	else if (nl_route_blackhole6(fd, aws6) < 0 && errno != EAFNOSUPPORT && errno != EOPNOTSUPP)
		say("cannot blackhole fd00:ec2::254: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}
