/* Test service "forever": says it started (on stdout and through
 * syslog(3)), then waits for SIGTERM, says so and exits 0 (restart =
 * always; PID 1 stops it at shutdown). */
#include <signal.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static void say(const char *s) { (void)write(1, s, strlen(s)); }

int main(void)
{
	sigset_t term;
	int sig = 0;

	signal(SIGTERM, SIG_DFL);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	say("forever: started\n");
	openlog("forever", LOG_PID, LOG_DAEMON);
	syslog(LOG_WARNING, "forever: hello through /dev/log");
	closelog();
	while (sigwait(&term, &sig) != 0 || sig != SIGTERM)
		;
	say("forever: got SIGTERM\n");
	return 0;
}
