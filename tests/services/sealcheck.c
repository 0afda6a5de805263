/* Test service "sealcheck": looks at the sealed root from inside a service,
 * as an appliance's own program would (DESIGN.md 5). One line per check,
 * "sealcheck: ok WHAT: detail" or "sealcheck: FAIL WHAT: why", then
 * "sealcheck: verdict PASS" (exit 0) or "sealcheck: verdict FAIL" (exit 1).
 *
 * resolve  the name given as stele.test.resolve=NAME on the kernel command
 *          line, with a DNS A query of its own to the first nameserver of
 *          /etc/resolv.conf, once PID 1 has written /run/stele/resolv.conf
 *          from the network service's lease
 * listen   no TCP socket listening, no UDP or raw socket bound unconnected
 * shell    no shell, getty, login, sshd, su or sudo anywhere in the root
 * user     real, effective, saved and fs uid and gid are those of USER
 * caps     no capability effective, permitted, inheritable, ambient or
 *          in the bounding set (it asks for none); no_new_privs set
 * cgroup   its own cgroup, /sealcheck
 * stdin    fd 0 is /dev/null
 * net      the network service runs as user net, never uid 0, with
 *          CAP_NET_ADMIN and CAP_NET_RAW only (effective, permitted,
 *          ambient, bounding), from /run/stele/services and /proc/PID
 * metadata no TCP connection to the instance metadata server,
 *          169.254.169.254:80, within METADATA_WAIT_S (PID 1 blackholes it) */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define USER "sealcheck"
#define CGROUP "/sealcheck"
#define RESOLVE_KEY "stele.test.resolve="
#define RESOLV_WAIT_S 40
#define DNS_TRIES 3
#define DNS_TIMEOUT_S 3
#define DNS_MSG_MAX 512
#define DNS_NAME_MAX 253
#define TEXT_MAX 4096
#define DETAIL_MAX 256
#define WALK_DEPTH_MAX 32
#define METADATA_WAIT_S 3

static const char *const ways_in[] = {
	"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox", "toybox",
	"getty", "agetty", "mingetty", "login", "sshd", "dropbear", "telnetd",
	"su", "sudo", "doas",
};
/* Mounted at boot, not part of the sealed root. */
static const char *const not_root[] = { "/proc", "/sys", "/dev", "/run", "/tmp", "/var" };

static int failures;

static void report(int good, const char *what, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	printf("sealcheck: %s %s: %s\n", good ? "ok" : "FAIL", what, detail);
	failures += !good;
}

/* Appends ", item" (or "item") to list[DETAIL_MAX], silently truncating. */
static void list_add(char *list, const char *item)
{
	size_t n = strlen(list);

	snprintf(list + n, DETAIL_MAX - n, "%s%s", n ? ", " : "", item);
}

/* Reads at most TEXT_MAX - 1 bytes of path into buf, NUL-terminated.
 * Returns the length, or -1 with errno set. */
