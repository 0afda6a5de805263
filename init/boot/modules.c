#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device_aliases.h"
#include "log.h"
#include "modules_table.h"
#include "power.h"

#define SCAN_ROUNDS_MAX 8		/* bus drivers whose devices need drivers */
#define UNMATCHED_NAMED_MAX 6
#define LATE_NICE 19
#define MODULE_BUSES_MAX 128

/* Reads all of fd into buf[cap]; -1 with EFBIG if it does not fit. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	do {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len += (size_t)n;
	} while (n > 0 && len < cap);
	if (len == cap) {
		char extra;

		if (read(fd, &extra, 1) != 0) {
			errno = EFBIG;
			return -1;
		}
	}
	return (ssize_t)len;
}

/* The table and what is loaded: the late ones are loaded by a child after
 * the switch to the verified root, from files opened before it. */
static struct module_table t;		/* 90 KiB: off PID 1's stack */
static uint64_t loaded;
static int dir_fd = -1;			/* MODULES_DIR, until the late files are open */
static int late_fd[MODULES_MAX];	/* after the root: the files not loaded yet */
static int after_root;

static int load_one(int i, char *why)
{
	const char *name = t.files.name[i];
	int fd = after_root ? late_fd[i] : openat(dir_fd, name, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (after_root || errno == ENOENT)
			snprintf(why, REASON_MAX, "module %s missing from the initramfs", name);
		else
			snprintf(why, REASON_MAX, "cannot open module %s: %s", name, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		snprintf(why, REASON_MAX, "cannot load module %s: %s", name, strerror(errno));
		rc = -1;
	}
	if (!after_root)
		close(fd);
	return rc;
}

/* Reads dirfd/name (at most MODULE_TABLE_TEXT_MAX bytes) into text.
 * Returns its length, 0 if it does not exist (*missing set), or -1. */
static ssize_t read_file(int dirfd, const char *name, char *text, int *missing, char *why)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t len;

	*missing = fd < 0 && errno == ENOENT;
	if (fd < 0) {
		if (*missing)
			return 0;
		snprintf(why, REASON_MAX, "cannot open %s/%s: %s", MODULES_DIR, name, strerror(errno));
		return -1;
	}
	len = read_all(fd, text, MODULE_TABLE_TEXT_MAX);
	if (len < 0)
		snprintf(why, REASON_MAX, "cannot read %s/%s: %s", MODULES_DIR, name, strerror(errno));
	close(fd);
	return len;
}

typedef int table_fn(struct module_table *t, const char *text, size_t len, char *why);

/* One of the table's files: 0 (*present says whether it was there), -1. */
static int read_part(int dirfd, const char *name, table_fn *parse, struct module_table *t,
		     int *present, char *why)
{
	static char text[MODULE_TABLE_TEXT_MAX];	/* off PID 1's stack */
	int missing;
	ssize_t len = read_file(dirfd, name, text, &missing, why);

	*present = !missing;
	if (len < 0)
		return -1;
	return missing ? 0 : parse(t, text, (size_t)len, why);
}

static int parse_list(struct module_table *t, const char *text, size_t len, char *why)
{
	return modules_list_parse(text, len, &t->files, why);
}

/* The modules of set: with more than one CPU at once, each in a child of
 * its own (finit_module blocks while the module initializes); with one,
 * here in turn, since children would only take turns and cost forks. */
static int load_set(uint64_t set, char *why)
{
	static long cpus;
	pid_t pid[MODULES_MAX];
	int rc = 0;

	if (!cpus)
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	for (int i = 0; i < t.files.count; i++) {
		if (!(set >> i & 1))
			continue;
		if (cpus < 2 || (set & (set - 1)) == 0) {
			if (load_one(i, why))
				return -1;
			pid[i] = 0;
			continue;
		}
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(load_one(i, why) ? 1 : 0);
		if (pid[i] < 0 && load_one(i, why))
			rc = -1;
	}
	for (int i = 0; i < t.files.count; i++) {
		int status;

		if (!(set >> i & 1) || pid[i] <= 0 || waitpid(pid[i], &status, 0) < 0)
			continue;
		/* The child said why on its copy of why: found again here. */
		if ((!WIFEXITED(status) || WEXITSTATUS(status)) && rc == 0 && load_one(i, why))
			rc = -1;
	}
	return rc;
}

/* Everything in wanted, dependencies first, each round at once. */
static int load_wanted(uint64_t wanted, char *why)
{
	for (int round = 0; round < MODULES_MAX && (wanted & ~loaded); round++) {
		uint64_t ready = module_table_ready(&t, wanted, loaded);

		if (!ready) {
			snprintf(why, REASON_MAX, "%s: the modules' dependencies form a cycle",
				 MODULE_DEPS_LIST);
			return -1;
		}
		if (load_set(ready, why))
			return -1;
		loaded |= ready;
	}
	return 0;
}

/* Adds "NAME" (without .ko) of each module of set to names[MODULES_NAMES_MAX],
 * space separated; what does not fit is left out. Returns how many. */
static int name_set(char *names, uint64_t set)
{
	int count = 0;

	names[0] = '\0';
	for (int i = 0; i < t.files.count; i++) {
		size_t len = strlen(names), n = strlen(t.files.name[i]) - 3;

		if (!(set >> i & 1))
			continue;
		count++;
		if (len + n + 2 <= MODULES_NAMES_MAX)
			snprintf(names + len, MODULES_NAMES_MAX - len, "%s%.*s", len ? " " : "", (int)n,
				 t.files.name[i]);
	}
	return count;
}

/* Devices no driver took and no module matched: one line, the first few
 * by name (a disk or NIC among them is why a boot then finds nothing). */
