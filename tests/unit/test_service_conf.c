/* Service definitions, /etc/stele/services/NAME: what parses into what, and
 * that every bad file is refused with its name, line and reason. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "caps.h"
#include "service_conf.h"

static struct service_conf svc;
static char why[SVC_REASON_MAX];

static int parse(const char *text)
{
	check_what = text;
	return service_conf_parse("web", text, strlen(text), &svc, why);
}

static void test_full(void)
{
	CHECK_INT(0, parse("# a comment\n"
			   "exec = /usr/bin/web --port 8080 \"two words\"\n"
			   "\n"
			   "user = web\n"
			   "group = www-data\n"
			   "restart = on-failure\n"
			   "after = db cache\n"
			   "after = log.shipper\n"
			   "env = MODE=prod\n"
			   "env = GREETING=hello world\n"
			   "stop_timeout = 30\n"
			   "capabilities = CAP_NET_BIND_SERVICE cap_net_raw\n"));
	CHECK_STR("web", svc.name);
	CHECK_STR("/usr/bin/web", svc.argv[0]);
	CHECK_STR("--port", svc.argv[1]);
	CHECK_STR("8080", svc.argv[2]);
	CHECK_STR("two words", svc.argv[3]);
	CHECK(svc.argv[4] == NULL);
	CHECK_STR("web", svc.user);
	CHECK_STR("www-data", svc.group);
	CHECK_INT(RESTART_ON_FAILURE, svc.restart);
	CHECK_INT(3, svc.n_after);
	CHECK_STR("db", svc.after[0]);
	CHECK_STR("cache", svc.after[1]);
	CHECK_STR("log.shipper", svc.after[2]);
	CHECK_INT(2, svc.n_env);
	CHECK_STR("MODE=prod", svc.env[0]);
	CHECK_STR("GREETING=hello world", svc.env[1]);
	CHECK_INT(30, svc.stop_timeout_s);
	CHECK(svc.caps == ((UINT64_C(1) << 10) | (UINT64_C(1) << 13)));
}

static void test_caps(void)
{
	CHECK_INT(0, parse("exec = /x\nuser = a\n"));
	CHECK(svc.caps == 0);
	CHECK_INT(0, parse("exec = /x\nuser = a\ncapabilities = CAP_CHECKPOINT_RESTORE CAP_CHOWN\n"));
	CHECK(svc.caps == ((UINT64_C(1) << 40) | 1));
	CHECK_INT(-1, parse("exec = /x\nuser = a\ncapabilities = CAP_NET_ADMIN NET_RAW\n"));
	CHECK_STR("web:3: capabilities: unknown capability 'NET_RAW'", why);
	CHECK_INT(-1, parse("exec = /x\nuser = a\ncapabilities = CAP_FLY\n"));
	CHECK_HAS(why, "unknown capability 'CAP_FLY'");
	CHECK_INT(-1, parse("exec = /x\nuser = a\ncapabilities = CAP_KILL\ncapabilities = CAP_KILL\n"));
	CHECK_HAS(why, "given twice");
	CHECK_STR("CHOWN", cap_name(0));
	CHECK_STR("CHECKPOINT_RESTORE", cap_name(40));
	CHECK(cap_name(41) == NULL);
	CHECK(cap_by_name("CAP_SYS_ADMIN") == 21);
}

static void test_defaults(void)
{
	/* No trailing newline, CRLF and blanks around '=' are all fine. */
	CHECK_INT(0, parse("  exec=/bin/x\r\nuser\t=\tnobody"));
	CHECK_STR("/bin/x", svc.argv[0]);
	CHECK(svc.argv[1] == NULL);
	CHECK_STR("nobody", svc.user);
	CHECK_STR("", svc.group);
	CHECK_INT(RESTART_ALWAYS, svc.restart);
	CHECK_INT(10, svc.stop_timeout_s);
	CHECK_INT(0, svc.n_after);
	CHECK_INT(0, svc.n_env);
	CHECK_INT(0, parse("exec = /bin/x\nuser = a\nrestart = never\nstop_timeout = 0\n"));
	CHECK_INT(RESTART_NEVER, svc.restart);
	CHECK_INT(0, svc.stop_timeout_s);
}

