/* Test service "ticker": prints "ticker: tick N" (N = 1, 2, ...) every
 * TICK_MS, TICKS times (stele.test.ticks= on the kernel command line
 * overrides the environment's), then stays quiet until SIGTERM. The
 * delivery scenarios count the ticks at the collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 200

static long ticks_wanted(void)
{
	char line[4096], *p;
	const char *env = getenv("TICKS");
	FILE *f = fopen("/proc/cmdline", "r");

	if (f && fgets(line, sizeof line, f) && (p = strstr(line, "stele.test.ticks="))) {
		fclose(f);
		return strtol(p + 17, NULL, 10);
	}
	if (f)
		fclose(f);
	return env ? strtol(env, NULL, 10) : 300;
}

int main(void)
{
	long ticks = ticks_wanted();

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 1; i <= ticks; i++) {
		printf("ticker: tick %ld\n", i);
		nanosleep(&(struct timespec){ 0, TICK_MS * 1000000L }, NULL);
	}
	printf("ticker: done after %ld ticks\n", ticks);
	for (;;)
		pause();
}