static ssize_t read_text(const char *path, char *buf)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, r = 0;

	if (fd < 0)
		return -1;
	while (n < TEXT_MAX - 1 && (r = read(fd, buf + n, (size_t)(TEXT_MAX - 1 - n))) > 0)
		n += r;
	close(fd);
	if (r < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/* The value of the first "key VALUE" line of text, into out[outsz]. */
static int line_value(const char *text, const char *key, char *out, size_t outsz)
{
	size_t klen = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t n;

		if (strncmp(l, key, klen) != 0 || (l[klen] != ' ' && l[klen] != '\t'))
			continue;
		l += klen + strspn(l + klen, " \t");
		n = strcspn(l, " \t\r\n");
		if (n == 0 || n >= outsz)
			return -1;
		memcpy(out, l, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* --- resolve ------------------------------------------------------------ */

static int name_ok(const char *s)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > DNS_NAME_MAX)
		return 0;
	for (; *s; s++) {
		if (*s == '.') {
			if (label == 0)
				return 0;
			label = 0;
		} else if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", *s)) {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0;
}

/* NAME from "stele.test.resolve=NAME" on the kernel command line. */
static int wanted_name(char *out, size_t outsz)
{
	char cmdline[TEXT_MAX];

	if (read_text("/proc/cmdline", cmdline) < 0)
		return -1;
	for (char *w = strtok(cmdline, " \t\n"); w; w = strtok(NULL, " \t\n")) {
		if (strncmp(w, RESOLVE_KEY, strlen(RESOLVE_KEY)) == 0 &&
		    strlen(w + strlen(RESOLVE_KEY)) < outsz) {
			strcpy(out, w + strlen(RESOLVE_KEY));
			return 0;
		}
	}
	return -1;
}

static size_t dns_query_build(unsigned char *q, const char *name, uint16_t id)
{
	size_t n = 12;

	memset(q, 0, 12);
	q[0] = (unsigned char)(id >> 8);
	q[1] = (unsigned char)id;
	q[2] = 0x01;			/* RD */
	q[5] = 1;			/* QDCOUNT */
	while (*name) {
		size_t len = strcspn(name, ".");

		q[n++] = (unsigned char)len;
		memcpy(q + n, name, len);
		n += len;
		name += len + (name[len] == '.');
	}
	q[n++] = 0;
	q[n++] = 0;
	q[n++] = 1;			/* QTYPE A */
	q[n++] = 0;
	q[n++] = 1;			/* QCLASS IN */
	return n;
}

/* Offset just past the (possibly compressed) name at off, or 0. */
static size_t dns_name_skip(const unsigned char *m, size_t len, size_t off)
{
	while (off < len) {
		unsigned l = m[off];

		if (l == 0)
			return off + 1;
		if ((l & 0xc0) == 0xc0)
			return off + 2 <= len ? off + 2 : 0;
		if (l & 0xc0)
			return 0;
		off += 1 + l;
	}
	return 0;
}

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }

/* The first A record of the answer m[len] to query id, into a.
 * Returns 0, 1 if m answers another query, -1 with why. */
static int dns_answer_parse(const unsigned char *m, size_t len, uint16_t id,
			    struct in_addr *a, const char **why)
{
	size_t off = 12;
	unsigned qd, an;

	if (len < 12 || get16(m) != id || !(m[2] & 0x80))
		return 1;
	if ((m[3] & 0x0f) != 0) {
		*why = (m[3] & 0x0f) == 3 ? "no such name (NXDOMAIN)" : "server error";
		return -1;
	}
	qd = get16(m + 4);
	an = get16(m + 6);
	while (qd--) {
		if (!(off = dns_name_skip(m, len, off)) || (off += 4) > len)
			goto bad;
	}
	while (an--) {
		unsigned type, class, rdlen;

		if (!(off = dns_name_skip(m, len, off)) || off + 10 > len)
			goto bad;
		type = get16(m + off);
		class = get16(m + off + 2);
		rdlen = get16(m + off + 8);
		off += 10;
		if (off + rdlen > len)
			goto bad;
		if (type == 1 && class == 1 && rdlen == 4) {
			memcpy(&a->s_addr, m + off, 4);
			return 0;
		}
		off += rdlen;
	}
	*why = "no A record in the answer";
	return -1;
bad:
	*why = "malformed answer";
	return -1;
}

static uint16_t query_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof id, GRND_NONBLOCK) == sizeof id)
		return id;
	return (uint16_t)(getpid() ^ time(NULL));
}

/* Resolves name through server (IPv4 or IPv6 literal) into a. The socket
 * is closed before returning, so the listen check does not see it. */
