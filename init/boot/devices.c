#include "devices.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gpt.h"
#include "partuuid.h"

#define SYS_BLOCK "/sys/class/block"
#define POLL_INTERVAL_NS (10 * 1000 * 1000)
#define NAME_MAX_LEN 64

/* DPS partition types for x86-64. */
static const char ROOT_TYPE[] = "4f68bce3-e8cd-4db1-96e7-fbcaf984b709";
static const char VERITY_TYPE[] = "2c7357ed-ebd2-46d9-aec1-23d437ec2bf5";
static const char SIG_TYPE[] = "41092b05-9fc8-4523-994f-2def0408b176";

struct wanted {
	const char *role;		/* "root" or "verity", for messages */
	char spec[DEVSPEC_MAX];		/* /dev/NAME or PARTUUID=UUID */
	const char *type;		/* required DPS type, or NULL */
	struct block_dev *out;
	int found;
};

static int read_number(const char *path, long *value)
{
	char buf[32], *end;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*value = strtol(buf, &end, 10);
	return end == buf ? -1 : 0;
}

/* Finds the child of disk in sysfs whose "partition" attribute is partno. */
static int partition_name(const char *disk, int partno, char *name)
{
	char path[256];
	struct dirent *e;
	long num;
	DIR *d;
	int rc = -1;

	snprintf(path, sizeof path, SYS_BLOCK "/%.63s", disk);
	if (!(d = opendir(path)))
		return -1;
	while (rc && (e = readdir(d))) {
		if (strncmp(e->d_name, disk, strlen(disk)) != 0 || strlen(e->d_name) >= NAME_MAX_LEN)
			continue;
		snprintf(path, sizeof path, SYS_BLOCK "/%.63s/%.63s/partition", disk, e->d_name);
		if (read_number(path, &num) == 0 && num == partno) {
			strcpy(name, e->d_name);
			rc = 0;
		}
	}
	closedir(d);
	return rc;
}

/* Scans the GPT of every whole disk, or only of disk if it is not NULL,
 * for the partition GUID uuid of type type (either may be NULL, not both). */
