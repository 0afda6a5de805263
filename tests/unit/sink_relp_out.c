/* The RELP client's contract without a server (sink/relp_out.c): what
 * "to" may be, and that a server that is not there costs one line and -1,
 * and leaves nothing for relp_out_sync() to claim. The rest, against a
 * real rsyslog, is tests/collector/relp-rsyslog. */

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "relp_out.h"

#include "lsan_relp.h"

static char errs[8192];

/* Runs while fd 2 goes to a file; errs then holds what was written. */
static int err_fd = -1, saved_fd = -1;

static void capture(void)
{
	char path[] = "/tmp/relp_out.XXXXXX";

	err_fd = mkstemp(path);
	unlink(path);
	saved_fd = dup(2);
	dup2(err_fd, 2);
}

static int lines(void)
{
	ssize_t n;
	int count = 0;

	dup2(saved_fd, 2);
	close(saved_fd);
	n = pread(err_fd, errs, sizeof errs - 1, 0);
	close(err_fd);
	errs[n > 0 ? n : 0] = '\0';
	for (char *p = errs; (p = strchr(p, '\n')); p++)
		count++;
	fputs(errs, stderr);
	return count;
}

static void test_to(void)
{
	static const char *const bad[] = {
		"host", "host:", ":514", "host:0", "host:65536", "host:51x", "host:-1",
		"::1:514", "[::1]", "[]:514", "[::1:514",
	};
	struct relp_out r;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i];
		capture();
		CHECK_INT(-1, relp_out_open(&r, bad[i], NULL, "ca", "cert", "key"));
		CHECK_INT(1, lines());
		CHECK_HAS(errs, bad[i]);
		CHECK_HAS(errs, "not HOST:PORT");
	}
	check_what = NULL;
	CHECK_INT(0, relp_out_open(&r, "[::1]:6514", NULL, "ca", "cert", "key"));
	CHECK_STR("::1", r.host);
	CHECK_STR("6514", r.port);
	CHECK_STR("::1", r.peer);	/* no peer: the host */
	relp_out_close(&r);
	CHECK_INT(0, relp_out_open(&r, "logs.example:514", "rsyslog", "ca", "cert", "key"));
	CHECK_STR("logs.example", r.host);
	CHECK_STR("rsyslog", r.peer);
	CHECK_INT(0, relp_out_sync(&r));	/* nothing sent: nothing to wait for */
	relp_out_close(&r);
}

/* A port on 127.0.0.1 with nothing listening: bound, never listened. */
static int dead_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(*fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	return ntohs(a.sin_port);
}

static void test_nobody_there(void)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char to[64], ca[256], cert[256], key[256];
	struct relp_out r;
	int fd, port = dead_port(&fd);

	if (!CHECK(port > 0))
		return;
	snprintf(to, sizeof to, "127.0.0.1:%d", port);
	snprintf(ca, sizeof ca, "%s/pki/server-ca.crt", build);
	snprintf(cert, sizeof cert, "%s/pki/agent.crt", build);
	snprintf(key, sizeof key, "%s/pki/agent.key", build);
	CHECK_INT(0, relp_out_open(&r, to, "collector", ca, cert, key));
	capture();
	CHECK_INT(-1, relp_out_send(&r, "<13>1 - - - - - - m", 19));
	CHECK_INT(1, lines());
	CHECK_HAS(errs, to);
	CHECK_HAS(errs, "connect");
	capture();	/* and again: a new attempt, not said again */
	CHECK_INT(-1, relp_out_send(&r, "<13>1 - - - - - - m", 19));
	CHECK_INT(0, lines());
	capture();
	CHECK_INT(-1, relp_out_sync(&r));	/* what failed is not acked */
	CHECK_INT(0, relp_out_sync(&r));	/* and then nothing is pending */
	CHECK_INT(0, lines());			/* the send's line said it all */
	capture();
	CHECK_INT(-1, relp_out_send(&r, "x", RELP_OUT_MSG_MAX + 1));
	CHECK_INT(1, lines());
	CHECK_HAS(errs, "more than");
	relp_out_close(&r);
	close(fd);
}

int main(void)
{
	test_to();
	test_nobody_there();
	return check_done();
}
