/* The store: safe names only, one line per new seq, duplicates dropped,
 * the highest seq recovered from a reopened file (a partial last line cut
 * off), and a failed write neither stored nor counted. */

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "store.h"

static char dir[PATH_MAX];
static struct store st;

static void test_names(void)
{
	static const struct {
		const char *s;
		int ok;
	} cases[] = {
		{ "host", 1 }, { "a.b-c_D9", 1 }, { "0f3b1c9e-1d2a-4c5b-8e7f-001122334455", 1 },
		{ "x.", 1 }, { "", 0 }, { ".", 0 }, { "..", 0 }, { ".hidden", 0 }, { "a/b", 0 },
		{ "/", 0 }, { "a b", 0 }, { "a\\b", 0 }, { "\xc3\xa9", 0 }, { "a\nb", 0 }, { "a:b", 0 },
		{ "*", 0 },
	};
	char longest[STORE_NAME_MAX + 2];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_what = cases[i].s;
		CHECK_INT(cases[i].ok, store_name_ok(cases[i].s, strlen(cases[i].s)));
	}
	check_what = NULL;
	memset(longest, 'a', sizeof longest);
	CHECK_INT(1, store_name_ok(longest, STORE_NAME_MAX));
	CHECK_INT(0, store_name_ok(longest, STORE_NAME_MAX + 1));
	CHECK_INT(0, store_name_ok("a\0b", 3));
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, cap - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

static void put_line(struct stream *s, uint64_t seq, const char *rest)
{
	struct jbuf *b = store_buf(&st, s);
	char line[256];
	int n = snprintf(line, sizeof line, "%s%llu%s\n", s->prefix, (unsigned long long)seq, rest);

	jb_raw(b, line, (size_t)n);
	store_took(&st, seq);
}

/* The batch protocol as server.c runs it: new seqs only, commit, last. */
static void test_dedup(void)
{
	char why[256], path[PATH_MAX + 64], buf[4096];
	struct stream *s, *s2;
	static const uint64_t sent[] = { 1, 2, 3, 2, 3, 4, 1, 5 };

	CHECK_INT(0, store_open(&st, dir, STORE_FSYNC_BATCH, why, sizeof why));
	s = store_stream_get(&st, "h1", "boot-a", why, sizeof why);
	if (!CHECK(s != NULL))
		return;
	CHECK_STR("{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":", s->prefix);
	CHECK_INT(0, s->last);
	for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++) {
		if (stream_is_new(s, sent[i]))
			put_line(s, sent[i], "}");
		if (i == 3)
			CHECK_INT(0, store_commit(&st, why, sizeof why));
	}
	CHECK_INT(3, s->last);	/* committed so far */
	CHECK_INT(5, s->pending);
	CHECK_INT(0, store_commit(&st, why, sizeof why));
	CHECK_INT(5, s->last);
	snprintf(path, sizeof path, "%s/h1/boot-a.jsonl", dir);
	slurp(path, buf, sizeof buf);
	CHECK_STR("{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":1}\n"
		  "{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":2}\n"
		  "{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":3}\n"
		  "{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":4}\n"
		  "{\"host\":\"h1\",\"boot_id\":\"boot-a\",\"seq\":5}\n", buf);

	/* A second connection of the same boot shares what is known. */
	s2 = store_stream_get(&st, "h1", "boot-a", why, sizeof why);
	CHECK(s2 == s);
	CHECK_INT(2, s->refs);
	CHECK_INT(0, stream_is_new(s2, 5));
	CHECK_INT(1, stream_is_new(s2, 6));
	store_stream_put(&st, s2);
	/* Another boot of the same host is another file, from 0. */
	s2 = store_stream_get(&st, "h1", "boot-b", why, sizeof why);
	if (CHECK(s2 != NULL)) {
		CHECK_INT(0, s2->last);
		CHECK_INT(1, stream_is_new(s2, 1));
		store_stream_put(&st, s2);
	}

	/* A failed write (the descriptor made read-only behind its back):
	 * nothing stored, nothing counted, the batch gone. */
	{
		int rw = s->fd, ro = open(path, O_RDONLY);

		put_line(s, 6, "}");
		s->fd = ro;
		CHECK_INT(-1, store_commit(&st, why, sizeof why));
		CHECK_HAS(why, "h1/boot-a.jsonl: write: Bad file descriptor");
		s->fd = rw;
		close(ro);
		CHECK_INT(5, s->last);
		CHECK_INT(5, s->pending);
		CHECK_INT(0, st.buf.len);
		CHECK_INT(1, stream_is_new(s, 6));
	}
	store_stream_put(&st, s);
	CHECK_INT(-1, s->fd);	/* no connection: file closed, last kept */
	CHECK_INT(5, s->last);

	CHECK(store_stream_get(&st, "..", "x", why, sizeof why) == NULL);
	CHECK_HAS(why, "not a safe file name");
	store_close(&st);

	/* A new collector: the file's last line gives 5 back. */
	CHECK_INT(0, store_open(&st, dir, STORE_FSYNC_NEVER, why, sizeof why));
	s = store_stream_get(&st, "h1", "boot-a", why, sizeof why);
	if (CHECK(s != NULL)) {
		CHECK_INT(5, s->last);
		CHECK_INT(0, stream_is_new(s, 5));
		put_line(s, 6, ",\"msg\":\"x\"}");
		CHECK_INT(0, store_commit(&st, why, sizeof why));
		store_stream_put(&st, s);
	}
	store_close(&st);
}

