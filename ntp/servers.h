#ifndef STELE_NTP_SERVERS_H
#define STELE_NTP_SERVERS_H

#include <stddef.h>
#include <stdint.h>

/* Which servers to ask, first source that names any wins:
 *   1. DHCP option 42: PID 1's NTP_DHCP_PATH, one line "A.B.C.D,...\n";
 *      it may appear or change at any time, so it is read each round;
 *   2. stele.ntp=HOST[:PORT][,HOST[:PORT]...] on the kernel command line;
 *   3. the image's NTP_IMAGE_PATH (image/build-image --ntp-servers), the
 *      same list syntax.
 * HOST is a DNS name or a dotted quad; PORT defaults to 123. */

#define NTP_DHCP_PATH "/run/stele/ntp-servers"
#define NTP_IMAGE_PATH "/etc/stele/ntp-servers"
#define NTP_SERVERS_MAX 4
#define NTP_HOST_MAX 64			/* with NUL */
#define NTP_NAME_MAX (NTP_HOST_MAX + 6)	/* "HOST:PORT" */
#define NTP_LIST_MAX 512		/* longest list read from any source */
#define NTP_SERVERS_WHY_MAX 160

enum ntp_from { NTP_FROM_NONE, NTP_FROM_DHCP, NTP_FROM_CMDLINE, NTP_FROM_IMAGE };

struct ntp_server {
	char host[NTP_HOST_MAX];
	uint16_t port;
};

/* Parses list[len] ("HOST[:PORT],..."; a trailing newline, spaces around
 * entries and empty entries are allowed). Returns how many went into
 * out[max] (more than max are left out), or -1 with a reason in
 * why[NTP_SERVERS_WHY_MAX] naming the bad entry. */
int ntp_servers_parse(const char *list, size_t len, struct ntp_server *out, size_t max, char *why);

/* The servers of the first source, in the order above, that names at least
 * one well-formed server: dhcp[dhcp_len] (the file's text, len 0 if none),
 * the kernel command line cmdline (NUL-terminated), image[image_len].
 * Stores them in out[NTP_SERVERS_MAX] and their number in *n. A source
 * that is malformed is skipped, the first such reason in
 * why[NTP_SERVERS_WHY_MAX] (else why is ""). NTP_FROM_NONE with *n = 0 if
 * no source names a server. */
enum ntp_from ntp_servers_pick(const char *dhcp, size_t dhcp_len, const char *cmdline,
			       const char *image, size_t image_len, struct ntp_server *out,
			       size_t *n, char *why);

/* "HOST:PORT" into out[NTP_NAME_MAX]; returns out. */
char *ntp_server_name(const struct ntp_server *s, char *out);

const char *ntp_from_name(enum ntp_from f);

#endif
