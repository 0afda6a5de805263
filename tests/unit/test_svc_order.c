/* Start order from "after": dependencies first, ties by table position,
 * names that are not loaded ignored, cycles left out. */
#include <string.h>

#include "check.h"
#include "svc.h"

static struct service_conf c[SVC_MAX];
static const struct service_conf *p[SVC_MAX];
static size_t order[SVC_MAX];

/* defs: "name:after1,after2" entries. */
static size_t setup(size_t n, const char *const defs[])
{
	for (size_t i = 0; i < n; i++) {
		const char *colon = strchr(defs[i], ':');
		char after[128];

		memset(&c[i], 0, sizeof c[i]);
		memcpy(c[i].name, defs[i], (size_t)(colon - defs[i]));
		strcpy(after, colon + 1);
		for (char *w = strtok(after, ","); w; w = strtok(NULL, ","))
			strcpy(c[i].after[c[i].n_after++], w);
		p[i] = &c[i];
	}
	return n;
}

/* The order as names joined by spaces. */
static const char *names(size_t placed)
{
	static char buf[512];

	buf[0] = '\0';
	for (size_t k = 0; k < placed; k++) {
		strcat(buf, k ? " " : "");
		strcat(buf, c[order[k]].name);
	}
	return buf;
}

int main(void)
{
	static const char *const chain[] = { "web:db,cache", "cache:", "db:network", "network:" };
	static const char *const unknown[] = { "a:ghost", "b:a" };
	static const char *const cycle[] = { "net:", "x:y", "y:x", "z:net" };
	static const char *const self[] = { "me:me", "ok:" };
	size_t n;

	n = setup(4, chain);
	CHECK_INT(4, svc_order(p, n, order));
	CHECK_STR("cache network db web", names(4));

	n = setup(2, unknown);
	CHECK_INT(2, svc_order(p, n, order));
	CHECK_STR("a b", names(2));

	n = setup(4, cycle);
	CHECK_INT(2, svc_order(p, n, order));
	CHECK_STR("net z", names(2));

	/* A service naming itself does not wait for itself. */
	n = setup(2, self);
	CHECK_INT(2, svc_order(p, n, order));
	CHECK_STR("me ok", names(2));

	CHECK_INT(0, svc_order(p, 0, order));
	return check_done();
}
