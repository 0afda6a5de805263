#ifndef STELE_METADATA_H
#define STELE_METADATA_H

#include <stddef.h>
#include <sys/types.h>

/* PID 1's side of the cloud's instance metadata. The built-in service
 * "metadata" (/usr/bin/stele-metadata, unprivileged) fetches this
 * machine's credential lines and writes them to a pipe PID 1 made; PID 1
 * reads them once the service has exited 0, checks and installs them
 * (credentials.h), then makes the metadata server unreachable before any
 * other service starts. */

#define METADATA_PATH "/usr/bin/stele-metadata"
#define METADATA_ADDR 0xa9fea9feu	/* 169.254.169.254, AWS's and GCE's */
#define METADATA_BODY_MAX 65536		/* what stele-metadata reads, at most */
/* The service's own limits end it sooner (about 55 s at worst); this is
 * PID 1's, after which it kills the service and ignores what it wrote. */
#define METADATA_WAIT_MS 60000

/* Makes the pipe; pass[0] gets its write end, for the service's fd 3.
 * Returns the number of fds to pass (1), or 0 with errno. */
size_t metadata_pipe(int *pass);

/* Reads what the service wrote into buf[METADATA_BODY_MAX] and closes the
 * read end. Returns the length, or -1 (said on the console) if there is
 * no pipe or more than METADATA_BODY_MAX bytes. */
ssize_t metadata_read(unsigned char *buf);

/* Adds the blackhole routes to METADATA_ADDR and AWS's IPv6 address for
 * it, fd00:ec2::254 (when the kernel has IPv6); said on the console if
 * that fails. */
void metadata_seal(void);

#endif
