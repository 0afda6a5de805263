#include "service_conf.h"

#include "caps.h"
#include "kv_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_STOP_TIMEOUT_S 10

/* "NAME:LINE: reason 'detail'"; line 0 is the file as a whole. */
static int bad(struct kv_file *p, const char *reason, const char *detail)
{
	return kv_bad(p, NULL, reason, detail);
}

static int charset_ok(const char *s, const char *first, const char *rest, size_t max)
{
	size_t n = strlen(s);

	return n > 0 && n < max && strchr(first, s[0]) && strspn(s + 1, rest) == n - 1;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

int service_name_ok(const char *s)
{
	return charset_ok(s, LOWER UPPER DIGIT "_-", LOWER UPPER DIGIT "_.-", SVC_NAME_MAX);
}

static int id_ok(const char *s)
{
	return charset_ok(s, LOWER "_", LOWER DIGIT "_-", SVC_ID_MAX);
}

/* Splits exec's value into words: blanks separate, double quotes group. */
static int parse_exec(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	size_t n = 0, argc = 0;

	while (*v) {
		int quoted = 0;

		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			break;
		if (argc == SVC_ARGS_MAX)
			return bad(p, "exec has more than 32 words", NULL);
		svc->argv[argc++] = svc->exec + n;
		for (; *v && (quoted || (*v != ' ' && *v != '\t')); v++) {
			if (*v == '"') {
				quoted = !quoted;
				continue;
			}
			if (n + 2 > sizeof svc->exec)
				return bad(p, "exec is too long", NULL);
			svc->exec[n++] = *v;
		}
		if (quoted)
			return bad(p, "exec has an unterminated quote", NULL);
		svc->exec[n++] = '\0';
	}
	svc->argv[argc] = NULL;
	if (argc == 0 || svc->argv[0][0] != '/')
		return bad(p, "exec must start with an absolute path", NULL);
	return 0;
}

static int parse_restart(struct kv_file *p, char *v)
{
	static const char *const names[] = { "always", "on-failure", "never" };
	struct service_conf *svc = p->ctx;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(v, names[i]) == 0) {
			svc->restart = (enum svc_restart)i;
			return 0;
		}
	}
	return bad(p, "restart must be always, on-failure or never, not", v);
}

static int parse_after(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;

	for (char *w = strtok(v, " \t"); w; w = strtok(NULL, " \t")) {
		if (!service_name_ok(w))
			return bad(p, "after: not a service name:", w);
		/* It would wait for itself to stop, and shutdown would never end. */
		if (strcmp(w, svc->name) == 0)
			return bad(p, "after names the service itself:", w);
		if (svc->n_after == SVC_AFTER_MAX)
			return bad(p, "after names more than 8 services", NULL);
		strcpy(svc->after[svc->n_after++], w);
	}
	return 0;
}

static int parse_env(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	const char *eq = strchr(v, '=');
	char key[SVC_ENV_LEN];

	if (!eq || (size_t)(eq - v) >= sizeof key)
		return bad(p, "env must be NAME=VALUE:", v);
	memcpy(key, v, (size_t)(eq - v));
	key[eq - v] = '\0';
	if (!charset_ok(key, UPPER LOWER "_", UPPER LOWER DIGIT "_", sizeof key))
		return bad(p, "env: not a variable name:", key);
	if (strlen(v) >= SVC_ENV_LEN)
		return bad(p, "env entry is too long", NULL);
	if (svc->n_env == SVC_ENV_MAX)
		return bad(p, "more than 16 env entries", NULL);
	strcpy(svc->env[svc->n_env++], v);
	return 0;
}

static int parse_stop_timeout(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	size_t n = strlen(v);
	unsigned long s = n && n <= 4 && strspn(v, DIGIT) == n ? strtoul(v, NULL, 10) : ~0UL;

	if (s > SVC_STOP_TIMEOUT_MAX)
		return bad(p, "stop_timeout must be 0-3600 seconds, not", v);
	svc->stop_timeout_s = (unsigned)s;
	return 0;
}

