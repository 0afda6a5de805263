/* One NATS connection to any server of a list; after it is made the
 * library reconnects forever, and says so. */
#include <stdio.h>
#include <string.h>

#include "jetstream.h"
#include "log.h"
#include "nats_url.h"

static volatile int closing;	/* our own close: nothing to say */

static void say_disconnected(natsConnection *nc, void *arg)
{
	(void)nc;
	(void)arg;
	if (!closing)
		log_msg("JetStream: disconnected; reconnecting, nothing acknowledged meanwhile");
}

static void say_reconnected(natsConnection *nc, void *arg)
{
	char url[256];

	(void)arg;
	if (natsConnection_GetConnectedUrl(nc, url, sizeof url) != NATS_OK)
		snprintf(url, sizeof url, "?");
	log_msg("JetStream: reconnected to %s", url);
}

/* urls (checked) split at its commas into list[] (the library's SetURL
 * does not take a list here); the count. */
static int split(const char *urls, char (*buf)[256], const char **list)
{
	const char *u, *rest = urls;
	size_t len;
	int n = 0;

	while (n < JS_URLS_MAX && (u = nats_url_next(&rest, &len))) {
		snprintf(buf[n], sizeof buf[n], "%.*s", (int)len, u);
		list[n] = buf[n];
		n++;
	}
	return n;
}

int js_connect(const char *urls, const char *name, natsConnection **nc, char *why, size_t whylen)
{
	char buf[JS_URLS_MAX][256];
	const char *list[JS_URLS_MAX];
	natsOptions *o = NULL;
	natsStatus s = natsOptions_Create(&o);

	if (s == NATS_OK)
		s = natsOptions_SetServers(o, list, split(urls, buf, list));
	if (s == NATS_OK)
		s = natsOptions_SetName(o, name);
	if (s == NATS_OK)
		s = natsOptions_SetTimeout(o, 2000);
	if (s == NATS_OK)
		s = natsOptions_SetMaxReconnect(o, -1);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectWait(o, 250);
	if (s == NATS_OK)
		s = natsOptions_SetDisconnectedCB(o, say_disconnected, NULL);
	if (s == NATS_OK)
		s = natsOptions_SetReconnectedCB(o, say_reconnected, NULL);
	if (s != NATS_OK) {
		natsOptions_Destroy(o);
		snprintf(why, whylen, "JetStream: options: %s", natsStatus_GetText(s));
		return -1;
	}
	s = natsConnection_Connect(nc, o);
	natsOptions_Destroy(o);
	if (s != NATS_OK) {
		snprintf(why, whylen, "JetStream: cannot connect to any of %s: %s", urls,
			 natsStatus_GetText(s));
		return -1;
	}
	return 0;
}


void js_disconnect(natsConnection *nc)
{
	closing = 1;
	natsConnection_Destroy(nc);
}
