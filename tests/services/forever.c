/* Test service "forever": says it started, then waits for SIGTERM, says so
 * and exits 0 (restart = always; PID 1 stops it at shutdown). */
#include <signal.h>
#include <string.h>
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
	while (sigwait(&term, &sig) != 0 || sig != SIGTERM)
		;
	say("forever: got SIGTERM\n");
	return 0;
}