static int find_partition(const char *uuid, const char *type, const char *disk, char *path)
{
	unsigned char guid[16], tguid[16];
	char attr[256], part[NAME_MAX_LEN];
	struct dirent *e;
	int partno = 0, sector, fd;
	DIR *d;

	if ((uuid && uuid_to_gpt_guid(uuid, guid)) || (type && uuid_to_gpt_guid(type, tguid)))
		return -1;
	if (!(d = opendir(SYS_BLOCK)))
		return -1;
	while (partno <= 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strlen(e->d_name) >= NAME_MAX_LEN ||
		    (disk && strcmp(e->d_name, disk) != 0))
			continue;
		snprintf(attr, sizeof attr, SYS_BLOCK "/%.63s/partition", e->d_name);
		if (access(attr, F_OK) == 0)
			continue;
		snprintf(attr, sizeof attr, "/dev/%.63s", e->d_name);
		if ((fd = open(attr, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		if (ioctl(fd, BLKSSZGET, &sector) == 0)
			partno = gpt_find_partition(fd, (unsigned)sector, uuid ? guid : NULL,
						    type ? tguid : NULL);
		close(fd);
		if (partno > 0 && partition_name(e->d_name, partno, part) == 0)
			snprintf(path, DEVSPEC_MAX, "/dev/%.63s", part);
		else
			partno = 0;
	}
	closedir(d);
	return partno > 0 ? 0 : -1;
}

static int open_block(struct block_dev *b)
{
	struct stat st;

	b->fd = open(b->path, O_RDONLY | O_CLOEXEC);
	if (b->fd < 0)
		return -1;
	if (fstat(b->fd, &st) || !S_ISBLK(st.st_mode) || ioctl(b->fd, BLKGETSIZE64, &b->size)) {
		close(b->fd);
		b->fd = -1;
		return -1;
	}
	b->dev = st.st_rdev;
	return 0;
}

static int try_open(struct wanted *w)
{
	struct block_dev *b = w->out;

	if (strncmp(w->spec, "PARTUUID=", 9) == 0) {
		if (find_partition(w->spec + 9, w->type, NULL, b->path))
			return -1;
	} else {
		snprintf(b->path, sizeof b->path, "%s", w->spec);
	}
	return open_block(b);
}

static void want(struct wanted *w, const char *role, const char *spec, const char *uuid,
		 const char *type, struct block_dev *out)
{
	w->role = role;
	w->out = out;
	w->found = 0;
	w->type = spec[0] ? NULL : type;
	if (spec[0])
		snprintf(w->spec, sizeof w->spec, "%s", spec);
	else
		snprintf(w->spec, sizeof w->spec, "PARTUUID=%s", uuid);
	out->fd = -1;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int devices_wait(const struct boot_config *cfg, struct block_dev *data,
		 struct block_dev *hash, char *why)
{
	char root_uuid[UUID_STR_LEN], verity_uuid[UUID_STR_LEN];
	struct wanted w[2];
	long long deadline = now_ns() + cfg->device_timeout_s * 1000000000LL;

	partuuid_from_roothash(cfg->roothash, cfg->roothash_len, root_uuid, verity_uuid);
	want(&w[0], "root", cfg->data_dev, root_uuid, ROOT_TYPE, data);
	want(&w[1], "root verity", cfg->hash_dev, verity_uuid, VERITY_TYPE, hash);

	for (;;) {
		for (int i = 0; i < 2; i++)
			if (!w[i].found)
				w[i].found = try_open(&w[i]) == 0;
		if (w[0].found && w[1].found)
			return 0;
		if (now_ns() >= deadline)
			break;
		nanosleep(&(struct timespec){ 0, POLL_INTERVAL_NS }, NULL);
	}
	for (int i = 0; i < 2; i++) {
		if (!w[i].found) {
			snprintf(why, REASON_MAX, "%s device %s%s not found after %u s", w[i].role,
				 w[i].spec, w[i].type ? " (from roothash=)" : "",
				 cfg->device_timeout_s);
			break;
		}
	}
	if (w[0].found)
		close(data->fd);
	if (w[1].found)
		close(hash->fd);
	return -1;
}

/* The whole disk that holds the block device /dev/NAME: its sysfs link
 * ends ".../block/DISK/NAME" for a partition. */
static int parent_disk(const char *path, char *disk)
{
	char link[512], attr[256];
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *last, *prev;
	ssize_t n;

	if (strlen(name) >= NAME_MAX_LEN)
		return -1;
	snprintf(attr, sizeof attr, SYS_BLOCK "/%s/partition", name);
	if (access(attr, F_OK) != 0) {
		strcpy(disk, name);
		return 0;
	}
	snprintf(attr, sizeof attr, SYS_BLOCK "/%s", name);
	n = readlink(attr, link, sizeof link - 1);
	if (n <= 0)
		return -1;
	link[n] = '\0';
	if (!(last = strrchr(link, '/')))
		return -1;
	*last = '\0';
	prev = strrchr(link, '/');
	prev = prev ? prev + 1 : link;
	if (strlen(prev) >= NAME_MAX_LEN)
		return -1;
	strcpy(disk, prev);
	return 0;
}

int devices_find_sig(const struct boot_config *cfg, const char *near, struct block_dev *out)
{
	char disk[NAME_MAX_LEN];
	long long deadline = now_ns() + (near ? 0 : cfg->device_timeout_s * 1000000000LL);

	out->fd = -1;
	if (near && parent_disk(near, disk))
		return 0;
	for (;;) {
		if (find_partition(NULL, SIG_TYPE, near ? disk : NULL, out->path) == 0 &&
		    open_block(out) == 0)
			return 1;
		if (now_ns() >= deadline)
			return 0;
		nanosleep(&(struct timespec){ 0, POLL_INTERVAL_NS }, NULL);
	}
}
