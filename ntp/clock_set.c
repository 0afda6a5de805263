#include "clock_set.h"

#include <sys/timex.h>
#include <time.h>

int clock_step(int64_t offset_ns)
{
	struct timespec now;
	int64_t ns;

	if (clock_gettime(CLOCK_REALTIME, &now) < 0)
		return -1;
	ns = (int64_t)now.tv_nsec + offset_ns % 1000000000;
	now.tv_sec += (time_t)(offset_ns / 1000000000 + (ns >= 1000000000) - (ns < 0));
	now.tv_nsec = (long)(ns >= 1000000000 ? ns - 1000000000 : ns < 0 ? ns + 1000000000 : ns);
	return clock_settime(CLOCK_REALTIME, &now);
}

int clock_slew(int64_t offset_ns)
{
	struct timex t = { .modes = ADJ_OFFSET_SINGLESHOT };

	if (offset_ns > CLOCK_SLEW_MAX_NS)
		offset_ns = CLOCK_SLEW_MAX_NS;
	if (offset_ns < -CLOCK_SLEW_MAX_NS)
		offset_ns = -CLOCK_SLEW_MAX_NS;
	t.offset = (long)(offset_ns / 1000);
	return adjtimex(&t) < 0 ? -1 : 0;
}

static long usec(int64_t ns)
{
	return ns < 0 ? 0 : ns > 16000000000LL ? 16000000L : (long)(ns / 1000);
}

int clock_mark_synced(int64_t maxerror_ns, int64_t esterror_ns)
{
	struct timex t = { .modes = 0 };

	if (adjtimex(&t) < 0)
		return -1;
	t.modes = ADJ_STATUS | ADJ_MAXERROR | ADJ_ESTERROR;
	t.status &= ~STA_UNSYNC;
	t.maxerror = usec(maxerror_ns);
	t.esterror = usec(esterror_ns);
	return adjtimex(&t) < 0 ? -1 : 0;
}
