/* libFuzzer target: any bytes as a service definition. The parser must
 * neither crash nor overrun, and on success hand back an argv that starts
 * with an absolute path and fits the fixed buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "service_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct service_conf svc;
	char why[SVC_REASON_MAX];

	if (service_conf_parse("fuzz", (const char *)data, size, &svc, why) != 0) {
		if (strnlen(why, sizeof why) == sizeof why)
			abort();
		return 0;
	}
	if (!svc.argv[0] || svc.argv[0][0] != '/' || svc.n_after > SVC_AFTER_MAX ||
	    svc.n_env > SVC_ENV_MAX || svc.user[0] == '\0')
		abort();
	for (char **a = svc.argv; *a; a++)
		if (*a < svc.exec || *a >= svc.exec + sizeof svc.exec)
			abort();
	return 0;
}
