/* stele-metadata: this machine's credentials from its cloud's instance
 * metadata server, fetched once at boot for PID 1.
 *
 * PID 1 starts it as the built-in service "metadata": its own user, no
 * capabilities, no_new_privs, after the network service and before every
 * other service, with the write end of a pipe as fd 3. It picks the cloud
 * (source.h), asks (IMDSv2 on AWS, the attribute stele-credentials on
 * GCE), and writes the reply's body, unparsed, to fd 3; PID 1 reads and
 * checks it only if this exits 0. Each failure is one line on stdout, which
 * PID 1 prints on the console. Then PID 1 blackholes 169.254.169.254: no
 * service started later can ask again. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "fetch.h"
#include "http.h"
#include "note.h"
#include "source.h"
#include "read_small.h"

#define IMDS_ADDR 0xa9fea9feu		/* 169.254.169.254 */
#define IMDS_HOST "169.254.169.254"
#define IMDS_PORT 80
#define OUT_FD 3
#define CMDLINE_LEN 2048
/* Attempts at the whole exchange while the server cannot be reached (the
 * DHCP lease may still be on its way), answers 5xx, or 401 to the GET (a
 * token that expired on its way): none starts after ATTEMPTS_MS, and one
 * takes at most 2 x (FETCH_CONNECT_MS + FETCH_REPLY_MS), so this ends
 * within 45 s, before PID 1's METADATA_WAIT_MS. */
#define ATTEMPTS 20
#define ATTEMPTS_MS 30000
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 2000
#define TOKEN_MAX 256
#define TOKEN_TTL_S "60"		/* the token is used at once, and only here */
#define WHY_MAX 200
#define EXIT_USAGE 100
#define EXIT_SYSTEM 111

static unsigned char buf[HTTP_REPLY_MAX];

/* What an exchange came to: 200 (*r holds the reply), worth another
 * attempt, a failure, or 404 (nothing there: no credentials, no error). */
enum { OK, RETRY, FAIL, NONE };

/* One exchange; a reason in why[WHY_MAX] for all but OK. */
static int ask(const char *method, const char *path, const char *const *hdr, size_t n_hdr,
	       struct http_reply *r, char *why)
{
	char req[HTTP_REQUEST_MAX], reason[HTTP_REASON_MAX];
	size_t len = http_request(req, sizeof req, method, path, IMDS_HOST, hdr, n_hdr);
	int retry;

	if (!len) {
		snprintf(why, WHY_MAX, "%s %s: request too long", method, path);
		return FAIL;
	}
	if (fetch_exchange(IMDS_ADDR, IMDS_PORT, req, len, buf, r, &retry, reason) < 0) {
		snprintf(why, WHY_MAX, "%s %s: %s", method, path, reason);
		return retry ? RETRY : FAIL;
	}
	if (r->status == 200)
		return OK;
	snprintf(why, WHY_MAX, "%s %s: HTTP %d", method, path, r->status);
	return r->status == 404 ? NONE : r->status >= 500 ? RETRY : FAIL;
}

static int token_ok(const unsigned char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] <= 0x20 || t[i] >= 0x7f)
			return 0;
	return n > 0 && n < TOKEN_MAX;
}

/* IMDSv2 only: a session token by PUT, then the user data with it. */
static int aws(struct http_reply *r, char *why)
{
	static const char *const put[] = { "X-aws-ec2-metadata-token-ttl-seconds: " TOKEN_TTL_S };
	char hdr[TOKEN_MAX + 32];
	const char *get[] = { hdr };
	int st = ask("PUT", "/latest/api/token", put, 1, r, why);

	if (st == NONE)
		st = FAIL;
	if (st != OK)
		return st;
	if (!token_ok(buf + r->body, r->body_len)) {
		snprintf(why, WHY_MAX, "PUT /latest/api/token: not a token (%zu bytes)", r->body_len);
		return FAIL;
	}
	snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token: %.*s", (int)r->body_len,
		 (const char *)buf + r->body);
	r->status = 0;
	st = ask("GET", "/latest/user-data", get, 1, r, why);
	return st == FAIL && r->status == 401 ? RETRY : st;
}

static int gce(struct http_reply *r, char *why)
{
	static const char *const hdr[] = { "Metadata-Flavor: Google" };

	return ask("GET", "/computeMetadata/v1/instance/attributes/stele-credentials", hdr, 1, r, why);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int main(void)
{
	static const char *const label[] = { "off", "aws", "gce" };
	char cmdline[CMDLINE_LEN], vendor[64], why[WHY_MAX] = "";
	struct http_reply r = { 0 };
	enum md_source src;
	int st = FAIL, delay = BACKOFF_MIN_MS, tries = 0;
	uint64_t start = clock_ms();
	sigset_t pipe;

	if (getuid() == 0 || geteuid() == 0) {
		note("refusing to run as root: the reply is outside input");
		return EXIT_USAGE;
	}
	if (fcntl(OUT_FD, F_GETFD) < 0) {
		note("fd %d (PID 1's pipe) is not open", OUT_FD);
		return EXIT_USAGE;
	}
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe, NULL);
	read_small("/proc/cmdline", cmdline, sizeof cmdline);
	src = md_select(cmdline, vendor, read_small(MD_VENDOR_PATH, vendor, sizeof vendor), why);
	if (why[0])
		note("%s", why);
	if (src == MD_OFF)
		return 0;
	while (tries < ATTEMPTS && clock_ms() - start < ATTEMPTS_MS) {
		if (tries++ > 0) {
			poll(NULL, 0, delay);
			delay = delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : delay * 2;
		}
		st = src == MD_AWS ? aws(&r, why) : gce(&r, why);
		if (st != RETRY)
			break;
	}
	if (st == NONE) {
		note("%s: %s: no credentials there", label[src], why);
		return 0;
	}
	if (st != OK) {
		if (st == RETRY)
			note("%s: %s (the last of %d attempts); no credentials from metadata", label[src], why,
			     tries);
		else
			note("%s: %s; no credentials from metadata", label[src], why);
		return 1;
	}
	if (write_all(OUT_FD, buf + r.body, r.body_len) < 0) {
		note("%s: cannot hand %zu bytes to PID 1: %s", label[src], r.body_len, strerror(errno));
		return EXIT_SYSTEM;
	}
	note("%s: %zu bytes of metadata for PID 1", label[src], r.body_len);
	return 0;
}
