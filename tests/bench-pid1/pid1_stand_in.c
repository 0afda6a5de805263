/* pid1-stand-in: the agent measured through its real inputs, for make
 * bench and make bench-peers. It stands in for PID 1 as
 * init/supervise/agent_link.c does: a memfd for the ring, the
 * SOCK_SEQPACKET line socket (lib/svc_line.h), a datagram socket with
 * SO_PASSCRED bound at DIR/log in place of /dev/log, /dev/kmsg read from
 * its end (a pipe nobody writes if it cannot be opened); it execs the
 * agent with them as fds 3-6 and STELE_AGENT_FDS=1. Then it feeds records
 * of about 100 bytes, as syslog datagrams or as service lines, and times
 * them until the receiver has stored every one: it counts them in the
 * receiver's output (the collector's DIR/HOST/BOOT.jsonl, or a file).
 *
 * With --socket PATH --watch PID it feeds another program's datagram
 * socket instead (rsyslog's imuxsock) and measures PID.
 *
 * At most --window records are in flight (fed, not yet stored): the
 * agent keeps a syslog sender to 1/8 of its buffer and drops the excess
 * by design, and a benchmark that loses records measures nothing.
 *
 * Prints one line of figures; exits 1 with one line if not everything
 * arrived within --timeout seconds. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "svc_line.h"

#define LINES_BUFFER (4 << 20)		/* agent_link.c's */
#define DEVLOG_BUFFER (1 << 20)
#define FILES_MAX 16
#define MARK_MAX 32

enum via { VIA_SYSLOG, VIA_LINES };

struct counted {
	char path[1024];
	int fd;
	char tail[MARK_MAX];		/* the last bytes read: a mark may span reads */
	size_t tail_len;
};

static struct {
	const char *count, *dir, *sock, *label;
	enum via via;
	unsigned long records, window;
	unsigned timeout_s, idle_s;
	pid_t watch;
	char mark[MARK_MAX];
	size_t mark_len;
	struct counted files[FILES_MAX];
	size_t n_files;
	int fd_tx;			/* lines: our end; syslog: a socket to the path */
	struct sockaddr_un to;
} g = { .label = "agent", .records = 100000, .window = 2000, .timeout_s = 300, .idle_s = 3 };

