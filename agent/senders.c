#include "senders.h"

#include <string.h>

#define SHARED (SENDERS_MAX - 1)

unsigned senders_owner(struct senders *t, const char *name)
{
	size_t k;

	if (!name || !name[0] || strlen(name) >= SENDER_NAME_MAX)
		name = "-";
	for (k = 0; k < SHARED; k++) {
		if (strcmp(t->s[k].name, name) == 0)
			return (unsigned)k + 1;
		if (!t->s[k].name[0]) {
			strcpy(t->s[k].name, name);
			return (unsigned)k + 1;
		}
	}
	strcpy(t->s[SHARED].name, "-");
	return SHARED + 1;
}

int senders_admit(struct senders *t, const struct ring *r, unsigned owner, size_t len)
{
	struct sender *s = senders_of(t, owner);

	/* The ring's own header per record counts as the sender's too. */
	if (!s || ring_owner_bytes(r, owner) + len + 16 <= r->size / SENDER_SHARE)
		return 1;
	s->dropped_total++;
	s->dropped_unreported++;
	return 0;
}

struct sender *senders_of(struct senders *t, unsigned owner)
{
	return owner >= 1 && owner <= SENDERS_MAX ? &t->s[owner - 1] : NULL;
}
