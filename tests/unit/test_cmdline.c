/* cmdline_parse: the kernel command line contract of DESIGN.md §3. */

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cmdline.h"

/* 01 23 45 67 89 ab cd ef, four times: has digits and letters. */
#define HASH_LOWER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define HASH_UPPER "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define HASH_MIXED "0123456789aBcDeF0123456789AbCdEf0123456789abcdef0123456789ABCDEF"
#define HASH_OTHER "1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static const unsigned char hash_bytes[32] = {
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
};

static struct boot_config cfg;
static char why[REASON_MAX];

static int parse(const char *line)
{
	check_what = line;
	return cmdline_parse(line, &cfg, why);
}

/* A valid roothash= followed by extra, so a case states only its subject. */
static int parse_with(const char *extra)
{
	static char line[CMDLINE_MAX];

	snprintf(line, sizeof line, "roothash=" HASH_LOWER " %s", extra);
	return parse(line);
}

static void test_defaults(void)
{
	CHECK_INT(0, parse("roothash=" HASH_LOWER));
	CHECK_STR("", why);
	CHECK_INT(VERITY_RESTART_ON_CORRUPTION, cfg.verity_opts);
	CHECK_INT(POWER_OFF, cfg.on_failure);
	CHECK_INT(10, cfg.device_timeout_s);
	CHECK_STR("", cfg.data_dev);
	CHECK_STR("", cfg.hash_dev);
	CHECK_STR("", cfg.hostname);
	CHECK_STR("", cfg.refused);
}

static void test_roothash(void)
{
	static const char *const good[] = {
		"roothash=" HASH_LOWER,
		"roothash=" HASH_UPPER,
		"roothash=" HASH_MIXED,
		"roothash=" HASH_LOWER " roothash=" HASH_UPPER,	/* same value twice */
	};
	/* No roothash= at all parses: stage 1 then needs a signature. */
	static const char *const absent[] = {
		"",
		"quiet console=ttyS0",
		"roothash",					/* no value */
	};
	static const char *const bad[] = {
		"roothash=",
		"roothash=" HASH_LOWER "0",			/* 65 digits */
		"roothash=123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", /* 63 */
		"roothash=0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef",
		"roothash=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde ",
		"roothash=0x23456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"roothash=" HASH_LOWER " roothash=" HASH_OTHER,	/* conflicting */
		"roothash=" HASH_LOWER " roothash=zz",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK_INT(0, parse(good[i]));
		CHECK_INT(32, cfg.roothash_len);
		CHECK_MEM(hash_bytes, cfg.roothash, 32);
	}
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		CHECK_INT(0, parse(absent[i]));
		CHECK_INT(0, cfg.roothash_len);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(-1, parse(bad[i]));
		CHECK_HAS(why, "roothash");
	}
}

static void test_devices(void)
{
	static const char *const good[] = {
		"/dev/vda2",
		"/dev/disk/by-partuuid/01234567-89ab-cdef-0123-456789abcdef",
		"PARTUUID=01234567-89ab-cdef-0123-456789abcdef",
		"PARTUUID=01234567-89AB-CDEF-0123-456789ABCDEF",
	};
	static const char *const bad[] = {
		"vda2", "/dev/", "/dev", "", "PARTUUID=", "PARTUUID=junk",
		"PARTUUID=01234567-89ab-cdef-0123-456789abcde",		/* one digit short */
		"PARTUUID=01234567-89ab-cdef-0123-456789abcdef0",
		"PARTUUID=0123456789ab-cdef-0123-456789abcdef",
		"partuuid=01234567-89ab-cdef-0123-456789abcdef",
		"UUID=01234567-89ab-cdef-0123-456789abcdef",
		"/dev/../proc/self/fd/0",
	};
	char arg[2 * DEVSPEC_MAX];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(arg, sizeof arg, "systemd.verity_root_data=%s", good[i]);
		CHECK_INT(0, parse_with(arg));
		CHECK_STR(good[i], cfg.data_dev);
		snprintf(arg, sizeof arg, "systemd.verity_root_hash=%s", good[i]);
		CHECK_INT(0, parse_with(arg));
		CHECK_STR(good[i], cfg.hash_dev);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(arg, sizeof arg, "systemd.verity_root_data=%s", bad[i]);
		CHECK_INT(-1, parse_with(arg));
		CHECK_HAS(why, "systemd.verity_root_data");
		snprintf(arg, sizeof arg, "systemd.verity_root_hash=%s", bad[i]);
		CHECK_INT(-1, parse_with(arg));
		CHECK_HAS(why, "systemd.verity_root_hash");
	}

	/* The longest name that fits DEVSPEC_MAX with its NUL, and one more. */
	memset(arg, 'a', sizeof arg);
	memcpy(arg, "systemd.verity_root_data=/dev/", 30);
	arg[25 + DEVSPEC_MAX - 1] = '\0';
	CHECK_INT(0, parse_with(arg));
	CHECK_INT(DEVSPEC_MAX - 1, strlen(cfg.data_dev));
	arg[25 + DEVSPEC_MAX - 1] = 'a';
	arg[25 + DEVSPEC_MAX] = '\0';
	CHECK_INT(-1, parse_with(arg));
	CHECK_HAS(why, "systemd.verity_root_data");
}