static int dns_resolve(const char *server, const char *name, struct in_addr *a,
		       const char **why)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct timeval tv = { DNS_TIMEOUT_S, 0 };
	unsigned char q[DNS_MSG_MAX], r[DNS_MSG_MAX];
	uint16_t id = query_id();
	size_t qlen = dns_query_build(q, name, id);
	int fd, rc = -1;

	if (inet_pton(AF_INET, server, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(53);
	} else if (inet_pton(AF_INET6, server, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(53);
	} else {
		*why = "nameserver is not an IP address";
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    connect(fd, (struct sockaddr *)&ss, sizeof ss) < 0) {
		*why = strerror(errno);
		goto out;
	}
	*why = "no answer";
	for (int try = 0; try < DNS_TRIES && rc < 0; try++) {
		ssize_t n;

		if (send(fd, q, qlen, 0) != (ssize_t)qlen) {
			*why = strerror(errno);
			continue;
		}
		/* Answers to other queries are read past, not counted as tries. */
		while ((n = recv(fd, r, sizeof r, 0)) >= 0) {
			int got = dns_answer_parse(r, (size_t)n, id, a, why);

			if (got == 0)
				rc = 0;
			if (got <= 0)
				break;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			*why = strerror(errno);
		if (n >= 0 && rc < 0)
			break;		/* a definite answer: no retry */
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static void check_resolve(void)
{
	char name[DNS_NAME_MAX + 1], text[TEXT_MAX], server[INET6_ADDRSTRLEN];
	char addr[INET_ADDRSTRLEN];
	struct in_addr a;
	const char *why;
	int waited;

	if (wanted_name(name, sizeof name) < 0) {
		printf("sealcheck: skip resolve: no %sNAME on the command line\n", RESOLVE_KEY);
		return;
	}
	if (!name_ok(name)) {
		report(0, "resolve", "not a host name: %.64s", name);
		return;
	}
	for (waited = 0; waited < RESOLV_WAIT_S * 2; waited++) {
		if (read_text("/run/stele/resolv.conf", text) >= 0 &&
		    line_value(text, "nameserver", server, sizeof server) == 0)
			break;
		nanosleep(&(struct timespec){ 0, 500000000L }, NULL);
	}
	if (waited == RESOLV_WAIT_S * 2) {
		report(0, "resolve", "no nameserver in /run/stele/resolv.conf after %d s", RESOLV_WAIT_S);
		return;
	}
	if (read_text("/etc/resolv.conf", text) < 0 ||
	    line_value(text, "nameserver", server, sizeof server) < 0) {
		report(0, "resolve", "no nameserver in /etc/resolv.conf");
		return;
	}
	if (dns_resolve(server, name, &a, &why) < 0) {
		report(0, "resolve", "%s via %s: %s", name, server, why);
		return;
	}
	inet_ntop(AF_INET, &a, addr, sizeof addr);
	report(1, "resolve", "resolved %s to %s", name, addr);
}

/* --- listen ------------------------------------------------------------- */

/* "0100007F:0035" as printed by the kernel: the address is the raw
 * network-order words printed as host integers. */
static int sock_addr(const char *hex, int v6, char *out, size_t outsz)
{
	unsigned char raw[16];
	char word[9] = "";
	size_t words = v6 ? 4 : 1;

	if (strlen(hex) != words * 8)
		return -1;
	for (size_t i = 0; i < words; i++) {
		uint32_t w;

		memcpy(word, hex + 8 * i, 8);
		w = (uint32_t)strtoul(word, NULL, 16);
		memcpy(raw + 4 * i, &w, 4);
	}
	return inet_ntop(v6 ? AF_INET6 : AF_INET, raw, out, (socklen_t)outsz) ? 0 : -1;
}

static int all_zero(const char *hex) { return strspn(hex, "0") == strlen(hex); }

/* Scans one /proc/net table; adds what listens to found. Returns 0, or -1
 * if the table is absent (that protocol family is not built in). */
static int scan_table(const char *proto, int v6, int tcp, char *found)
{
	char path[64], line[512];
	FILE *f;

	snprintf(path, sizeof path, "/proc/net/%s", proto);
	if (!(f = fopen(path, "re")))
		return -1;
	if (!fgets(line, sizeof line, f)) {
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof line, f)) {
		char local[40], remote[40], addr[INET6_ADDRSTRLEN], item[96];
		unsigned lport, rport, st;

		if (sscanf(line, " %*u: %39[0-9A-Fa-f]:%x %39[0-9A-Fa-f]:%x %x",
			   local, &lport, remote, &rport, &st) != 5)
			continue;
		if (tcp ? st != 0x0A : !(all_zero(remote) && rport == 0))
			continue;
		if (sock_addr(local, v6, addr, sizeof addr) < 0)
			snprintf(addr, sizeof addr, "?");
		snprintf(item, sizeof item, "%s %s%s%s:%u %s", proto, v6 ? "[" : "", addr,
			 v6 ? "]" : "", lport, tcp ? "listening" : "bound");
		list_add(found, item);
	}
	fclose(f);
	return 0;
}

static void check_listen(void)
{
	static const struct { const char *proto; int v6, tcp; } tables[] = {
		{ "tcp", 0, 1 }, { "tcp6", 1, 1 }, { "udp", 0, 0 },
		{ "udp6", 1, 0 }, { "raw", 0, 0 }, { "raw6", 1, 0 },
	};
	char found[DETAIL_MAX] = "", read_ok[DETAIL_MAX] = "";

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		if (scan_table(tables[i].proto, tables[i].v6, tables[i].tcp, found) == 0)
			list_add(read_ok, tables[i].proto);
	}
	if (!strstr(read_ok, "tcp") || !strstr(read_ok, "udp"))
		report(0, "listen", "cannot read /proc/net/tcp and /proc/net/udp");
	else if (found[0])
		report(0, "listen", "%s", found);
	else
		report(1, "listen", "no socket listening (%s)", read_ok);
}

/* --- shell -------------------------------------------------------------- */

struct walk {
	char path[PATH_MAX];
	char found[DETAIL_MAX];
	unsigned files, hits;
	int error;
};

static int is_way_in(const char *name)
{
	for (size_t i = 0; i < sizeof ways_in / sizeof ways_in[0]; i++)
		if (strcmp(name, ways_in[i]) == 0)
			return 1;
	return 0;
}

static int skipped(const char *path)
{
	for (size_t i = 0; i < sizeof not_root / sizeof not_root[0]; i++)
		if (strcmp(path, not_root[i]) == 0)
			return 1;
	return 0;
}

/* Walks w->path (a directory, no trailing slash but for "/") without
 * following symbolic links. */
static void walk_dir(struct walk *w, int depth)
{
	size_t len = strlen(w->path);
	struct dirent *e;
	DIR *d;

	if (depth > WALK_DEPTH_MAX || !(d = opendir(w->path))) {
		w->error = 1;
		return;
	}
	while ((e = readdir(d))) {
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(w->path + len, sizeof w->path - len, "%s%s",
			     len > 1 ? "/" : "", e->d_name) >= (int)(sizeof w->path - len)) {
			w->error = 1;
			continue;
		}
		if (lstat(w->path, &st) < 0) {
			w->error = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (!skipped(w->path))
				walk_dir(w, depth + 1);
		} else {
			w->files++;
			if (is_way_in(e->d_name)) {
				w->hits++;
				list_add(w->found, w->path);
			}
		}
		w->path[len] = '\0';
	}
	closedir(d);
}

static void check_shell(void)
{
	static struct walk w = { .path = "/" };

	walk_dir(&w, 0);
	if (w.hits)
		report(0, "shell", "%s", w.found);
	else if (w.error)
		report(0, "shell", "could not read all of /");
	else
		report(1, "shell", "no shell, getty, login, sshd, su or sudo among %u files", w.files);
}

static int network_pid(void);

/* --- user, caps, cgroup, stdin -------------------------------------------- */

static int status_field(const char *status, const char *key, char *out, size_t outsz)
{
	char k[32];

	snprintf(k, sizeof k, "%s:", key);
	return line_value(status, k, out, outsz);
}

/* "Uid:\t1003\t1003\t1003\t1003": every id equal to want. */
static int ids_all(const char *status, const char *key, unsigned long want)
{
	char k[32];
	const char *l;
	int n = 0;

	snprintf(k, sizeof k, "\n%s:", key);
	if (!(l = strstr(status, k)))
		return 0;
	l += strlen(k);
	for (;;) {
		char *end;
		unsigned long v;

		l += strspn(l, " \t");
		if (*l == '\n' || *l == '\0')
			return n == 4;
		v = strtoul(l, &end, 10);
		if (end == l || v != want)
			return 0;
		l = end;
		n++;
	}
}

static void check_user(const char *status)
{
	struct passwd *pw = getpwnam(USER);
	char groups[64] = "";
	gid_t list[8];
	int n;

	if (!pw) {
		report(0, "user", "no user %s in /etc/passwd", USER);
		return;
	}
	n = getgroups(sizeof list / sizeof list[0], list);
	if (pw->pw_uid == 0 || pw->pw_gid == 0)
		report(0, "user", "%s has uid or gid 0", USER);
	else if (!ids_all(status, "Uid", pw->pw_uid) || !ids_all(status, "Gid", pw->pw_gid))
		report(0, "user", "uid %u gid %u, not %s's %u/%u", (unsigned)getuid(),
		       (unsigned)getgid(), USER, (unsigned)pw->pw_uid, (unsigned)pw->pw_gid);
	else if (n < 0 || n > 1 || (n == 1 && list[0] != pw->pw_gid))
		report(0, "user", "supplementary groups: %s",
		       status_field(status, "Groups", groups, sizeof groups) ? "?" : groups);
	else
		report(1, "user", "uid %u gid %u (%s)", (unsigned)pw->pw_uid,
		       (unsigned)pw->pw_gid, USER);
}

static void check_caps(const char *status)
{
	static const char *const zero[] = { "CapEff", "CapPrm", "CapInh", "CapAmb", "CapBnd" };
	char v[32], bad[DETAIL_MAX] = "";

	for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++) {
		if (status_field(status, zero[i], v, sizeof v) < 0)
			snprintf(v, sizeof v, "missing");
		if (!all_zero(v)) {
			char item[64];

			snprintf(item, sizeof item, "%s %s", zero[i], v);
			list_add(bad, item);
		}
	}
	if (status_field(status, "NoNewPrivs", v, sizeof v) < 0 || strcmp(v, "1") != 0)
		list_add(bad, "NoNewPrivs not 1");
	if (bad[0])
		report(0, "caps", "%s", bad);
	else
		report(1, "caps", "no capability (effective, permitted, inheritable, ambient, bounding), NoNewPrivs 1");
}

