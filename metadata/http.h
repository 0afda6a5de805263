#ifndef STELE_METADATA_HTTP_H
#define STELE_METADATA_HTTP_H

#include <stddef.h>

/* The little HTTP stele-metadata speaks to a cloud's instance metadata
 * server: HTTP/1.0 requests (so that no server may answer in chunks), one
 * per connection, and replies read into one fixed buffer. A reply is
 * outside input: every length in it is checked against what was read. */

#define HTTP_REPLY_MAX 65536		/* a whole reply, headers included */
#define HTTP_REQUEST_MAX 1024
#define HTTP_REASON_MAX 160

struct http_reply {
	int status;			/* 100-599 */
	size_t body;			/* offset of the body in the buffer */
	size_t body_len;
};

/* Writes "METHOD PATH HTTP/1.0", a Host line, each of headers[n_headers]
 * (each "Name: value", no CR or LF) and the empty line into out[max].
 * Returns the length, or 0 if it does not fit or a header holds CR or LF. */
size_t http_request(char *out, size_t max, const char *method, const char *path, const char *host,
		    const char *const *headers, size_t n_headers);

enum { HTTP_BAD = -1, HTTP_COMPLETE = 0, HTTP_INCOMPLETE = 1 };

/* Parses buf[n], what has arrived so far. eof: the server has closed, so a
 * reply without Content-Length ends here. Returns HTTP_COMPLETE with *r
 * filled; HTTP_INCOMPLETE if more must be read (at eof: truncated); or
 * HTTP_BAD with a reason in why[HTTP_REASON_MAX]. Never reads past n. */
int http_reply_parse(const unsigned char *buf, size_t n, int eof, struct http_reply *r, char *why);

#endif
