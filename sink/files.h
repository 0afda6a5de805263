#ifndef STELE_SINK_FILES_H
#define STELE_SINK_FILES_H

#include "seen.h"
#include "sink.h"
#include "store.h"

struct files_sink {
	struct store store;
	struct seen seen;
	char *tail;		/* a file's tail, read back */
};

/* Writes into dir (made if missing). 0, or -1 with why. */
int files_open(struct files_sink *f, const char *dir, char *why, size_t whylen);
void files_close(struct files_sink *f);

enum sink_took files_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen);
int files_sync(void *ctx, char *why, size_t whylen);

#endif