static void check_cgroup(void)
{
	char text[TEXT_MAX];
	const char *l;
	size_t n;

	if (read_text("/proc/self/cgroup", text) < 0) {
		report(0, "cgroup", "cannot read /proc/self/cgroup: %s", strerror(errno));
		return;
	}
	l = strncmp(text, "0::", 3) == 0 ? text : strstr(text, "\n0::");
	if (!l) {
		report(0, "cgroup", "no cgroup v2 line in /proc/self/cgroup");
		return;
	}
	l += *l == '\n' ? 4 : 3;
	n = strcspn(l, "\n");
	if (n >= strlen(CGROUP) && strncmp(l + n - strlen(CGROUP), CGROUP, strlen(CGROUP)) == 0)
		report(1, "cgroup", "%.*s", (int)n, l);
	else
		report(0, "cgroup", "in %.*s, not %s", (int)(n > 100 ? 100 : n), l, CGROUP);
}

static void check_stdin(void)
{
	char target[PATH_MAX];
	ssize_t n = readlink("/proc/self/fd/0", target, sizeof target - 1);

	if (n < 0) {
		report(0, "stdin", "fd 0: %s", strerror(errno));
		return;
	}
	target[n] = '\0';
	report(strcmp(target, "/dev/null") == 0, "stdin", "fd 0 is %.100s", target);
}

