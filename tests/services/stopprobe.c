/* Test service "stopprobe", for the shutdown scenarios. Without
 * stele.test.stopprobe=1 on the kernel command line it waits for SIGTERM
 * and exits 0, like forever. With it:
 *   stopprobe crashy     exits 1 every 300 ms (restart = always), so that
 *                        it is between runs, or running, whenever the
 *                        shutdown comes;
 *   stopprobe stubborn   ignores SIGTERM, so that its stop waits its
 *                        stop_timeout (and crashy, which it is after,
 *                        waits for it). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline_has.h"

static void say(const char *s) { (void)write(1, s, strlen(s)); }

static int armed(void)
{
	return cmdline_has("stele.test.stopprobe=1");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	sigset_t term;
	int sig = 0;

	if (armed() && strcmp(mode, "crashy") == 0) {
		say("stopprobe: crashy run\n");
		nanosleep(&(struct timespec){ 0, 300000000L }, NULL);
		return 1;
	}
	if (armed() && strcmp(mode, "stubborn") == 0) {
		signal(SIGTERM, SIG_IGN);
		say("stopprobe: stubborn, ignoring SIGTERM\n");
		for (;;)
			pause();
	}
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	while (sigwait(&term, &sig) != 0 || sig != SIGTERM)
		;
	return 0;
}