static int parse_caps(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;

	for (char *w = strtok(v, " \t"); w; w = strtok(NULL, " \t")) {
		int n = cap_by_name(w);

		if (n < 0)
			return bad(p, "capabilities: unknown capability", w);
		svc->caps |= UINT64_C(1) << n;
	}
	return 0;
}

/* A decimal number of at most 19 digits, or -1. */
static long long digits(const char *v, size_t n)
{
	long long x = 0;

	if (n == 0 || n > 18 || strspn(v, DIGIT) < n)
		return -1;
	for (size_t i = 0; i < n; i++)
		x = x * 10 + (v[i] - '0');
	return x;
}

static int parse_memory_max(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	static const char unit[] = "KMG";
	size_t n = strlen(v);
	const char *u = n ? strchr(unit, v[n - 1]) : NULL;
	long long x;

	if (strcmp(v, "max") == 0) {
		svc->memory_max = 0;
		return 0;
	}
	x = digits(v, u ? n - 1 : n);
	if (x > 0 && u)
		x <<= 10 * (u - unit + 1);
	if (x < 4096 || x > (1ll << 50))
		return bad(p, "memory_max must be 4096 bytes to 1 PiB (K, M, G), or max, not", v);
	svc->memory_max = (uint64_t)x;
	return 0;
}

static int parse_pids_max(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	long long x = strcmp(v, "max") == 0 ? 0 : digits(v, strlen(v));

	if (x < 0 || (x == 0 && strcmp(v, "max") != 0) || x > SVC_PIDS_MAX)
		return bad(p, "pids_max must be 1-4194304 or max, not", v);
	svc->pids_max = (unsigned)x;
	return 0;
}

static int parse_cpu_weight(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;
	long long x = digits(v, strlen(v));

	if (x < 1 || x > SVC_CPU_WEIGHT_MAX)
		return bad(p, "cpu_weight must be 1-10000, not", v);
	svc->cpu_weight = (unsigned)x;
	return 0;
}

static int set_id(struct kv_file *p, char *dst, const char *key, const char *v)
{
	if (!id_ok(v))
		return bad(p, key, v);
	strcpy(dst, v);
	return 0;
}

static int set_user(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;

	return set_id(p, svc->user, "user: not a user name:", v);
}

static int set_group(struct kv_file *p, char *v)
{
	struct service_conf *svc = p->ctx;

	return set_id(p, svc->group, "group: not a group name:", v);
}

static const struct kv_key keys[] = {
	{ "exec", parse_exec, 0 },
	{ "user", set_user, 0 },
	{ "group", set_group, 0 },
	{ "restart", parse_restart, 0 },
	{ "after", parse_after, KV_REPEAT },
	{ "env", parse_env, KV_REPEAT },
	{ "stop_timeout", parse_stop_timeout, 0 },
	{ "capabilities", parse_caps, 0 },
	{ "memory_max", parse_memory_max, 0 },
	{ "pids_max", parse_pids_max, 0 },
	{ "cpu_weight", parse_cpu_weight, 0 },
};

static const struct kv_table table = {
	keys, sizeof keys / sizeof keys[0], KV_LINE_MAX, SVC_FILE_MAX
};

int service_conf_parse(const char *name, const char *text, size_t len,
		       struct service_conf *svc, char *why)
{
	struct kv_file p = { .t = &table, .name = svc->name, .why = why, .why_cap = SVC_REASON_MAX,
			     .ctx = svc };

	memset(svc, 0, sizeof *svc);
	svc->restart = RESTART_ALWAYS;
	svc->stop_timeout_s = DEFAULT_STOP_TIMEOUT_S;
	svc->pids_max = SVC_PIDS_DEFAULT;
	snprintf(svc->name, sizeof svc->name, "%s", name);
	if (!service_name_ok(name))
		return bad(&p, "not a valid service name", NULL);
	if (kv_parse(&p, text, len) < 0)
		return -1;
	if (!kv_given(&p, "exec"))
		return bad(&p, "no exec", NULL);
	if (!kv_given(&p, "user"))
		return bad(&p, "no user", NULL);
	return 0;
}
