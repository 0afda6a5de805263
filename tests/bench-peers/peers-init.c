/* The init of make bench-peers' boots (tests/bench-peers/boots): the
 * floor's initramfs /init, and the verified root's /sbin/init that
 * dracut and stele's stage 1 both switch to. First thing, it marks the
 * kernel log ("peers: init", whose printk timestamp is the figure) and
 * the console with /proc/uptime, then powers off. It mounts /proc and
 * /dev itself when whoever ran it did not. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

static int open_or_mount(const char *path, const char *fstype, const char *dir)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 && mount(fstype, dir, fstype, 0, NULL) == 0)
		fd = open(path, O_RDWR | O_CLOEXEC);
	return fd;
}

int main(void)
{
	char up[64] = "?", line[128];
	int fd, n;

	if ((fd = open_or_mount("/proc/uptime", "proc", "/proc")) >= 0) {
		n = read(fd, up, sizeof(up) - 1);
		up[n > 0 ? n : 0] = '\0';
		up[strcspn(up, "\n")] = '\0';
		close(fd);
	}
	/* <5>: notice, shown on the console with loglevel=6 as stele's
	 * milestones are. */
	n = snprintf(line, sizeof(line), "<5>peers: init uptime %s\n", up);
	if ((fd = open_or_mount("/dev/kmsg", "devtmpfs", "/dev")) >= 0) {
		if (write(fd, line, n) < 0)
			perror("peers-init: /dev/kmsg");
		close(fd);
	}
	printf("%s", line + 3);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 111;
}