/* PID 1's status file: the services it runs, this one and forever (which
 * sealcheck starts after) among them, with their pids. */
static void check_status_file(void)
{
	char text[TEXT_MAX], want[64];

	if (read_text("/run/stele/services", text) < 0) {
		report(0, "status", "cannot read /run/stele/services: %s", strerror(errno));
		return;
	}
	snprintf(want, sizeof want, "name=sealcheck state=running pid=%d ", (int)getpid());
	if (!strstr(text, want)) {
		report(0, "status", "no '%s' line", want);
		return;
	}
	if (!strstr(text, "name=forever state=running pid=")) {
		report(0, "status", "forever is not listed as running");
		return;
	}
	report(1, "status", "/run/stele/services lists sealcheck (pid %d) and forever running",
	       (int)getpid());
}

static void check_metadata(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(80),
				  .sin_addr.s_addr = htonl(0xa9fea9feu) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), err = 0;
	socklen_t len = sizeof err;
	struct pollfd p = { fd, POLLOUT, 0 };

	if (fd < 0) {
		report(0, "metadata", "socket: %s", strerror(errno));
		return;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)
		err = errno;
	else if (poll(&p, 1, METADATA_WAIT_S * 1000) == 0)
		err = ETIMEDOUT;
	else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	close(fd);
	if (err)
		report(1, "metadata", "connect to 169.254.169.254:80: %s", strerror(err));
	else
		report(0, "metadata", "connected to 169.254.169.254:80");
}