static void test_verity_options(void)
{
	static const struct { const char *list; unsigned want; } good[] = {
		{ "restart-on-corruption", VERITY_RESTART_ON_CORRUPTION },
		/* panic replaces the default restart, it does not add to it */
		{ "panic-on-corruption", VERITY_PANIC_ON_CORRUPTION },
		{ "ignore-zero-blocks", VERITY_RESTART_ON_CORRUPTION | VERITY_IGNORE_ZERO_BLOCKS },
		{ "check-at-most-once", VERITY_RESTART_ON_CORRUPTION | VERITY_CHECK_AT_MOST_ONCE },
		{ "restart-on-corruption,ignore-zero-blocks",
		  VERITY_RESTART_ON_CORRUPTION | VERITY_IGNORE_ZERO_BLOCKS },
		{ "panic-on-corruption,ignore-zero-blocks,check-at-most-once",
		  VERITY_PANIC_ON_CORRUPTION | VERITY_IGNORE_ZERO_BLOCKS | VERITY_CHECK_AT_MOST_ONCE },
		{ "check-at-most-once,panic-on-corruption",
		  VERITY_PANIC_ON_CORRUPTION | VERITY_CHECK_AT_MOST_ONCE },
		{ "restart-on-corruption,restart-on-corruption", VERITY_RESTART_ON_CORRUPTION },
		/* an empty list leaves the safe default */
		{ "", VERITY_RESTART_ON_CORRUPTION },
	};
	static const struct { const char *list, *named; } bad[] = {
		{ "restart-on-corruption,panic-on-corruption", "corruption" },
		{ "panic-on-corruption,restart-on-corruption", "corruption" },
		/* would let a corrupt root boot */
		{ "ignore-corruption", "ignore-corruption" },
		{ "restart-on-corruption,ignore-corruption", "ignore-corruption" },
		{ "panic_on_corruption", "panic_on_corruption" },	/* the dm name */
		{ "Restart-On-Corruption", "Restart-On-Corruption" },
		{ "restart-on-corruption,ignore-zero-blocks,bogus", "bogus" },
	};
	char arg[256];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(arg, sizeof arg, "systemd.verity_root_options=%s", good[i].list);
		CHECK_INT(0, parse_with(arg));
		CHECK_INT(good[i].want, cfg.verity_opts);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(arg, sizeof arg, "systemd.verity_root_options=%s", bad[i].list);
		CHECK_INT(-1, parse_with(arg));
		CHECK_HAS(why, "systemd.verity_root_options");
		CHECK_HAS(why, bad[i].named);
	}
}

static void test_on_failure(void)
{
	static const struct { const char *arg; enum power_action want; } good[] = {
		{ "stele.on_failure=poweroff", POWER_OFF },
		{ "stele.on_failure=reboot", POWER_REBOOT },
		{ "stele.on_failure=halt", POWER_HALT },
		{ "stele.on_failure=reboot stele.on_failure=halt", POWER_HALT },
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		CHECK_INT(0, parse_with(good[i].arg));
		CHECK_INT(good[i].want, cfg.on_failure);
	}
	CHECK_INT(-1, parse_with("stele.on_failure=bogus"));
	CHECK_HAS(why, "stele.on_failure");
	CHECK_INT(POWER_OFF, cfg.on_failure);
	CHECK_INT(-1, parse_with("stele.on_failure="));
	CHECK_HAS(why, "stele.on_failure");
	CHECK_INT(-1, parse_with("stele.on_failure=Reboot"));
	CHECK_HAS(why, "stele.on_failure");

	/* A refused command line still fails with the action it asked for,
	 * whether the bad parameter comes before or after it. */
	CHECK_INT(-1, parse("roothash=zz stele.on_failure=reboot"));
	CHECK_HAS(why, "roothash");
	CHECK_INT(POWER_REBOOT, cfg.on_failure);
	CHECK_INT(-1, parse("stele.on_failure=halt roothash=" HASH_LOWER
			    " systemd.verity_root_options=ignore-corruption"));
	CHECK_HAS(why, "ignore-corruption");
	CHECK_INT(POWER_HALT, cfg.on_failure);
	/* No roothash= parses: stage 1 may take it from a signature. */
	CHECK_INT(0, parse("stele.on_failure=reboot"));
	CHECK_INT(0, cfg.roothash_len);
	CHECK_INT(POWER_REBOOT, cfg.on_failure);
	CHECK_INT(-1, parse("stele.on_failure=reboot stele.device_timeout=2x"));
	CHECK_INT(POWER_REBOOT, cfg.on_failure);
}

