/* File systems from /proc/self/mountinfo:
 *   "36 35 98:0 /root /mnt rw,noatime shared:1 - ext4 /dev/vda1 rw"
 * (optional fields end at "-"; the kernel writes ' ', '\t', '\n' and '\'
 * in paths as \ooo), each measured with statfs(2). Which to skip is
 * node_exporter's default: mount points matching
 * ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+)($|/) and the
 * pseudo file system types below. A mount statfs cannot reach is
 * skipped. */
#include <string.h>
#include <sys/statvfs.h>

#include "metrics_parse.h"

#define MNT_PATH_MAX 256

static const char *const skip_type[] = {
	"autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts",
	"devtmpfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "overlay", "proc",
	"procfs", "pstore", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs",
	"tracefs",
};

/* /X exactly or /X/...; with more, /X/ and at least one byte. */
static int under(const char *mp, const char *dir, int more)
{
	size_t n = strlen(dir);

	if (strncmp(mp, dir, n) != 0)
		return 0;
	if (more)
		return mp[n] == '/' && mp[n + 1] != '\0';
	return mp[n] == '\0' || mp[n] == '/';
}

static int skipped(const char *mp, const char *type)
{
	for (size_t i = 0; i < sizeof skip_type / sizeof skip_type[0]; i++) {
		if (strcmp(type, skip_type[i]) == 0)
			return 1;
	}
	return under(mp, "/dev", 0) || under(mp, "/proc", 0) || under(mp, "/sys", 0) ||
	       under(mp, "/run/credentials", 1) || under(mp, "/var/lib/docker", 1);
}

/* Undoes the kernel's \ooo escapes of w[n] into dst[cap]; 0 if too long. */
static int unescape(char *dst, size_t cap, const char *w, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (o + 1 >= cap)
			return 0;
		if (w[i] == '\\' && n - i > 3 && w[i + 1] >= '0' && w[i + 1] <= '3' &&
		    w[i + 2] >= '0' && w[i + 2] <= '7' && w[i + 3] >= '0' && w[i + 3] <= '7') {
			dst[o++] = (char)((w[i + 1] - '0') << 6 | (w[i + 2] - '0') << 3 | (w[i + 3] - '0'));
			i += 3;
		} else {
			dst[o++] = w[i];
		}
	}
	dst[o] = '\0';
	return 1;
}

static int has_option(const char *opts, size_t n, const char *opt)
{
	size_t k = strlen(opt), i = 0;

	while (i < n) {
		size_t j = i;

		while (j < n && opts[j] != ',')
			j++;
		if (j - i == k && memcmp(opts + i, opt, k) == 0)
			return 1;
		i = j + 1;
	}
	return 0;
}

void metrics_fs_parse(const char *text, size_t len, int (*fs_stat)(const char *, struct statfs *),
		      metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char mp[MNT_PATH_MAX], dev[MNT_PATH_MAX], type[32];
	struct metric_label lab[3] = { { "device", dev }, { "mountpoint", mp }, { "fstype", type } };
	const char *w, *opts;
	size_t n, opts_len;
	struct statfs st;
	double bs;

	while (mtext_line(&t, &l)) {
		for (int i = 0; i < 4; i++)	/* id, parent, major:minor, root */
			mtext_word(&l, &w);
		if (!(n = mtext_word(&l, &w)) || !unescape(mp, sizeof mp, w, n))
			continue;
		opts_len = mtext_word(&l, &opts);
		while ((n = mtext_word(&l, &w)) > 0 && !(n == 1 && w[0] == '-'))
			;
		if (!n || !(n = mtext_word(&l, &w)) || !mtext_copy(type, sizeof type, w, n))
			continue;
		if (!(n = mtext_word(&l, &w)) || !unescape(dev, sizeof dev, w, n))
			continue;
		if (skipped(mp, type) || fs_stat(mp, &st) != 0)
			continue;
		bs = (double)st.f_bsize;
		sink(ctx, "node_filesystem_size_bytes", lab, 3, (double)st.f_blocks * bs);
		sink(ctx, "node_filesystem_free_bytes", lab, 3, (double)st.f_bfree * bs);
		sink(ctx, "node_filesystem_avail_bytes", lab, 3, (double)st.f_bavail * bs);
		sink(ctx, "node_filesystem_files", lab, 3, (double)st.f_files);
		sink(ctx, "node_filesystem_files_free", lab, 3, (double)st.f_ffree);
		sink(ctx, "node_filesystem_readonly", lab, 3,
		     has_option(opts, opts_len, "ro") || (st.f_flags & ST_RDONLY) ? 1 : 0);
	}
}

void metrics_fs(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text = metrics_read("/proc/self/mountinfo", &len);

	if (text)
		metrics_fs_parse(text, len, statfs, sink, ctx);
}
