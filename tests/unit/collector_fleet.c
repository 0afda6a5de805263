/* Fleet mode's bookkeeping, without a server: the agent's ack moves only
 * over records that have their PubAck, whatever order PubAcks come in;
 * a slot's token names it only while it holds the same record; URL
 * lists are checked before anything connects. */

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jetstream.h"
#include "js_slots.h"
#include "pubwin.h"

#define CHECK_EQ(actual, expected) CHECK_INT(expected, actual)

static struct pubwin w;
static struct js_slots t;

static void window_in_order(void)
{
	uint64_t p[4];

	pubwin_init(&w);
	for (int i = 0; i < 4; i++)
		p[i] = pubwin_push(&w, 10 + (uint64_t)i);
	CHECK(!pubwin_advance(&w));
	CHECK_EQ(w.acked, 0);
	pubwin_done(&w, p[1]);
	pubwin_done(&w, p[2]);
	CHECK(!pubwin_advance(&w));	/* 10 still waits: nothing past it */
	CHECK_EQ(w.acked, 0);
	pubwin_done(&w, p[0]);
	CHECK(pubwin_advance(&w));
	CHECK_EQ(w.acked, 12);
	CHECK_EQ(pubwin_waiting(&w), 1);
	CHECK_EQ(pubwin_done(&w, p[0]), -1);	/* passed already: ignored */
	pubwin_done(&w, p[3]);
	CHECK(pubwin_advance(&w));
	CHECK_EQ(w.acked, 13);
	CHECK_EQ(pubwin_waiting(&w), 0);
}

static void window_full(void)
{
	pubwin_init(&w);
	for (unsigned i = 0; i < PUBWIN_MAX; i++)
		pubwin_push(&w, i + 1);
	CHECK(pubwin_full(&w));
	CHECK_EQ(pubwin_done(&w, PUBWIN_MAX), -1);	/* beyond the back */
	pubwin_done(&w, 0);
	pubwin_advance(&w);
	CHECK(!pubwin_full(&w));
	pubwin_push(&w, PUBWIN_MAX + 1);	/* wraps into position 0's cell */
	for (uint64_t pos = 1; pos <= PUBWIN_MAX; pos++)
		pubwin_done(&w, pos);
	pubwin_advance(&w);
	CHECK_EQ(w.acked, PUBWIN_MAX + 1);
}

static void slots_tokens(void)
{
	static uint32_t idx[JS_SLOTS_MAX];
	static uint64_t tok[JS_SLOTS_MAX];
	unsigned found = 0;
	uint32_t again;

	js_slots_init(&t);
	for (unsigned i = 0; i < JS_SLOTS_MAX; i++) {
		idx[i] = js_slots_take(&t, "line", 4, "host", "boot");
		tok[i] = js_slots_token(&t, idx[i]);
	}
	CHECK_EQ(js_slots_take(&t, "x", 1, "h", "b"), JS_SLOT_NONE);	/* all taken */
	CHECK_EQ(t.bytes, 4 * JS_SLOTS_MAX);
	CHECK_STR("host", t.slot[idx[7]].host);
	CHECK_STR("boot", t.slot[idx[7]].boot_id);
	CHECK(memcmp(t.slot[idx[7]].line, "line", 4) == 0);
	for (unsigned i = 0; i < JS_SLOTS_MAX; i += 3)
		js_slots_free(&t, idx[i]);
	for (unsigned i = 0; i < JS_SLOTS_MAX; i++) {
		uint32_t f = js_slots_find(&t, tok[i]);

		found += i % 3 == 0 ? f == JS_SLOT_NONE : f == idx[i];
	}
	CHECK_EQ(found, JS_SLOTS_MAX);
	CHECK_EQ(js_slots_used(&t), JS_SLOTS_MAX - (JS_SLOTS_MAX + 2) / 3);
	/* A slot used again: the old token names nothing, the new one it. */
	again = js_slots_take(&t, "y", 1, "h", "b");
	CHECK(again != JS_SLOT_NONE);
	for (unsigned i = 0; i < JS_SLOTS_MAX; i += 3)
		if (idx[i] == again)
			CHECK_EQ(js_slots_find(&t, tok[i]), JS_SLOT_NONE);
	CHECK_EQ(js_slots_find(&t, js_slots_token(&t, again)), again);
	CHECK_EQ(js_slots_find(&t, (uint64_t)1 << 32 | JS_SLOTS_MAX), JS_SLOT_NONE);
	js_slots_set_state(&t, again, JS_SLOT_RETRY, 5);
	CHECK_EQ(t.retrying, 1);
	js_slots_free(&t, again);
	CHECK_EQ(t.retrying, 0);
}

static void urls(void)
{
	static const char *good[] = { "nats://127.0.0.1:4222", "nats://a:1,nats://b.example:65535" };
	static const char *bad[] = { "", "127.0.0.1:4222", "nats://127.0.0.1", "nats://:4222",
				     "nats://h:0", "nats://h:65536", "nats://h:42x", "nats://h:1,",
				     "tls://h:1", "nats://h h:1", "nats://[::1]:4222", "nats://[abc]:1" };
	char why[160];

	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		check_what = good[i];
		CHECK_EQ(js_urls_ok(good[i], why, sizeof why), 0);
	}
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		check_what = bad[i];
		CHECK_EQ(js_urls_ok(bad[i], why, sizeof why), -1);
		CHECK(strstr(why, "is not nats://HOST:PORT") != NULL);
	}
	check_what = NULL;
	CHECK_EQ(js_kind_ok("metrics", 7), 1);
	CHECK_EQ(js_kind_ok("Log", 3), 0);
	CHECK_EQ(js_kind_ok("a.b", 3), 0);
}

int main(void)
{
	window_in_order();
	window_full();
	slots_tokens();
	urls();
	return check_done();
}
