/* /run/stele/services: one line per service, "key=value" words, replaced
 * whole by rename so a reader never sees half a file:
 *   name=web state=running pid=212 restarts=3 last_exit=status:1 uid=1001
 * (uid: the user it runs as, which tells the agent whose a /dev/log
 * datagram is once its sender has exited) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "svc.h"
#include "run_file.h"

static const char *const state_name[] = {
	[SVC_WAITING] = "waiting", [SVC_RUNNING] = "running", [SVC_BACKOFF] = "backoff",
	[SVC_DONE] = "done", [SVC_STOPPING] = "stopping", [SVC_STOPPED] = "stopped",
};

static int line(char *buf, size_t len, const struct svc *s)
{
	char last[24] = "none";

	if (s->last_status >= 0 && WIFEXITED(s->last_status))
		snprintf(last, sizeof last, "status:%d", WEXITSTATUS(s->last_status));
	else if (s->last_status >= 0)
		snprintf(last, sizeof last, "signal:%d", WTERMSIG(s->last_status));
	return snprintf(buf, len, "name=%s state=%s pid=%d restarts=%u last_exit=%s uid=%u\n",
			s->conf.name, state_name[s->state], (int)s->pid, s->restarts, last, s->uid);
}

void svc_status_write(const struct svc *tab, size_t n)
{
	static int reported;
	char buf[SVC_MAX * 128];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int w = line(buf + len, sizeof buf - len, &tab[i]);

		if (w > 0 && (size_t)w < sizeof buf - len)
			len += (size_t)w;
	}
	if (run_file_write("services", buf, len, 0644) == 0)
		return;
	/* Once: a full /run must not flood the console on every change. */
	if (!reported++)
		say("cannot write " SVC_STATUS ": %s", strerror(errno));
}