static void test_verity_sig(void)
{
	CHECK_INT(0, parse_with(""));
	CHECK_INT(VERITY_SIG_OPTIONAL, cfg.verity_sig);
	CHECK_INT(0, parse_with("stele.verity_sig=required"));
	CHECK_INT(VERITY_SIG_REQUIRED, cfg.verity_sig);
	CHECK_INT(0, parse_with("stele.verity_sig=required stele.verity_sig=optional"));
	CHECK_INT(VERITY_SIG_OPTIONAL, cfg.verity_sig);
	CHECK_INT(0, parse("stele.verity_sig=required"));	/* no roothash= */
	CHECK_INT(VERITY_SIG_REQUIRED, cfg.verity_sig);
	CHECK_INT(-1, parse_with("stele.verity_sig=yes"));
	CHECK_HAS(why, "stele.verity_sig");
	CHECK_INT(-1, parse_with("stele.verity_sig="));
	CHECK_HAS(why, "stele.verity_sig");
}

static void test_first_error_wins(void)
{
	CHECK_INT(-1, parse("roothash=zz stele.on_failure=bogus stele.device_timeout=-1"));
	CHECK_HAS(why, "roothash");
	CHECK(strstr(why, "on_failure") == NULL);
	CHECK_INT(-1, parse("stele.device_timeout=-1 roothash=zz"));
	CHECK_HAS(why, "stele.device_timeout");
}

static void test_device_timeout(void)
{
	static const struct { const char *val; unsigned want; } good[] = {
		{ "0", 0 }, { "2", 2 }, { "10", 10 }, { "3600", 3600 },
	};
	static const char *const bad[] = {
		"3601", "-1", "+5", " 5", "2x", "", "x", "0x10", "99999999999999999999999", "4294967298",
	};
	char arg[128];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(arg, sizeof arg, "stele.device_timeout=%s", good[i].val);
		CHECK_INT(0, parse_with(arg));
		CHECK_INT(good[i].want, cfg.device_timeout_s);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(arg, sizeof arg, "stele.device_timeout=%s", bad[i]);
		CHECK_INT(-1, parse_with(arg));
		CHECK_HAS(why, "stele.device_timeout");
	}
}

static void test_watchdog(void)
{
	CHECK_INT(0, parse_with(""));
	CHECK_INT(30, cfg.watchdog_s);
	CHECK_INT(0, parse_with("stele.watchdog=0"));
	CHECK_INT(0, cfg.watchdog_s);
	CHECK_INT(0, parse_with("stele.watchdog=600"));
	CHECK_INT(600, cfg.watchdog_s);
	CHECK_INT(-1, parse_with("stele.watchdog=601"));
	CHECK_STR("stele.watchdog= must be 0-600 seconds: '601'", why);
	CHECK_INT(-1, parse_with("stele.watchdog=5s"));
	CHECK_HAS(why, "stele.watchdog");
}

static void test_interactive_refused(void)
{
	static const struct { const char *arg, *recorded; } refused[] = {
		{ "single", "single" },
		{ "emergency", "emergency" },
		{ "rescue", "rescue" },
		{ "rd.break", "rd.break" },
		{ "rd.break=pre-mount", "rd.break" },
		{ "rd.shell", "rd.shell" },
		{ "systemd.debug_shell", "systemd.debug_shell" },
		{ "systemd.debug_shell=tty1", "systemd.debug_shell" },
		{ "init=/bin/sh", "init" },
		{ "systemd.unit=rescue.target", "systemd.unit" },
		{ "systemd.unit=emergency.target", "systemd.unit" },
		{ "S", "S" },
		{ "1", "1" },
	};
	static char line[CMDLINE_MAX];

	/* Recorded for the log line, and the boot goes on sealed. */
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		CHECK_INT(0, parse_with(refused[i].arg));
		CHECK_STR(refused[i].recorded, cfg.refused);
	}
	CHECK_INT(0, parse("single roothash=" HASH_LOWER " init=/bin/sh rd.break"));
	CHECK_STR("single init rd.break", cfg.refused);

	CHECK_INT(0, parse_with("systemd.unit=multi-user.target"));
	CHECK_STR("", cfg.refused);
	CHECK_INT(0, parse_with("singles rd.breaks initrd=/boot/initrd.img"));
	CHECK_STR("", cfg.refused);

	/* A refused request is no way around the verified root: the root
	 * hash is still missing (stage 1 refuses without a signature). */
	CHECK_INT(0, parse("single init=/bin/sh"));
	CHECK_STR("single init", cfg.refused);
	CHECK_INT(0, cfg.roothash_len);

	/* Many requests: the list stays a bounded, terminated string. */
	line[0] = '\0';
	for (int i = 0; i < 100; i++)
		strcat(line, "emergency ");
	strcat(line, "roothash=" HASH_LOWER);
	CHECK_INT(0, parse(line));
	CHECK(strlen(cfg.refused) < sizeof cfg.refused);
	CHECK(strncmp(cfg.refused, "emergency emergency", 19) == 0);
}

