#ifndef STELE_SERVICE_CONF_H
#define STELE_SERVICE_CONF_H

#include <stddef.h>
#include <stdint.h>

/* Limits of one service definition, /etc/stele/services/NAME. Fixed so that
 * PID 1 never allocates for what a file says. */
#define SVC_NAME_MAX 32			/* with NUL */
#define SVC_FILE_MAX 4096		/* bytes of one definition */
#define SVC_EXEC_MAX 1024		/* bytes of exec's words, NULs included */
#define SVC_ARGS_MAX 32
#define SVC_AFTER_MAX 8
#define SVC_ENV_MAX 16
#define SVC_ENV_LEN 256
#define SVC_ID_MAX 32			/* user and group names */
#define SVC_STOP_TIMEOUT_MAX 3600
#define SVC_REASON_MAX 200
#define SVC_PIDS_DEFAULT 512		/* a fork bomb stays in its group */
#define SVC_PIDS_MAX 4194304		/* the kernel's pid_max limit */
#define SVC_CPU_WEIGHT_MAX 10000

enum svc_restart { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };

struct service_conf {
	char name[SVC_NAME_MAX];
	char exec[SVC_EXEC_MAX];	/* argv words, each NUL-terminated */
	char *argv[SVC_ARGS_MAX + 1];	/* into exec; NULL-terminated */
	char user[SVC_ID_MAX];
	char group[SVC_ID_MAX];		/* "" means the user's primary group */
	enum svc_restart restart;
	char after[SVC_AFTER_MAX][SVC_NAME_MAX];
	size_t n_after;
	char env[SVC_ENV_MAX][SVC_ENV_LEN];
	size_t n_env;
	unsigned stop_timeout_s;
	uint64_t caps;			/* granted capabilities, bit N = CAP N */
	/* cgroup2 limits of its group: 0 is "max" (none), and cpu_weight 0
	 * leaves the kernel's 100. */
	uint64_t memory_max;		/* bytes */
	unsigned pids_max;		/* SVC_PIDS_DEFAULT unless said */
	unsigned cpu_weight;		/* 1-10000 */
};

/* Parses the definition text[len] of the service called name (the file's
 * name). Lines are "key = value"; blank lines and lines starting with '#'
 * are skipped. exec and user are required; env may repeat; capabilities
 * names the only capabilities the service keeps (default: none);
 * memory_max (bytes, with K, M or G, or max), pids_max (or max) and
 * cpu_weight (1-10000) limit its cgroup.
 * Returns 0, or -1 with "NAME:LINE: reason" in why[SVC_REASON_MAX]; svc
 * is then not to be used. text need not be NUL-terminated. */
int service_conf_parse(const char *name, const char *text, size_t len,
		       struct service_conf *svc, char *why);

/* 1 if s is a valid service name: [A-Za-z0-9_.-], 1-31 characters, not
 * starting with '.'. */
int service_name_ok(const char *s);

#endif
