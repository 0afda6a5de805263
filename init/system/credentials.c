#include "credentials.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "netaddr.h"
#include "smbios_cred.h"

static unsigned char buf[CREDENTIAL_MAX + 1];

/* HOST:PORT[/NAME], comma separated, as stele.collector= takes them:
 * what the agent will accept (lib/netaddr.h). */
static int collectors_ok(const unsigned char *v, size_t n)
{
	for (size_t at = 0; at < n;) {
		const char *item = (const char *)v + at, *end = memchr(item, ',', n - at);
		size_t len = end ? (size_t)(end - item) : n - at;
		struct host_port hp;

		if (host_port_parse(item, len, &hp))
			return 0;
		at += len + 1;
		if (end && at == n)
			return 0;	/* trailing comma */
	}
	return n > 0;
}

static int pem_ok(const unsigned char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!(v[i] == '\n' || v[i] == '\r' || (v[i] >= 0x20 && v[i] < 0x7f)))
			return 0;
	return n > 11 && memmem(v, n, "-----BEGIN ", 11) != NULL;
}

int credential_check(const char *name, const unsigned char *v, size_t n, char *why)
{
	int ok;

	if (strcmp(name, "stele.hostname") == 0)
		ok = dns_name_ok((const char *)v, n, HOSTNAME_LEN_MAX);
	else if (strcmp(name, "stele.collector") == 0)
		ok = collectors_ok(v, n);
	else if (strcmp(name, "stele.agent.crt") == 0 || strcmp(name, "stele.agent.key") == 0)
		ok = pem_ok(v, n);
	else {
		snprintf(why, 160, "credential %.60s: not one stele knows; ignored", name);
		return -1;
	}
	if (!ok)
		snprintf(why, 160, "credential %s: malformed value; ignored", name);
	return ok ? 0 : -1;
}

/* Writes one credential; an existing one wins (the sources come in order
 * of precedence). Returns 1 if it was installed. */
static int put(int dir, const char *name, const void *v, size_t n, unsigned uid, unsigned gid)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);

	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0 || write(fd, v, n) != (ssize_t)n || fchown(fd, uid, gid) < 0) {
		say("credential %s: cannot install: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlinkat(dir, name, 0);
		return 0;
	}
	close(fd);
	return 1;
}

struct source {
	const char *name;		/* "SMBIOS", "metadata": for the console */
	int dir;
	unsigned uid, gid;
	int count;
	char *hostname;
	size_t hostname_len;
};

/* One credential string, from SMBIOS or a line of metadata: the same
 * parser and the same checks for both. */
static void one_string(void *arg, const char *s, size_t n)
{
	static unsigned char value[CRED_VALUE_MAX];
	struct source *c = arg;
	char name[CRED_NAME_MAX], why[160];
	size_t vlen;
	int r = cred_parse(s, n, name, value, &vlen, why);

	if (r == 0)
		return;
	if (r < 0 || credential_check(name, value, vlen, why) < 0) {
		say("%s %s", c->name, why);
		return;
	}
	if (!put(c->dir, name, value, vlen, c->uid, c->gid))
		return;
	c->count++;
	if (strcmp(name, "stele.hostname") == 0 && vlen < c->hostname_len) {
		memcpy(c->hostname, value, vlen);
		c->hostname[vlen] = '\0';
	}
}

static void one_structure(void *arg, const unsigned char *s, size_t n)
{
	if (smbios_strings(s, n, one_string, arg) < 0)
		say("SMBIOS type 11 structure malformed; ignored");
}

static void from_smbios(struct source *c)
{
	static unsigned char table[SMBIOS_TABLE_MAX];
	int fd = open(CREDENTIALS_SMBIOS, O_RDONLY | O_CLOEXEC);
	ssize_t n = 0, r;

	if (fd < 0)
		return;
	while ((size_t)n < sizeof table && (r = read(fd, table + n, sizeof table - (size_t)n)) > 0)
		n += r;
	close(fd);
	if (smbios_structures(table, (size_t)n, 11, one_structure, c) < 0)
		say("SMBIOS table malformed after %d bytes; the rest ignored", (int)n);
}

static void from_image(struct source *c)
{
	DIR *d = opendir(CREDENTIALS_IMAGE);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		int fd;
		ssize_t n;

		if (e->d_name[0] == '.')
			continue;
		fd = openat(dirfd(d), e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf, CREDENTIAL_MAX + 1);
		if (fd >= 0)
			close(fd);
		if (n < 0 || n > CREDENTIAL_MAX)
			say("credential %s in the image: %s", e->d_name,
			    n < 0 ? strerror(errno) : "larger than 16 KiB");
		else
			c->count += put(c->dir, e->d_name, buf, (size_t)n, c->uid, c->gid);
	}
	closedir(d);
}

static int open_run(struct source *c)
{
	if ((c->dir = open(CREDENTIALS_RUN, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		say("cannot open " CREDENTIALS_RUN ": %s", strerror(errno));
	return c->dir;
}

int credentials_from_smbios(unsigned uid, unsigned gid, char *hostname, size_t len)
{
	struct source c = { "SMBIOS", -1, uid, gid, 0, hostname, len };

	hostname[0] = '\0';
	if ((mkdir("/run/stele", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(CREDENTIALS_RUN, 0500) < 0 && errno != EEXIST) ||
	    chown(CREDENTIALS_RUN, uid, gid) < 0) {
		say("cannot create " CREDENTIALS_RUN ": %s", strerror(errno));
		return 0;
	}
	if (open_run(&c) < 0)
		return 0;
	from_smbios(&c);
	close(c.dir);
	return c.count;
}

int credentials_from_text(const char *source, const char *text, size_t n, unsigned uid,
			  unsigned gid, char *hostname, size_t len)
{
	struct source c = { source, -1, uid, gid, 0, hostname, len };

	hostname[0] = '\0';
	if (open_run(&c) < 0)
		return 0;
	cred_lines(text, n, one_string, &c);
	close(c.dir);
	return c.count;
}

int credentials_from_image(unsigned uid, unsigned gid)
{
	char none[1];
	struct source c = { "image", -1, uid, gid, 0, none, sizeof none };

	if (open_run(&c) < 0)
		return 0;
	from_image(&c);
	close(c.dir);
	return c.count;
}