static void test_tokenising(void)
{
	/* /proc/cmdline ends with a newline; tabs separate like spaces. */
	CHECK_INT(0, parse("roothash=" HASH_LOWER "\n"));
	CHECK_MEM(hash_bytes, cfg.roothash, 32);
	CHECK_INT(0, parse("\tstele.on_failure=halt\troothash=" HASH_UPPER "\n"));
	CHECK_INT(POWER_HALT, cfg.on_failure);
	CHECK_MEM(hash_bytes, cfg.roothash, 32);
	CHECK_INT(0, parse("  stele.device_timeout=5 \n roothash=" HASH_LOWER "  \n"));
	CHECK_INT(5, cfg.device_timeout_s);

	/* Kernel quoting: quoted spaces do not split, the quotes are dropped. */
	CHECK_INT(0, parse_with("stele.hostname=\"web-1\" stele.on_failure=reboot"));
	CHECK_STR("web-1", cfg.hostname);
	CHECK_INT(POWER_REBOOT, cfg.on_failure);
	CHECK_INT(-1, parse_with("stele.hostname=\"a b\" stele.on_failure=reboot"));
	CHECK_HAS(why, "stele.hostname");
	CHECK_INT(POWER_REBOOT, cfg.on_failure);
	CHECK_INT(-1, parse_with("stele.hostname=a/b"));
	CHECK_HAS(why, "stele.hostname");
	CHECK_INT(0, parse("roothash=\"" HASH_LOWER "\" stele.device_timeout=\"7\""));
	CHECK_MEM(hash_bytes, cfg.roothash, 32);
	CHECK_INT(7, cfg.device_timeout_s);
	CHECK_INT(0, parse("\"systemd.verity_root_data=/dev/vda2\" roothash=" HASH_LOWER));
	CHECK_STR("/dev/vda2", cfg.data_dev);
	CHECK_INT(-1, parse_with("systemd.verity_root_options=\"panic-on-corruption single\""));
	CHECK_HAS(why, "systemd.verity_root_options");
	CHECK_STR("", cfg.refused);

	CHECK_INT(0, parse_with("stele.hostname=web-1"));
	CHECK_STR("web-1", cfg.hostname);
	CHECK_INT(-1, parse_with("stele.hostname="));
	CHECK_HAS(why, "stele.hostname");
	CHECK_INT(-1, parse_with("stele.hostname="
				 "a123456789b123456789c123456789d123456789e123456789f123456789abcd"));
	CHECK_HAS(why, "stele.hostname");
}

static void test_unknown_ignored(void)
{
	CHECK_INT(0, parse("BOOT_IMAGE=/vmlinuz quiet console=ttyS0,115200 loglevel=3 "
			   "root=/dev/vda1 ro foo bar=baz stele.future_knob=1 roothash=" HASH_LOWER
			   " systemd.verity_root_hash_typo=/dev/x ip=dhcp"));
	CHECK_STR("", why);
	CHECK_STR("", cfg.data_dev);
	CHECK_STR("", cfg.hash_dev);
	CHECK_STR("", cfg.refused);
	CHECK_INT(VERITY_RESTART_ON_CORRUPTION, cfg.verity_opts);
}

static void test_length_limit(void)
{
	static char line[CMDLINE_MAX + 16];
	size_t head = strlen("roothash=" HASH_LOWER " ");

	/* CMDLINE_MAX - 1 characters is the longest accepted line. */
	memcpy(line, "roothash=" HASH_LOWER " ", head);
	memset(line + head, 'x', CMDLINE_MAX - 1 - head);
	line[CMDLINE_MAX - 1] = '\0';
	CHECK_INT(0, parse(line));

	line[CMDLINE_MAX - 1] = 'x';
	line[CMDLINE_MAX] = '\0';
	CHECK_INT(-1, parse(line));
	CHECK_HAS(why, "command line");
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	CHECK_INT(-1, parse(line));
	CHECK_HAS(why, "command line");
}

int main(void)
{
	test_defaults();
	test_roothash();
	test_devices();
	test_verity_options();
	test_on_failure();
	test_verity_sig();
	test_first_error_wins();
	test_device_timeout();
	test_watchdog();
	test_interactive_refused();
	test_tokenising();
	test_unknown_ignored();
	test_length_limit();
	return check_done();
}