static int recover(const char *content, uint64_t *seq, off_t *size, char *why)
{
	char path[PATH_MAX + 16];
	int fd, rc;

	snprintf(path, sizeof path, "%s/r.jsonl", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return -2;
	if (write(fd, content, strlen(content)) != (ssize_t)strlen(content)) {
		close(fd);
		return -2;
	}
	rc = store_recover(fd, seq, size, why, 256);
	close(fd);
	return rc;
}

static void test_recover(void)
{
	static const struct {
		const char *content;
		int rc;
		uint64_t seq;
		off_t size;	/* after: a partial line cut */
		const char *reason;
	} cases[] = {
		{ "", 0, 0, 0, NULL },
		{ "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":42,\"t\":1}\n", 0, 42, 42, NULL },
		{ "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":7}\n{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":8}\n",
		  0, 8, 70, NULL },
		{ "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":7}\n{\"host\":\"h\",\"boot_id\":\"b\",\"se", 0, 7, 35,
		  NULL },
		{ "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":18446744073709551615}\n", 0, 18446744073709551615ull,
		  54, NULL },
		{ "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":99", 0, 0, 0, NULL },
		{ "not ours\n", -1, 0, 9, "no \"seq\"" },
		{ "{\"seq\":18446744073709551616}\n", -1, 0, 29, "out of range" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint64_t seq = 12345;
		off_t size = -1;
		char why[256] = "", path[PATH_MAX + 16];
		struct stat sb;

		check_what = cases[i].content;
		CHECK_INT(cases[i].rc, recover(cases[i].content, &seq, &size, why));
		if (cases[i].rc == 0) {
			CHECK_INT(cases[i].seq, seq);
			CHECK_INT(cases[i].size, size);
		} else {
			CHECK_HAS(why, cases[i].reason);
		}
		snprintf(path, sizeof path, "%s/r.jsonl", dir);
		CHECK_INT(0, stat(path, &sb));
		CHECK_INT(cases[i].size, sb.st_size);
	}
	check_what = NULL;

	/* The last line found across the 64 KiB chunks it is read in. */
	{
		static char big[200000];
		uint64_t seq;
		off_t size;
		char why[256];
		int n = snprintf(big, sizeof big, "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":1}\n"
						  "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":2,\"m\":\"");

		memset(big + n, 'x', 150000);
		memcpy(big + n + 150000, "\"}\n", 4);
		CHECK_INT(0, recover(big, &seq, &size, why));
		CHECK_INT(2, seq);
	}
}

int main(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(dir, sizeof dir, "/tmp/collector_store.XXXXXX");
	if (!CHECK(mkdtemp(dir) != NULL))
		return check_done();
	test_names();
	test_dedup();
	test_recover();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_done();
}
