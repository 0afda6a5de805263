#ifndef STELE_USERS_H
#define STELE_USERS_H

#include <stddef.h>

/* Users and groups of the sealed root, from /etc/passwd and /etc/group
 * (read-only, so looked up once when services load). */

#define USERS_FILE_MAX 65536	/* larger files are refused */

/* In passwd text[len], finds user name: its uid and primary gid.
 * Returns 0, or -1 if there is no such user or its line is malformed. */
int passwd_find(const char *text, size_t len, const char *name, unsigned *uid, unsigned *gid);

/* In group text[len], finds group name's gid. Returns 0 or -1. */
int group_find(const char *text, size_t len, const char *name, unsigned *gid);

/* The same against the files; why gets a reason on failure. */
int user_lookup(const char *name, unsigned *uid, unsigned *gid, char *why, size_t whylen);
int group_lookup(const char *name, unsigned *gid, char *why, size_t whylen);

#endif
