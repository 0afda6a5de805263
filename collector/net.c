#include "net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[NET_NAME_MAX];
	const char *colon = strrchr(spec, ':');
	size_t hl;
	char *end;
	unsigned long port;
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
				  .ai_socktype = SOCK_STREAM }, *ai;
	char ps[8];

	if (!colon || colon == spec)
		return -1;
	hl = (size_t)(colon - spec);
	if (spec[0] == '[') {
		if (hl < 3 || spec[hl - 1] != ']')
			return -1;
		spec++;
		hl -= 2;
	}
	if (hl >= sizeof host)
		return -1;
	memcpy(host, spec, hl);
	host[hl] = '\0';
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || port > 65535)
		return -1;
	snprintf(ps, sizeof ps, "%lu", port);
	if (getaddrinfo(host, ps, &hints, &ai) != 0)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*len = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

int net_spec_ok(const char *spec)
{
	struct sockaddr_storage ss;
	socklen_t len;

	return parse(spec, &ss, &len) == 0;
}

void net_name(const struct sockaddr *sa, char *name)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof a);
		snprintf(name, NET_NAME_MAX, "%s:%u", a, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof a);
		snprintf(name, NET_NAME_MAX, "[%s]:%u", a, ntohs(in6->sin6_port));
	} else {
		snprintf(name, NET_NAME_MAX, "?");
	}
}

int net_listen(const char *spec, char *bound, char *why, size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1;

	if (parse(spec, &ss, &len) < 0) {
		snprintf(why, whylen, "%s: not ADDR:PORT", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(why, whylen, "%s: socket: %s", spec, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 128) < 0) {
		snprintf(why, whylen, "%s: %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		net_name((struct sockaddr *)&ss, bound);
	else
		snprintf(bound, NET_NAME_MAX, "%s", spec);
	return fd;
}
