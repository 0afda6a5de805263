#ifndef STELE_METADATA_FETCH_H
#define STELE_METADATA_FETCH_H

#include <stdint.h>

#include "http.h"

#define FETCH_CONNECT_MS 2000
#define FETCH_REPLY_MS 5000		/* from the request sent to the reply complete */

/* One request req[len] to addr:port (host order), one reply read into
 * buf[HTTP_REPLY_MAX] (the caller's) and parsed into *r. Returns 0, or -1
 * with a reason in why[HTTP_REASON_MAX]; *retry is then 1 when the server
 * was not reached at all (no route yet, refused, connect timed out), which
 * a later attempt may not see again, and 0 when it was and answered
 * badly, too much or too slowly. */
int fetch_exchange(uint32_t addr, uint16_t port, const char *req, size_t len,
		   unsigned char *buf, struct http_reply *r, int *retry, char *why);

#endif
