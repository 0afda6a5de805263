/* Test service "impostor": says its pid on stdout, then writes to
 * /dev/log claiming to be the agent (syslog(3) with that ident) and the
 * kernel (a raw datagram, facility kern), then exits. The agent must
 * record it as itself: app "impostor", its own pid and uid, the claims
 * kept apart as "tag". */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
	static const char kernel[] = "<0>Nov 26 05:12:10 kernel: impostor: Oops, says the kernel";
	int fd;

	printf("impostor: pid %d\n", (int)getpid());
	fflush(stdout);
	openlog("agent", LOG_PID, LOG_DAEMON);
	syslog(LOG_ERR, "impostor: I am the agent");
	closelog();
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd < 0 || sendto(fd, kernel, strlen(kernel), 0, (struct sockaddr *)&sa, sizeof sa) < 0)
		perror("impostor: /dev/log");
	puts("impostor: done");
	return 0;
}