static void say_unmatched(const struct device_aliases *d, const unsigned char *matched)
{
	char names[REASON_MAX] = "";
	unsigned count = 0;
	size_t len = 0;

	for (size_t k = 0; k < d->n; k++) {
		if (matched[k])
			continue;
		if (count++ < UNMATCHED_NAMED_MAX && len < sizeof names)
			len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
						len ? " " : "", d->name[k]);
	}
	if (count)
		say("%u devices without a driver or module%s: %s%s", count,
		    count > UNMATCHED_NAMED_MAX ? ", among them" : "", names,
		    d->left_out + d->too_long ? " (and some not looked at)" : "");
}

/* Loads what the devices need but skip, looking again after each round: a
 * bus driver (virtio_pci) makes the devices (virtio disks) the next
 * round's modules are for. The devices nothing matched are said once,
 * before the root. Returns the modules it loaded. */
static uint64_t load_for_devices(uint64_t skip, char *why, int *failed)
{
	static struct device_aliases dev;
	static unsigned char matched[DEVICES_MAX];
	char buses[MODULE_BUSES_MAX];
	uint64_t before = loaded;

	*failed = 0;
	module_table_buses(&t, skip, buses, sizeof buses);
	for (int round = 0; round < SCAN_ROUNDS_MAX; round++) {
		uint64_t wanted;

		device_aliases_scan("/sys", buses, &dev);
		wanted = module_table_wanted(&t, dev.alias_ptr, dev.n, skip, matched);
		if (!(wanted & ~loaded))
			break;
		if (load_wanted(wanted, why)) {
			*failed = 1;
			break;
		}
	}
	if (!after_root && !*failed)
		say_unmatched(&dev, matched);
	return loaded & ~before;
}

static int load_all(char *why)
{
	for (int i = 0; i < t.files.count; i++) {
		if (load_one(i, why))
			return -1;
		loaded |= 1ull << i;
	}
	return 0;
}

static int read_table(int *has_list, int *has_aliases, char *why)
{
	int unused;

	if (read_part(dir_fd, MODULES_LIST, parse_list, &t, has_list, why) < 0)
		return -1;
	if (!*has_list)
		return 0;
	return read_part(dir_fd, MODULE_ALIAS_LIST, module_table_aliases, &t, has_aliases, why) < 0 ||
	       read_part(dir_fd, MODULE_DEPS_LIST, module_table_deps, &t, &unused, why) < 0 ||
	       read_part(dir_fd, MODULE_ALWAYS_LIST, module_table_always, &t, &unused, why) < 0 ||
	       read_part(dir_fd, MODULE_LATE_LIST, module_table_late, &t, &unused, why) < 0 ? -1 : 0;
}

int modules_load(const char *dir, char *names, char *why)
{
	int has_list = 0, has_aliases = 0, failed = 0;

	names[0] = '\0';
	if (dir_fd >= 0)
		close(dir_fd);
	memset(&t, 0, sizeof t);
	loaded = 0;
	after_root = 0;
	for (int i = 0; i < MODULES_MAX; i++)
		late_fd[i] = -1;
	if ((dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, REASON_MAX, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	if (read_table(&has_list, &has_aliases, why) < 0)
		return -1;
	if (!has_aliases) {	/* An initramfs without the alias table loads every module. */
		t.late = 0;
		if (has_list && load_all(why))
			return -1;
		return name_set(names, loaded);
	}
	load_for_devices(t.late, why, &failed);
	return failed ? -1 : name_set(names, loaded);
}

int modules_late_open(char *why)
{
	int opened = 0;

	/* modules_load set every late_fd to -1. Every one not loaded: a late bus driver's devices may want any. */
	for (int i = 0; dir_fd >= 0 && i < t.files.count; i++) {
		if (loaded >> i & 1)
			continue;
		late_fd[i] = openat(dir_fd, t.files.name[i], O_RDONLY | O_CLOEXEC);
		if (late_fd[i] < 0 && errno != ENOENT) {
			snprintf(why, REASON_MAX, "cannot open module %s: %s", t.files.name[i],
				 strerror(errno));
			return -1;
		}
		opened += late_fd[i] >= 0;
	}
	if (dir_fd >= 0)
		close(dir_fd);
	dir_fd = -1;
	return opened;
}

/* What the devices want now, skipping nothing: says what it loaded, and
 * why it failed. Returns 0, or -1 with the reason in why. */
static int load_late(char *why)
{
	char names[MODULES_NAMES_MAX];
	int failed, count;

	after_root = 1;
	count = name_set(names, load_for_devices(0, why, &failed));
	if (count)
		milestone("loaded %d more kernel modules after the root: %s", count, names);
	return failed ? -1 : 0;
}

/* The loader runs below the services' priority, since nothing waits for
 * it, but is never starved as SCHED_IDLE could be. Its failure is its
 * exit status: stage 2 refuses the boot on it, as stage 1 would have. */
pid_t modules_late_start(char *why)
{
	int any = 0;
	pid_t pid;

	for (int i = 0; i < t.files.count; i++)
		any |= late_fd[i] >= 0;
	if (!any)
		return 0;
	if ((pid = fork()) == 0) {
		if (setpriority(PRIO_PROCESS, 0, LATE_NICE))
			say("kernel modules after the root: cannot lower the priority: %s",
			    strerror(errno));
		if (load_late(why) == 0)
			_exit(0);
		say("refusing to boot: %s", why);
		milestone("refusing to boot: %s", why);
		_exit(1);
	}
	if (pid < 0) {
		say("kernel modules after the root: cannot fork: %s; loading them now", strerror(errno));
		return load_late(why);
	}
	for (int i = 0; i < t.files.count; i++)
		if (late_fd[i] >= 0)
			close(late_fd[i]);
	return pid;
}
