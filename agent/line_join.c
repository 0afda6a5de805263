#include "line_join.h"

#include <string.h>

#include "svc_line.h"

static struct join_slot *find(struct line_joins *j, const struct line_piece *p)
{
	for (size_t i = 0; i < JOIN_SLOTS; i++) {
		struct join_slot *s = &j->slot[i];

		if (s->name[0] && s->stream == (uint32_t)p->stream &&
		    strlen(s->name) == p->name_len && memcmp(s->name, p->name, p->name_len) == 0)
			return s;
	}
	return NULL;
}

static void flush(struct join_slot *s, line_out out, void *ctx)
{
	struct line_piece whole = { s->name, strlen(s->name), (int)s->stream, 0, s->pid,
				    s->t_ns, s->text, s->len };

	out(ctx, &whole, (int)s->cont);
	/* Emptied only once out() has it: killed in between, the line comes
	 * twice rather than never. */
	s->len = 0;
	s->name[0] = '\0';
}

void line_join_flush(struct line_joins *j, line_out out, void *ctx)
{
	for (size_t i = 0; i < JOIN_SLOTS; i++)
		if (j->slot[i].name[0])
			flush(&j->slot[i], out, ctx);
}

/* A free slot, or the oldest one emptied. */
static struct join_slot *take(struct line_joins *j, const struct line_piece *p, int cont,
			      line_out out, void *ctx)
{
	struct join_slot *s = &j->slot[0];

	for (size_t i = 0; i < JOIN_SLOTS; i++) {
		if (!j->slot[i].name[0]) {
			s = &j->slot[i];
			break;
		}
		if (j->slot[i].age < s->age)
			s = &j->slot[i];
	}
	if (s->name[0])
		flush(s, out, ctx);
	s->stream = (uint32_t)p->stream;
	s->cont = (uint32_t)cont;
	s->pid = p->pid;
	s->t_ns = p->t_ns;
	s->len = 0;
	s->age = ++j->clock;
	memcpy(s->name, p->name, p->name_len);
	s->name[p->name_len] = '\0';
	return s;
}

void line_join_feed(struct line_joins *j, const struct line_piece *p, line_out out, void *ctx)
{
	struct join_slot *s = p->name_len > 0 && p->name_len < JOIN_NAME_MAX ? find(j, p) : NULL;
	int more = (p->flags & SVC_LINE_MORE) != 0, continued = (p->flags & SVC_LINE_CONTINUED) != 0;

	if (s && !continued) {
		flush(s, out, ctx);	/* its last piece never came */
		s = NULL;
	}
	if (p->len > JOIN_TEXT_MAX || (!s && !more) || p->name_len == 0 ||
	    p->name_len >= JOIN_NAME_MAX) {
		if (s)
			flush(s, out, ctx);
		out(ctx, p, continued);
		return;
	}
	if (!s)
		s = take(j, p, continued, out, ctx);
	if (s->len + p->len > JOIN_TEXT_MAX) {
		flush(s, out, ctx);
		s = take(j, p, 1, out, ctx);
	}
	memcpy(s->text + s->len, p->text, p->len);
	s->len += (uint32_t)p->len;
	if (!more)
		flush(s, out, ctx);
}