/* Each bad definition, the line it is reported on, and a word the reason
 * must contain. */
static void test_bad(void)
{
	static const struct { const char *text, *where, *word; } cases[] = {
		{ "user = a\n", "web: ", "no exec" },
		{ "exec = /bin/x\n", "web: ", "no user" },
		{ "exec = /bin/x\nuser = a\nbogus = 1\n", "web:3: ", "bogus: unknown key" },
		{ "exec = /bin/x\nuser a\n", "web:2: ", "key = value" },
		{ "exec = bin/x\nuser = a\n", "web:1: ", "absolute path" },
		{ "exec =\nuser = a\n", "web:1: ", "absolute path" },
		{ "exec = /bin/x \"open\nuser = a\n", "web:1: ", "unterminated quote" },
		{ "exec = /bin/x\nexec = /bin/y\nuser = a\n", "web:2: ", "given twice" },
		{ "exec = /bin/x\nuser = Root\n", "web:2: ", "user" },
		{ "exec = /bin/x\nuser = a\ngroup = a b\n", "web:3: ", "group" },
		{ "exec = /bin/x\nuser = a\nrestart = sometimes\n", "web:3: ", "restart" },
		{ "exec = /bin/x\nuser = a\nafter = ../etc\n", "web:3: ", "after" },
		{ "exec = /bin/x\nuser = a\nenv = NOVALUE\n", "web:3: ", "env" },
		{ "exec = /bin/x\nuser = a\nenv = 1X=2\n", "web:3: ", "env" },
		{ "exec = /bin/x\nuser = a\nstop_timeout = 3601\n", "web:3: ", "stop_timeout" },
		{ "exec = /bin/x\nuser = a\nstop_timeout = -1\n", "web:3: ", "stop_timeout" },
		{ "exec = /bin/x\nuser = a\nstop_timeout = 10s\n", "web:3: ", "stop_timeout" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(-1, parse(cases[i].text));
		CHECK(strncmp(why, cases[i].where, strlen(cases[i].where)) == 0);
		CHECK_HAS(why, cases[i].word);
	}
}

static void test_limits(void)
{
	char text[SVC_FILE_MAX + 64];
	size_t n;

	/* 32 words fit, 33 do not. */
	n = (size_t)snprintf(text, sizeof text, "user = a\nexec = /bin/x");
	for (int i = 1; i < SVC_ARGS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, " a");
	CHECK_INT(0, parse(text));
	CHECK(svc.argv[SVC_ARGS_MAX - 1] != NULL && svc.argv[SVC_ARGS_MAX] == NULL);
	snprintf(text + n, sizeof text - n, " a");
	CHECK_INT(-1, parse(text));
	CHECK_HAS(why, "32 words");

	/* 8 after names fit, 9 do not; 16 env entries fit, 17 do not. */
	CHECK_INT(0, parse("exec = /x\nuser = a\nafter = a b c d e f g h\n"));
	CHECK_INT(-1, parse("exec = /x\nuser = a\nafter = a b c d e f g h i\n"));
	CHECK_HAS(why, "more than 8");
	n = (size_t)snprintf(text, sizeof text, "exec = /x\nuser = a\n");
	for (int i = 0; i < SVC_ENV_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "env = V%d=1\n", i);
	CHECK_INT(0, parse(text));
	snprintf(text + n, sizeof text - n, "env = LAST=1\n");
	CHECK_INT(-1, parse(text));
	CHECK_HAS(why, "more than 16");

	/* A line of 1023 bytes is read, 1024 is refused; so is a file over 4 KiB. */
	memset(text, 'a', sizeof text);
	memcpy(text, "# ", 2);
	text[1023] = '\0';
	CHECK_INT(-1, parse(text));		/* parses; fails only for lacking exec */
	CHECK_HAS(why, "no exec");
	text[1023] = 'a';
	text[1024] = '\0';
	CHECK_INT(-1, parse(text));
	CHECK_HAS(why, "longer than 1023");
	CHECK_INT(-1, service_conf_parse("web", text, SVC_FILE_MAX + 1, &svc, why));
	CHECK_HAS(why, "larger than 4096");

	/* A NUL inside the file, and names that are not service names. */
	CHECK_INT(-1, service_conf_parse("web", "exec = /x\0\nuser = a\n", 20, &svc, why));
	CHECK_HAS(why, "NUL");
	CHECK_INT(-1, service_conf_parse(".hidden", "exec = /x\nuser = a\n", 19, &svc, why));
	CHECK_INT(-1, service_conf_parse("a/b", "exec = /x\nuser = a\n", 19, &svc, why));
	CHECK(service_name_ok("agent"));
	CHECK(service_name_ok("log.shipper-2"));
	CHECK(!service_name_ok(""));
	CHECK(!service_name_ok("a b"));
	CHECK(!service_name_ok("0123456789012345678901234567890123"));
}

static void test_cgroup_limits(void)
{
	static const char base[] = "exec = /usr/bin/web\nuser = web\n";
	char text[256];
	static const struct { const char *line; int ok; uint64_t mem; unsigned pids, cpu; } row[] = {
		{ "", 1, 0, SVC_PIDS_DEFAULT, 0 },
		{ "memory_max = 64M\n", 1, 64u << 20, SVC_PIDS_DEFAULT, 0 },
		{ "memory_max = 8192\n", 1, 8192, SVC_PIDS_DEFAULT, 0 },
		{ "memory_max = 2G\npids_max = 100\ncpu_weight = 50\n", 1, 2ull << 30, 100, 50 },
		{ "memory_max = max\npids_max = max\n", 1, 0, 0, 0 },
		{ "memory_max = 1K\n", 0, 0, 0, 0 },		/* under 4096 */
		{ "memory_max = 12X\n", 0, 0, 0, 0 },
		{ "memory_max = -5\n", 0, 0, 0, 0 },
		{ "memory_max = \n", 0, 0, 0, 0 },
		{ "pids_max = 0\n", 0, 0, 0, 0 },
		{ "pids_max = 4194305\n", 0, 0, 0, 0 },
		{ "pids_max = 10\npids_max = 20\n", 0, 0, 0, 0 },	/* given twice */
		{ "cpu_weight = 0\n", 0, 0, 0, 0 },
		{ "cpu_weight = 10001\n", 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof row / sizeof *row; i++) {
		snprintf(text, sizeof text, "%s%s", base, row[i].line);
		if (!row[i].ok) {
			CHECK_INT(-1, parse(text));
			CHECK_HAS(why, row[i].line[0] == 'p' && strstr(row[i].line, "20") ? "web:4" : "web:3");
			continue;
		}
		CHECK_INT(0, parse(text));
		CHECK_INT(row[i].mem, svc.memory_max);
		CHECK_INT(row[i].pids, svc.pids_max);
		CHECK_INT(row[i].cpu, svc.cpu_weight);
	}
	check_what = NULL;
}

static void test_after_self(void)
{
	CHECK_INT(-1, parse("exec = /usr/bin/web\nafter = db web\n"));
	CHECK_HAS(why, "web:2");
	CHECK_HAS(why, "after names the service itself");
	CHECK_INT(0, parse("exec = /usr/bin/web\nuser = web\nafter = webx db\n"));
}

int main(void)
{
	test_after_self();
	test_cgroup_limits();
	test_full();
	test_defaults();
	test_caps();
	test_bad();
	test_limits();
	return check_done();
}
