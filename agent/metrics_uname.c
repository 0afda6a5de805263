/* node_uname_info: always 1, the kernel's uname(2) fields as labels, as
 * node_exporter has them (domainname included). */
#include "metrics_parse.h"

void metrics_uname_emit(const struct utsname *u, metric_sink sink, void *ctx)
{
	const struct metric_label lab[] = {
		{ "sysname", u->sysname }, { "release", u->release }, { "version", u->version },
		{ "machine", u->machine }, { "nodename", u->nodename },
		{ "domainname", u->domainname },
	};

	sink(ctx, "node_uname_info", lab, sizeof lab / sizeof lab[0], 1);
}

void metrics_uname(metric_sink sink, void *ctx)
{
	struct utsname u;

	if (uname(&u) == 0)
		metrics_uname_emit(&u, sink, ctx);
}
