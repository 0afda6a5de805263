#include "cmdline.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline_word.h"
#include "hex.h"
#include "netaddr.h"
#include "partuuid.h"

#define DEFAULT_DEVICE_TIMEOUT_S 10
#define MAX_DEVICE_TIMEOUT_S 3600
#define DEFAULT_WATCHDOG_S 30
#define MAX_WATCHDOG_S 600
#define SHA256_LEN 32

/* Requests for a shell or a rescue mode: recognised so they can be refused
 * out loud instead of silently ignored. Matched on the key before '='. */
static const char *const interactive[] = {
	"single", "emergency", "rescue", "s", "S", "1", "-s", "rd.break",
	"rd.shell", "rd.emergency", "rd.rescue", "systemd.debug_shell",
	"systemd.debug-shell", "init", NULL,
};

static const struct { const char *name; unsigned bit; } verity_options[] = {
	{ "restart-on-corruption", VERITY_RESTART_ON_CORRUPTION },
	{ "panic-on-corruption", VERITY_PANIC_ON_CORRUPTION },
	{ "ignore-zero-blocks", VERITY_IGNORE_ZERO_BLOCKS },
	{ "check-at-most-once", VERITY_CHECK_AT_MOST_ONCE },
};

/* The first error wins; later ones would only hide the cause. */
static void fail(char *why, const char *fmt, const char *arg)
{
	if (why[0] == '\0')
		snprintf(why, REASON_MAX, fmt, arg);
}

static void note_refused(struct boot_config *cfg, const char *key)
{
	size_t used = strlen(cfg->refused), len = strlen(key);

	if (used + len + 2 > sizeof cfg->refused)
		return;
	if (used)
		cfg->refused[used++] = ' ';
	memcpy(cfg->refused + used, key, len + 1);
}

static int is_interactive(const char *key, const char *val)
{
	if (strcmp(key, "systemd.unit") == 0)
		return val && (strcmp(val, "rescue.target") == 0 ||
			       strcmp(val, "emergency.target") == 0);
	for (size_t i = 0; interactive[i]; i++)
		if (strcmp(key, interactive[i]) == 0)
			return 1;
	return 0;
}

static void parse_roothash(struct boot_config *cfg, const char *val, char *why)
{
	unsigned char h[SHA256_LEN];

	if (strlen(val) != 2 * SHA256_LEN || hex_decode(h, sizeof h, val)) {
		fail(why, "roothash= is not 64 hex digits (sha256): '%.80s'", val);
		return;
	}
	if (cfg->roothash_len && memcmp(cfg->roothash, h, sizeof h) != 0) {
		fail(why, "roothash= given twice with different values%s", "");
		return;
	}
	memcpy(cfg->roothash, h, sizeof h);
	cfg->roothash_len = sizeof h;
}

static void parse_devspec(char *dst, const char *key, const char *val, char *why)
{
	unsigned char guid[16];
	int ok = strncmp(val, "/dev/", 5) == 0 ? val[5] != '\0' && !strstr(val, "..") :
		 strncmp(val, "PARTUUID=", 9) == 0 ? uuid_to_gpt_guid(val + 9, guid) == 0 : 0;

	if (!ok || strlen(val) >= DEVSPEC_MAX) {
		fail(why, "%s= must be /dev/NAME or PARTUUID=UUID", key);
		return;
	}
	strcpy(dst, val);
}

static void parse_verity_options(struct boot_config *cfg, char *val, char *why)
{
	unsigned opts = 0;

	for (char *opt = strtok(val, ","); opt; opt = strtok(NULL, ",")) {
		size_t i = 0;

		while (i < sizeof verity_options / sizeof verity_options[0] &&
		       strcmp(opt, verity_options[i].name) != 0)
			i++;
		if (i == sizeof verity_options / sizeof verity_options[0]) {
			fail(why, "systemd.verity_root_options: unsupported option '%.60s'", opt);
			return;
		}
		opts |= verity_options[i].bit;
	}
	if ((opts & VERITY_RESTART_ON_CORRUPTION) && (opts & VERITY_PANIC_ON_CORRUPTION)) {
		fail(why, "systemd.verity_root_options: %s", "restart- and panic-on-corruption both given");
		return;
	}
	if (!(opts & VERITY_PANIC_ON_CORRUPTION))
		opts |= VERITY_RESTART_ON_CORRUPTION;
	cfg->verity_opts = opts;
}

