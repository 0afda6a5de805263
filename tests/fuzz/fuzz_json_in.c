/* libFuzzer target: any bytes as a JSON text. json_parse must accept
 * exactly what RFC 8259 (with I-JSON's surrogate rule) allows, and when it
 * does, every accessor must agree with it: each value found by walking is
 * a span inside the input that parses again on its own to the same span,
 * every string decodes (to no more bytes than its text), and every member
 * json_object_get finds is the first of its name. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_in.h"

static const uint8_t *base;
static size_t base_len;

static void must(int cond)
{
	if (!cond)
		abort();
}

static void walk(const struct json_val *v, int depth);

static void check_string(const struct json_val *v)
{
	static char buf[1 << 16];
	size_t len;

	must(v->len >= 2 && v->p[0] == '"' && v->p[v->len - 1] == '"');
	if (v->len - 1 > sizeof buf)
		return;
	must(json_string(v, buf, v->len - 1, &len) == 0 && len <= v->len - 2 && buf[len] == '\0');
	if (strlen(buf) == len)
		must(json_string_is(v, buf));
	if (len > 0)
		must(json_string(v, buf, len, &len) == -1);
}

static void check_object(const struct json_val *v, int depth)
{
	struct json_iter it;
	struct json_val name, val, got;
	char key[256];
	size_t len;

	json_iter_init(&it, v);
	while (json_object_next(&it, &name, &val)) {
		must(name.type == JSON_STRING);
		check_string(&name);
		walk(&val, depth + 1);
		if (json_string(&name, key, sizeof key, &len) == 0 && strlen(key) == len)
			must(json_object_get(v, key, &got) == 0 && got.p <= val.p);
	}
}

static void walk(const struct json_val *v, int depth)
{
	struct json_val again, e;
	struct json_iter it;
	const char *why;
	uint64_t u;
	int64_t i;
	double d;

	must(depth <= JSON_DEPTH_MAX);
	must((const uint8_t *)v->p >= base && v->len > 0 &&
	     (const uint8_t *)v->p + v->len <= base + base_len);
	must(json_parse(v->p, v->len, &again, &why) == 0 && again.p == v->p &&
	     again.len == v->len && again.type == v->type);
	switch (v->type) {
	case JSON_STRING:
		check_string(v);
		break;
	case JSON_NUMBER:
		if (json_u64(v, &u) == 0)
			must(v->p[0] != '-' && !memchr(v->p, '.', v->len));
		if (json_i64(v, &i) == 0 && i < 0)
			must(v->p[0] == '-');
		if (v->len <= JSON_NUMBER_MAX && json_double(v, &d) < 0)
			must(memchr(v->p, 'e', v->len) || memchr(v->p, 'E', v->len));
		break;
	case JSON_ARRAY:
		json_iter_init(&it, v);
		while (json_array_next(&it, &e))
			walk(&e, depth + 1);
		break;
	case JSON_OBJECT:
		check_object(v, depth);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_val v;
	const char *why = NULL;

	base = data;
	base_len = size;
	if (json_parse((const char *)data, size, &v, &why) < 0) {
		must(why != NULL);
		return 0;
	}
	walk(&v, 0);
	return 0;
}