/* The network service's pid, from PID 1's status file; 0 if not running. */
static int network_pid(void)
{
	char text[TEXT_MAX];
	const char *l;

	if (read_text("/run/stele/services", text) < 0 ||
	    !(l = strstr(text, "name=network state=running pid=")))
		return 0;
	return atoi(l + strlen("name=network state=running pid="));
}

/* Only bits 12 and 13 (CAP_NET_ADMIN, CAP_NET_RAW), as /proc prints them. */
#define NET_CAPS "0000000000003000"

static void check_net(void)
{
	static const char *const sets[] = { "CapEff", "CapPrm", "CapAmb", "CapBnd" };
	char path[64], v[32], bad[DETAIL_MAX] = "";
	static char status[TEXT_MAX];
	struct passwd *pw = getpwnam("net");
	int pid = network_pid();

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if (!pw || pw->pw_uid == 0) {
		report(0, "net", "no user net (or it is uid 0)");
		return;
	}
	if (pid <= 0 || read_text(path, status) < 0) {
		report(0, "net", "the network service is not running (/run/stele/services)");
		return;
	}
	if (!ids_all(status, "Uid", pw->pw_uid) || !ids_all(status, "Gid", pw->pw_gid))
		list_add(bad, "not all its uids and gids are net's");
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		if (status_field(status, sets[i], v, sizeof v) < 0 || strcmp(v, NET_CAPS) != 0) {
			char item[64];

			snprintf(item, sizeof item, "%s %s", sets[i], v);
			list_add(bad, item);
		}
	}
	if (bad[0])
		report(0, "net", "pid %d: %s", pid, bad);
	else
		report(1, "net", "pid %d uid %u (net), capabilities " NET_CAPS
		       " (CAP_NET_ADMIN CAP_NET_RAW) only", pid, (unsigned)pw->pw_uid);
}

/* The host name PID 1 set: informational, the scenario knows what it gave.
 * Read once the network service's lease is in place (PID 1 writes
 * resolv.conf after the host name it reports), when there is a network. */
static void check_hostname(void)
{
	struct utsname u;
	char text[TEXT_MAX];

	for (int waited = 0; network_pid() && waited < RESOLV_WAIT_S * 2; waited++) {
		if (read_text("/run/stele/resolv.conf", text) >= 0)
			break;
		nanosleep(&(struct timespec){ 0, 500000000L }, NULL);
	}
	if (uname(&u) < 0)
		report(0, "hostname", "uname: %s", strerror(errno));
	else
		report(u.nodename[0] != '\0', "hostname", "%s", u.nodename);
}

/* PID 1's hardening sysctls (init/system/sysctl.c), each set; on stele's
 * kernel every one exists, Yama's too (CONFIG_SECURITY_YAMA), but BPF's. */
static void check_sysctls(void)
{
	static const struct { const char *name, *want; int optional; } want[] = {
		{ "kernel/kptr_restrict", "2", 0 }, { "kernel/dmesg_restrict", "1", 0 },
		{ "fs/protected_hardlinks", "1", 0 }, { "fs/protected_symlinks", "1", 0 },
		{ "fs/protected_fifos", "2", 0 }, { "fs/protected_regular", "2", 0 },
		{ "user/max_user_namespaces", "0", 0 }, { "kernel/yama/ptrace_scope", "2", 0 },
		{ "kernel/perf_event_paranoid", "3", 1 },
		{ "kernel/unprivileged_bpf_disabled", "1", 1 },
	};
	char path[96], text[TEXT_MAX], bad[DETAIL_MAX] = "", item[128];

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		snprintf(path, sizeof path, "/proc/sys/%s", want[i].name);
		if (read_text(path, text) < 0) {
			if (!want[i].optional) {
				snprintf(item, sizeof item, "%s missing", want[i].name);
				list_add(bad, item);
			}
			continue;
		}
		text[strcspn(text, "\n")] = '\0';
		if (strcmp(text, want[i].want) != 0) {
			snprintf(item, sizeof item, "%s=%.16s, not %s", want[i].name, text, want[i].want);
			list_add(bad, item);
		}
	}
	report(!bad[0], "hardening sysctls", "%s", bad[0] ? bad : "all set");
}

