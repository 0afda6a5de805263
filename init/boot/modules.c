#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "device_aliases.h"
#include "log.h"
#include "modules_table.h"
#include "power.h"

#define SCAN_ROUNDS_MAX 8		/* bus drivers whose devices need drivers */
#define UNMATCHED_NAMED_MAX 6

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

static int load_one(int dirfd, const char *name, char *why)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, REASON_MAX, "module %s missing from the initramfs", name);
		else
			snprintf(why, REASON_MAX, "cannot open module %s: %s", name, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		snprintf(why, REASON_MAX, "cannot load module %s: %s", name, strerror(errno));
		rc = -1;
	}
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

/* The modules of set at once: each in a child of its own (finit_module
 * blocks while the module initializes), or here when there is one. */
static int load_at_once(int dirfd, const struct module_table *t, uint64_t set, char *why)
{
	pid_t pid[MODULES_MAX];
	int rc = 0;

	for (int i = 0; i < t->files.count; i++) {
		if (!(set >> i & 1))
			continue;
		if ((set & (set - 1)) == 0)
			return load_one(dirfd, t->files.name[i], why);
		pid[i] = fork();
		if (pid[i] == 0)
			_exit(load_one(dirfd, t->files.name[i], why) ? 1 : 0);
		if (pid[i] < 0 && load_one(dirfd, t->files.name[i], why))
			rc = -1;
	}
	for (int i = 0; i < t->files.count; i++) {
		int status;

		if (!(set >> i & 1) || pid[i] <= 0 || waitpid(pid[i], &status, 0) < 0)
			continue;
		/* The child said why on its copy of why: found again here. */
		if ((!WIFEXITED(status) || WEXITSTATUS(status)) && rc == 0 &&
		    load_one(dirfd, t->files.name[i], why))
			rc = -1;
	}
	return rc;
}

/* Everything in wanted, dependencies first, each round at once. */
static int load_wanted(int dirfd, const struct module_table *t, uint64_t wanted, uint64_t *loaded,
		       char *why)
{
	for (int round = 0; round < MODULES_MAX && (wanted & ~*loaded); round++) {
		uint64_t ready = module_table_ready(t, wanted, *loaded);

		if (!ready) {
			snprintf(why, REASON_MAX, "%s: the modules' dependencies form a cycle",
				 MODULE_DEPS_LIST);
			return -1;
		}
		if (load_at_once(dirfd, t, ready, why))
			return -1;
		*loaded |= ready;
	}
	return 0;
}

/* Adds "NAME" (without .ko) to names[MODULES_NAMES_MAX], space separated;
 * what does not fit is left out. */
static void name_loaded(char *names, const char *file)
{
	size_t len = strlen(names), n = strlen(file) - 3;

	if (len + n + 2 <= MODULES_NAMES_MAX)
		snprintf(names + len, MODULES_NAMES_MAX - len, "%s%.*s", len ? " " : "", (int)n, file);
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

/* Loads what the devices need, looking again after each round: a bus
 * driver (virtio_pci) makes the devices (virtio disks) the next round's
 * modules are for. */
static int load_for_devices(int dirfd, const struct module_table *t, char *names, char *why)
{
	static struct device_aliases dev;
	static unsigned char matched[DEVICES_MAX];
	uint64_t loaded = 0;
	int count = 0;

	for (int round = 0; round < SCAN_ROUNDS_MAX; round++) {
		uint64_t wanted;

		device_aliases_scan("/sys", &dev);
		wanted = module_table_wanted(t, dev.alias_ptr, dev.n, matched);
		if (!(wanted & ~loaded))
			break;
		if (load_wanted(dirfd, t, wanted, &loaded, why))
			return -1;
	}
	say_unmatched(&dev, matched);
	for (int i = 0; i < t->files.count; i++)
		if (loaded >> i & 1) {
			name_loaded(names, t->files.name[i]);
			count++;
		}
	return count;
}

static int load_all(int dirfd, const struct module_table *t, char *names, char *why)
{
	for (int i = 0; i < t->files.count; i++) {
		if (load_one(dirfd, t->files.name[i], why))
			return -1;
		name_loaded(names, t->files.name[i]);
	}
	return t->files.count;
}

int modules_load(const char *dir, char *names, char *why)
{
	static struct module_table t;		/* 90 KiB: off PID 1's stack */
	int dirfd, has_list, has_aliases, unused, rc;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, REASON_MAX, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	memset(&t, 0, sizeof t);
	names[0] = '\0';
	if (read_part(dirfd, MODULES_LIST, parse_list, &t, &has_list, why) < 0)
		rc = -1;
	else if (!has_list)
		rc = 0;
	else if (read_part(dirfd, MODULE_ALIAS_LIST, module_table_aliases, &t, &has_aliases, why) < 0 ||
		 read_part(dirfd, MODULE_DEPS_LIST, module_table_deps, &t, &unused, why) < 0 ||
		 read_part(dirfd, MODULE_ALWAYS_LIST, module_table_always, &t, &unused, why) < 0)
		rc = -1;
	else	/* An initramfs without the alias table loads every module. */
		rc = has_aliases ? load_for_devices(dirfd, &t, names, why) : load_all(dirfd, &t, names, why);
	close(dirfd);
	return rc;
}
