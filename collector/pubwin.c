#include "pubwin.h"

#include <string.h>

void pubwin_init(struct pubwin *w)
{
	memset(w, 0, sizeof *w);
}

uint64_t pubwin_push(struct pubwin *w, uint64_t seq)
{
	uint64_t pos = w->tail++;

	w->seq[pos % PUBWIN_MAX] = seq;
	w->done[pos % PUBWIN_MAX] = 0;
	return pos;
}

int pubwin_done(struct pubwin *w, uint64_t pos)
{
	if (pos < w->head || pos >= w->tail)
		return -1;
	w->done[pos % PUBWIN_MAX] = 1;
	return 0;
}

int pubwin_advance(struct pubwin *w)
{
	int moved = 0;

	while (w->head < w->tail && w->done[w->head % PUBWIN_MAX]) {
		w->acked = w->seq[w->head % PUBWIN_MAX];
		w->head++;
		moved = 1;
	}
	return moved;
}