/* Copies this program into fd; 0 or -1. */
static int copy_self(int fd)
{
	char buf[8192];
	int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	ssize_t n = 0;

	while (in >= 0 && (n = read(in, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			n = -1;
	if (in >= 0)
		close(in);
	return in < 0 || n < 0 ? -1 : 0;
}

/* Runs this program with --noop from the file path, or from fd if path is
 * NULL, in a child: its exit status, or 100 + errno if exec failed. */
static int run_copy(const char *path, int fd)
{
	char *const argv[] = { "sealcheck", "--noop", NULL };
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (path)
			execve(path, argv, (char *[]){ NULL });
		else
			fexecve(fd, argv, (char *[]){ NULL });
		_exit(100 + (errno < 100 ? errno : 99));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The writable mounts are noexec, and a program written to /tmp does not
 * run. A memfd's does on Linux 6.1 (no vm.memfd_noexec before 6.3): said,
 * as the README says, and not counted. */
static void check_noexec(void)
{
	static const char *const writable[] = { "/run", "/tmp", "/var" };
	static char info[TEXT_MAX * 4];
	char bad[DETAIL_MAX] = "", mnt[256], opts[256];
	const char *path = "/tmp/sealcheck-exec";
	int fd, rc, found = 0;
	FILE *f = fopen("/proc/self/mountinfo", "r");

	while (f && fgets(info, sizeof info, f))
		if (sscanf(info, "%*s %*s %*s %*s %255s %255s", mnt, opts) == 2)
			for (size_t i = 0; i < sizeof writable / sizeof writable[0]; i++)
				if (strcmp(mnt, writable[i]) == 0) {
					found++;
					if (!strstr(opts, "noexec"))
						list_add(bad, writable[i]);
				}
	if (f)
		fclose(f);
	report(!bad[0] && found == 3, "writable mounts noexec", "%s",
	       bad[0] ? bad : found == 3 ? "/run /tmp /var" : "not all three found");

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	rc = fd >= 0 && copy_self(fd) == 0 ? 0 : -1;
	if (fd >= 0)
		close(fd);
	if (rc == 0)
		rc = run_copy(path, -1);
	unlink(path);
	report(rc == 100 + EACCES, "program written to /tmp", "%s",
	       rc == 100 + EACCES ? "not executable (EACCES)" : rc == 0 ? "it ran" : "could not try");

	fd = memfd_create("sealcheck", MFD_CLOEXEC);
	rc = fd >= 0 && copy_self(fd) == 0 ? run_copy(NULL, fd) : -1;
	if (fd >= 0)
		close(fd);
	printf("sealcheck: info program written to a memfd: %s\n",
	       rc == 0 ? "ran (Linux 6.1 has no vm.memfd_noexec)" : "did not run");
}

int main(int argc, char **argv)
{
	static char status[TEXT_MAX];

	if (argc > 1 && strcmp(argv[1], "--noop") == 0)
		return 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_resolve();
	check_listen();
	check_shell();
	if (read_text("/proc/self/status", status) < 0) {
		report(0, "user", "cannot read /proc/self/status");
		report(0, "caps", "cannot read /proc/self/status");
	} else {
		check_user(status);
		check_caps(status);
	}
	check_cgroup();
	check_stdin();
	check_status_file();
	check_hostname();
	check_net();
	check_metadata();
	check_sysctls();
	check_noexec();
	printf("sealcheck: verdict %s\n", failures ? "FAIL" : "PASS");
	return failures != 0;
}
