#ifndef STELE_COLLECTOR_METRICS_HELP_H
#define STELE_COLLECTOR_METRICS_HELP_H

#include <stddef.h>

#include "json.h"

/* The head of one metric family in the exposition: "# HELP NAME TEXT"
 * and "# TYPE NAME counter|gauge", as node_exporter writes them.
 * name[len] MUST be a valid metric name (the caller checked it): it is
 * written as it is. */
void metrics_family_head(struct jbuf *b, const char *name, size_t len);

#endif
