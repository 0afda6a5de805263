/* Nothing lost in silence: each loss is counted where it happens (the
 * ring, PID 1, the syslog shares) and reported here as a "dropped" event
 * with how many since the last report. A count is taken as reported only
 * once its event is in the ring. */
#include <fcntl.h>
#include <unistd.h>

#include "agent.h"
#include "metrics_parse.h"

/* A count PID 1 publishes in a file, "N\n"; 0 without one. */
static uint64_t pid1_count(const char *path)
{
	char text[32];
	uint64_t n = 0;
	ssize_t len;
	int fd;

	if (!path || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	len = read(fd, text, sizeof text);
	close(fd);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	return len > 0 && mtext_u64(text, (size_t)len, &n) ? n : 0;
}

uint64_t agent_lines_dropped(const struct agent *a)
{
	return pid1_count(a->lines_dropped_path);
}

uint64_t agent_console_dropped(const struct agent *a)
{
	return pid1_count(a->console_dropped_path);
}

void agent_report_drops(struct agent *a)
{
	struct agent_keep *k = a->keep;
	struct intake *in = &a->in;
	uint64_t ring = ring_take_dropped(&a->ring), lines = agent_lines_dropped(a);
	uint64_t console = agent_console_dropped(a);

	if (ring && intake_event(in, "dropped", NULL, "records dropped while the buffer was full",
				 (int64_t)ring) < 0)
		ring_return_dropped(&a->ring, ring);
	if (lines > k->lines_dropped_reported &&
	    intake_event(in, "dropped", NULL, "service lines PID 1 could not hand to the agent",
			 (int64_t)(lines - k->lines_dropped_reported)) == 0)
		k->lines_dropped_reported = lines;
	if (console > k->console_dropped_reported &&
	    intake_event(in, "dropped", NULL, "service lines PID 1's console could not take (the agent "
			 "has them)", (int64_t)(console - k->console_dropped_reported)) == 0)
		k->console_dropped_reported = console;
	for (unsigned i = 0; i < SENDERS_MAX; i++) {
		struct sender *s = &k->senders.s[i];

		if (s->dropped_unreported &&
		    intake_event(in, "dropped", s->name, "syslog records over the service's share",
				 (int64_t)s->dropped_unreported) == 0)
			s->dropped_unreported = 0;
	}
}
