/* Test service "ticker": prints "ticker: tick N" (N = 1, 2, ...) every
 * TICK_MS for a while, then stays quiet until SIGTERM. The delivery
 * scenarios count the ticks at the collector: each must arrive once. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 200

int main(void)
{
	const char *env = getenv("TICKS");
	long ticks = env ? strtol(env, NULL, 10) : 300;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (long i = 1; i <= ticks; i++) {
		printf("ticker: tick %ld\n", i);
		nanosleep(&(struct timespec){ 0, TICK_MS * 1000000L }, NULL);
	}
	printf("ticker: done after %ld ticks\n", ticks);
	for (;;)
		pause();
}