static void parse_on_failure(struct boot_config *cfg, const char *val, char *why)
{
	if (strcmp(val, "poweroff") == 0)
		cfg->on_failure = POWER_OFF;
	else if (strcmp(val, "reboot") == 0)
		cfg->on_failure = POWER_REBOOT;
	else if (strcmp(val, "halt") == 0)
		cfg->on_failure = POWER_HALT;
	else
		fail(why, "stele.on_failure= must be poweroff, reboot or halt: '%.40s'", val);
}

static void parse_verity_sig(struct boot_config *cfg, const char *val, char *why)
{
	if (strcmp(val, "optional") == 0)
		cfg->verity_sig = VERITY_SIG_OPTIONAL;
	else if (strcmp(val, "required") == 0)
		cfg->verity_sig = VERITY_SIG_REQUIRED;
	else
		fail(why, "stele.verity_sig= must be required or optional: '%.40s'", val);
}

static void parse_seconds(unsigned *dst, const char *key, unsigned max, const char *val, char *why)
{
	char *end;
	unsigned long s = strtoul(val, &end, 10);

	if (!isdigit((unsigned char)val[0]) || *end != '\0' || s > max) {
		if (why[0] == '\0')	/* as fail() does: the first error wins */
			snprintf(why, REASON_MAX, "%s= must be 0-%u seconds: '%.40s'", key, max, val);
		return;
	}
	*dst = (unsigned)s;
}

/* RFC 1123 labels, at most 63 characters in all. */
static void parse_hostname(struct boot_config *cfg, const char *val, char *why)
{
	if (!dns_name_ok(val, strlen(val), sizeof cfg->hostname)) {
		fail(why, "stele.hostname= must be 1-63 letters, digits, '-' or '.' in RFC 1123 labels%s", "");
		return;
	}
	strcpy(cfg->hostname, val);
}

static void parse_param(struct boot_config *cfg, char *key, char *why)
{
	char *val = strchr(key, '=');

	if (val)
		*val++ = '\0';
	if (is_interactive(key, val)) {
		note_refused(cfg, key);
		return;
	}
	if (!val)
		return;
	if (strcmp(key, "roothash") == 0)
		parse_roothash(cfg, val, why);
	else if (strcmp(key, "systemd.verity_root_data") == 0)
		parse_devspec(cfg->data_dev, key, val, why);
	else if (strcmp(key, "systemd.verity_root_hash") == 0)
		parse_devspec(cfg->hash_dev, key, val, why);
	else if (strcmp(key, "systemd.verity_root_options") == 0)
		parse_verity_options(cfg, val, why);
	else if (strcmp(key, "stele.on_failure") == 0)
		parse_on_failure(cfg, val, why);
	else if (strcmp(key, "stele.verity_sig") == 0)
		parse_verity_sig(cfg, val, why);
	else if (strcmp(key, "stele.device_timeout") == 0)
		parse_seconds(&cfg->device_timeout_s, key, MAX_DEVICE_TIMEOUT_S, val, why);
	else if (strcmp(key, "stele.watchdog") == 0)
		parse_seconds(&cfg->watchdog_s, key, MAX_WATCHDOG_S, val, why);
	else if (strcmp(key, "stele.hostname") == 0)
		parse_hostname(cfg, val, why);
}

int cmdline_parse(const char *line, struct boot_config *cfg, char *why)
{
	char tok[CMDLINE_MAX];

	memset(cfg, 0, sizeof *cfg);
	cfg->verity_opts = VERITY_RESTART_ON_CORRUPTION;
	cfg->on_failure = POWER_OFF;
	cfg->device_timeout_s = DEFAULT_DEVICE_TIMEOUT_S;
	cfg->watchdog_s = DEFAULT_WATCHDOG_S;
	why[0] = '\0';

	if (strnlen(line, CMDLINE_MAX) == CMDLINE_MAX) {
		fail(why, "kernel command line longer than %s bytes", "2047");
		return -1;
	}
	for (const char *p = line; *p;) {
		p = cmdline_next(p, tok, sizeof tok, NULL);
		if (tok[0])
			parse_param(cfg, tok, why);
	}
	return why[0] ? -1 : 0;
}