static _Noreturn void die(const char *fmt, ...)
{
	va_list ap;

	fputs("pid1-stand-in: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(111);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* utime + stime of pid, in s (all its threads). */
static double cpu_of(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		die("%s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	/* After the command's ")": state is field 3, utime 14, stime 15. */
	if (!(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		die("%s: cannot parse", path);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "Vm...:" line of /proc/PID/status, in KiB. */
static long vm_of(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t klen = strlen(key);
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "re")))
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			kib = strtol(line + klen + 1, NULL, 10);
	fclose(f);
	return kib;
}

static void track(const char *path)
{
	struct counted *c = &g.files[g.n_files];

	for (size_t i = 0; i < g.n_files; i++)
		if (strcmp(g.files[i].path, path) == 0)
			return;
	if (g.n_files == FILES_MAX || strlen(path) >= sizeof c->path)
		return;
	if ((c->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	strcpy(c->path, path);
	c->tail_len = 0;
	g.n_files++;
}

/* The receiver's files: the one --count names, or each DIR/HOST/x.jsonl. */
static void find_files(void)
{
	struct stat st;
	DIR *d, *h;
	struct dirent *e, *f;
	char sub[512], path[1024];

	if (stat(g.count, &st) < 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		track(g.count);
		return;
	}
	if (!(d = opendir(g.count)))
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", g.count, e->d_name);
		if (!(h = opendir(sub)))
			continue;
		while ((f = readdir(h))) {
			size_t l = strlen(f->d_name);

			if (l > 6 && strcmp(f->d_name + l - 6, ".jsonl") == 0) {
				snprintf(path, sizeof path, "%s/%s", sub, f->d_name);
				track(path);
			}
		}
		closedir(h);
	}
	closedir(d);
}

/* How many of our records the receiver has stored since the last call:
 * the marks in what its files gained. */
static unsigned long count_new(void)
{
	static char buf[1 << 20];
	unsigned long n = 0;

	for (size_t i = 0; i < g.n_files; i++) {
		struct counted *c = &g.files[i];
		ssize_t r;

		while ((r = read(c->fd, buf + c->tail_len, sizeof buf - c->tail_len)) > 0) {
			size_t len = c->tail_len + (size_t)r;
			const char *p = buf, *end = buf + len;

			memcpy(buf, c->tail, c->tail_len);
			while ((p = memmem(p, (size_t)(end - p), g.mark, g.mark_len))) {
				n++;
				p += g.mark_len;
			}
			c->tail_len = len < g.mark_len - 1 ? len : g.mark_len - 1;
			memcpy(c->tail, end - c->tail_len, c->tail_len);
		}
	}
	return n;
}

/* Waits until the receiver has stored something (the agent's first
 * metrics: it is connected). */
static void wait_receiver(pid_t agent, double deadline)
{
	struct stat st;
	int status;

	for (;;) {
		if (waitpid(agent, &status, WNOHANG) == agent)
			die("%s: the agent exited before it was connected", g.label);
		find_files();
		for (size_t i = 0; i < g.n_files; i++)
			if (fstat(g.files[i].fd, &st) == 0 && st.st_size > 0)
				return;
		if (now_s() > deadline)
			die("%s: nothing stored in %s within %u s", g.label, g.count, g.timeout_s);
		nap_ms(20);
	}
}

/* Record i: about 100 bytes of message, carrying the mark. */
#define ITEM_DIGITS 8
#define ITEM_AT (sizeof "GET /api/v1/items/" - 1)

/* Record i's text: made once, then only its item number changes, so that
 * the feeder's own CPU (it shares the machine with every contender) stays
 * small beside theirs. Sets *len. */
static const char *message(unsigned long i, size_t *len)
{
	static char text[256];
	static size_t text_len;

	if (!text_len) {
		int n = snprintf(text, sizeof text, "GET /api/v1/items/%0*lu 200 1532 bytes in 0.0042 s "
				 "from 10.0.2.2 %s", ITEM_DIGITS, 0ul, g.mark);

		if (n <= 0 || (size_t)n >= sizeof text)
			die("%s: the record does not fit", g.label);
		text_len = (size_t)n;
	}
	for (int d = ITEM_DIGITS - 1; d >= 0; d--, i /= 10)
		text[ITEM_AT + (size_t)d] = (char)('0' + i % 10);
	*len = text_len;
	return text;
}

/* What glibc's syslog(3) sends, no host name: "<14>Mmm dd hh:mm:ss
 * bench[PID]: TEXT"; the head is made again only when the second changes. */
static size_t syslog_datagram(char *dgram, size_t cap, unsigned long i)
{
	static char head[64];
	static size_t head_len;
	static time_t made = -1;
	time_t t = time(NULL);
	size_t len;
	const char *text = message(i, &len);

	if (t != made) {
		char stamp[32];
		struct tm tm;
		int n;

		localtime_r(&t, &tm);
		strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
		n = snprintf(head, sizeof head, "<14>%s bench[%d]: ", stamp, (int)getpid());
		if (n <= 0 || (size_t)n >= sizeof head)
			die("%s: the syslog header does not fit", g.label);
		head_len = (size_t)n;
		made = t;
	}
	if (head_len + len > cap)
		die("%s: the datagram does not fit", g.label);
	memcpy(dgram, head, head_len);
	memcpy(dgram + head_len, text, len);
	return head_len + len;
}

/* Sends record i without blocking: 1, or 0 if the socket is full (a
 * receiver that is gone must not hang us past the timeout). */
static int feed_one(unsigned long i)
{
	static char dgram[320];
	ssize_t r;

	if (g.via == VIA_SYSLOG) {
		size_t len = syslog_datagram(dgram, sizeof dgram, i);

		do
			r = send(g.fd_tx, dgram, len, MSG_DONTWAIT);
		while (r < 0 && errno == EINTR);
	} else {
		struct timespec ts;
		static uint32_t pid;
		struct svc_line_hdr h = { SVC_LINE_VERSION, SVC_LINE_OUT, 0, 5, 0, 0 };
		size_t len;
		const char *text = message(i, &len);
		struct iovec iov[3] = { { &h, sizeof h }, { "bench", 5 }, { (void *)text, len } };
		struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };

		if (!pid)
			pid = (uint32_t)getpid();
		h.pid = pid;
		clock_gettime(CLOCK_REALTIME, &ts);
		h.t_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		do
			r = sendmsg(g.fd_tx, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
		while (r < 0 && errno == EINTR);
	}
	if (r < 0 && (errno == EAGAIN || errno == ENOBUFS))
		return 0;
	if (r < 0)
		die("%s: send: %s", g.label, strerror(errno));
	return 1;
}

static int devlog_open(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), size = DEVLOG_BUFFER, on = 1;

	if (fd < 0 || strlen(path) >= sizeof sa.sun_path)
		die("%s: cannot make a socket there", path);
	strcpy(sa.sun_path, path);
	unlink(path);
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || chmod(path, 0666) < 0)
		die("%s: %s", path, strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	return fd;
}

/* /dev/kmsg from its end, as PID 1's offset would be after boot; a pipe
 * whose writer we keep (never readable) where it cannot be opened. */
static int kmsg_open(void)
{
	static int pipefd[2];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && lseek(fd, 0, SEEK_END) >= 0)
		return fd;
	if (fd >= 0)
		close(fd);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	return pipefd[0];
}

/* PID 1 keeps the fds for the boot; so do we, for the run. */
static pid_t agent_start(char **argv)
{
	static char path[512];
	int fds[4], pair[2], size = LINES_BUFFER;
	pid_t pid;

	snprintf(path, sizeof path, "%s/log", g.dir);
	fds[0] = memfd_create("stele-agent-ring", MFD_CLOEXEC);
	if (fds[0] < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		die("memfd or socketpair: %s", strerror(errno));
	if (setsockopt(pair[0], SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
		setsockopt(pair[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
	if (setsockopt(pair[1], SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
		setsockopt(pair[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	fds[1] = pair[1];
	fds[2] = devlog_open(path);
	fds[3] = kmsg_open();
	g.sock = path;
	if (g.via == VIA_LINES)
		g.fd_tx = pair[0];
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int tmp[4];
		sigset_t none;

		/* Out of the way first, as svc_spawn.c does. */
		for (int i = 0; i < 4; i++)
			if ((tmp[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 64)) < 0)
				_exit(111);
		for (int i = 0; i < 4; i++)
			if (dup2(tmp[i], 3 + i) < 0)
				_exit(111);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setenv("STELE_AGENT_FDS", "1", 1);
		execv(argv[0], argv);
		fprintf(stderr, "pid1-stand-in: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static void syslog_target(const char *path)
{
	g.to.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof g.to.sun_path)
		die("%s: path too long", path);
	strcpy(g.to.sun_path, path);
	/* Connected, as syslog(3) is: POLLOUT then says the receiver's
	 * queue has room. */
	if ((g.fd_tx = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(g.fd_tx, (struct sockaddr *)&g.to, sizeof g.to) < 0)
		die("%s: %s", path, strerror(errno));
}

static _Noreturn void usage(void)
{
	fputs("usage: pid1-stand-in --via syslog|lines --count DIR|FILE [--records N] [--window N]\n"
	      "         [--timeout S] [--idle S] [--label TEXT]\n"
	      "         (--dir DIR -- AGENT [ARG...] | --socket PATH --watch PID)\n", stderr);
	exit(100);
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long n = strtoul(s, &end, 10);

	if (!*s || *end)
		usage();
	return n;
}

static char **options(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--") == 0)
			return argv + i + 1;
		if (!v)
			usage();
		i++;
		if (strcmp(a, "--via") == 0 && strcmp(v, "syslog") == 0)
			g.via = VIA_SYSLOG;
		else if (strcmp(a, "--via") == 0 && strcmp(v, "lines") == 0)
			g.via = VIA_LINES;
		else if (strcmp(a, "--count") == 0)
			g.count = v;
		else if (strcmp(a, "--records") == 0)
			g.records = number(v);
		else if (strcmp(a, "--window") == 0)
			g.window = number(v);
		else if (strcmp(a, "--timeout") == 0)
			g.timeout_s = (unsigned)number(v);
		else if (strcmp(a, "--idle") == 0)
			g.idle_s = (unsigned)number(v);
		else if (strcmp(a, "--label") == 0)
			g.label = v;
		else if (strcmp(a, "--dir") == 0)
			g.dir = v;
		else if (strcmp(a, "--socket") == 0)
			g.sock = v;
		else if (strcmp(a, "--watch") == 0)
			g.watch = (pid_t)number(v);
		else
			usage();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	char **agent = options(argc, argv);
	unsigned long fed = 0, stored = 0;
	double t0, t1, c0, c1, deadline;
	long idle, hwm, after;
	pid_t pid;

	if (!g.count || !g.records || !g.window ||
	    (agent ? !agent[0] || !g.dir : !g.sock || !g.watch || g.via != VIA_SYSLOG))
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	g.mark_len = (size_t)snprintf(g.mark, sizeof g.mark, "(dlv %d)", (int)getpid());

	pid = agent ? agent_start(agent) : g.watch;
	if (g.via == VIA_SYSLOG)
		syslog_target(g.sock);
	deadline = now_s() + g.timeout_s;
	if (agent)
		wait_receiver(pid, deadline);
	nap_ms(1000L * g.idle_s);
	idle = vm_of(pid, "VmRSS");
	find_files();
	count_new();

	t0 = now_s();
	c0 = cpu_of(pid);
	deadline = t0 + g.timeout_s;
	while (stored < g.records) {
		unsigned long got;
		int st;

		while (fed < g.records && fed - stored < g.window && feed_one(fed))
			fed++;
		find_files();
		stored += got = count_new();
		if (stored >= g.records)
			break;
		if (agent && waitpid(pid, &st, WNOHANG) == pid) {
			printf("%s: FAILED: the agent exited (status %d) with %lu of %lu records stored\n",
			       g.label, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), stored,
			       g.records);
			return 1;
		}
		if (now_s() > deadline) {
			printf("%s: FAILED: %lu of %lu records stored within %u s\n", g.label, stored,
			       g.records, g.timeout_s);
			if (agent)
				kill(pid, SIGKILL);
			return 1;
		}
		if (fed < g.records && fed - stored < g.window) {
			struct pollfd p = { .fd = g.fd_tx, .events = POLLOUT };

			poll(&p, 1, 1);	/* the socket is full: until it takes one */
		} else if (!got) {
			nap_ms(1);
		}
	}
	t1 = now_s();
	c1 = cpu_of(pid);
	hwm = vm_of(pid, "VmHWM");
	nap_ms(1000L * g.idle_s);
	after = vm_of(pid, "VmRSS");
	printf("%s: %lu records stored in %.3f s: %.0f records/s, %.3f CPU s per 100k records, "
	       "peak RSS %ld KiB, idle RSS %ld KiB (%ld KiB %u s after the run)\n", g.label, g.records,
	       t1 - t0, (double)g.records / (t1 - t0), (c1 - c0) / (double)g.records * 1e5, hwm, idle,
	       after, g.idle_s);
	if (agent) {
		int st;

		kill(pid, SIGTERM);
		waitpid(pid, &st, 0);
	}
	return 0;
}
