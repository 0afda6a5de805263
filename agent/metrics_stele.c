/* What PID 1 publishes under /run/stele:
 *   verity    "1\n" while the root verifies, "0\n" once corruption is seen
 *   services  one line per service, "key=value" words, e.g.
 *             "name=web state=running pid=212 restarts=3 last_exit=status:1"
 * Both are replaced whole by rename, so a read sees one version. A line
 * without name= or state= is skipped; unknown keys are ignored. */
#include <string.h>

#include "metrics_parse.h"

#define STELE_VERITY "/run/stele/verity"
#define STELE_SERVICES "/run/stele/services"
#define SERVICE_NAME_MAX 64
#define STATE_MAX 16

void metrics_verity_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (len == 1 && (text[0] == '0' || text[0] == '1'))
		sink(ctx, "stele_root_verity_ok", NULL, 0, text[0] - '0');
}

/* If w[n] is "key=VALUE", points *v at VALUE and returns its length + 1. */
static size_t value(const char *w, size_t n, const char *key, const char **v)
{
	size_t k = strlen(key);

	if (n <= k || memcmp(w, key, k) != 0 || w[k] != '=')
		return 0;
	*v = w + k + 1;
	return n - k;
}

void metrics_services_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char name[SERVICE_NAME_MAX], state[STATE_MAX];
	struct metric_label lab[2] = { { "service", name }, { "state", state } };
	const char *w, *v;
	size_t n, vn;
	uint64_t restarts = 0;
	int have_restarts;

	while (mtext_line(&t, &l)) {
		name[0] = state[0] = '\0';
		have_restarts = 0;
		while ((n = mtext_word(&l, &w)) > 0) {
			if ((vn = value(w, n, "name", &v)))
				mtext_copy(name, sizeof name, v, vn - 1);
			else if ((vn = value(w, n, "state", &v)))
				mtext_copy(state, sizeof state, v, vn - 1);
			else if ((vn = value(w, n, "restarts", &v)))
				have_restarts = mtext_u64(v, vn - 1, &restarts);
		}
		if (!name[0] || !state[0])
			continue;
		sink(ctx, "stele_service_up", lab, 1, strcmp(state, "running") == 0);
		if (have_restarts)
			sink(ctx, "stele_service_restarts_total", lab, 1, (double)restarts);
		sink(ctx, "stele_service_state", lab, 2, 1);
	}
}

void metrics_stele(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text;

	if ((text = metrics_read(STELE_VERITY, &len)))
		metrics_verity_parse(text, len, sink, ctx);
	if ((text = metrics_read(STELE_SERVICES, &len)))
		metrics_services_parse(text, len, sink, ctx);
}
