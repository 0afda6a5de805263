#include "record_json.h"

#include <string.h>

static int text_copy(const struct cbor_val *v, char *out, size_t cap, int printable)
{
	size_t n;

	if (v->type != CBV_TEXT)
		return -1;
	n = v->u < cap - 1 ? (size_t)v->u : cap - 1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = v->p[i];

		out[i] = printable && (c < 0x20 || c > 0x7e) ? '?' : (char)c;
	}
	out[n] = '\0';
	return 0;
}

int hello_parse(const unsigned char *item, size_t len, struct hello *h, const char **why)
{
	struct cbor_cur c = { item, item + len };
	struct cbor_val m, k, v;
	int have_v = 0, have_host = 0, have_boot = 0, have_agent = 0, have_root = 0;

	memset(h, 0, sizeof *h);
	if (cbor_next(&c, &m) < 0 || m.type != CBV_MAP) {
		*why = "hello: not a map";
		return -1;
	}
	for (uint64_t i = 0; i < m.u; i++) {
		if (cbor_next(&c, &k) < 0 || k.type != CBV_TEXT) {
			*why = "hello: key not text";
			return -1;
		}
		if (cbor_text_is(&k, "v")) {
			if (cbor_next(&c, &v) < 0 || v.type != CBV_UINT || v.u != 1) {
				*why = "hello: \"v\" is not 1";
				return -1;
			}
			have_v = 1;
		} else if (cbor_text_is(&k, "host") || cbor_text_is(&k, "boot_id")) {
			int host = cbor_text_is(&k, "host");
			char *out = host ? h->host : h->boot_id;

			if (cbor_next(&c, &v) < 0 || v.type != CBV_TEXT ||
			    !store_name_ok((const char *)v.p, (size_t)v.u)) {
				*why = host ? "hello: \"host\" not a safe name (A-Z a-z 0-9 . _ -, 1-64)"
					    : "hello: \"boot_id\" not a safe name (A-Z a-z 0-9 . _ -, 1-64)";
				return -1;
			}
			memcpy(out, v.p, (size_t)v.u);
			out[v.u] = '\0';
			*(host ? &have_host : &have_boot) = 1;
		} else if (cbor_text_is(&k, "agent") || cbor_text_is(&k, "roothash")) {
			int agent = cbor_text_is(&k, "agent");

			if (cbor_next(&c, &v) < 0 ||
			    text_copy(&v, agent ? h->agent : h->roothash,
				      agent ? sizeof h->agent : sizeof h->roothash, 1) < 0) {
				*why = agent ? "hello: \"agent\" not text" : "hello: \"roothash\" not text";
				return -1;
			}
			*(agent ? &have_agent : &have_root) = 1;
		} else if (cbor_text_is(&k, "version")) {
			if (cbor_next(&c, &v) < 0 || v.type != CBV_TEXT ||
			    !image_version_ok((const char *)v.p, (size_t)v.u)) {
				*why = "hello: \"version\" not an image version (A-Z a-z 0-9 . _ ~ + -, 1-64, a letter or digit first)";
				return -1;
			}
			memcpy(h->version, v.p, (size_t)v.u);
			h->version[v.u] = '\0';
		} else if (cbor_text_is(&k, "pcr11") || cbor_text_is(&k, "pcr15")) {
			int p11 = cbor_text_is(&k, "pcr11");

			if (cbor_next(&c, &v) < 0 || v.type != CBV_TEXT ||
			    image_pcr_copy(p11 ? h->pcr11 : h->pcr15, (const char *)v.p, (size_t)v.u) < 0) {
				*why = p11 ? "hello: \"pcr11\" not 64 hex digits"
					   : "hello: \"pcr15\" not 64 hex digits";
				return -1;
			}
		} else {
			const unsigned char *skip;
			size_t skip_len;

			if (cbor_next_skip(&c, &skip, &skip_len) < 0) {
				*why = "hello: malformed";
				return -1;
			}
		}
	}
	if (!have_v)
		*why = "hello: \"v\" missing";
	else if (!have_host)
		*why = "hello: \"host\" missing";
	else if (!have_boot)
		*why = "hello: \"boot_id\" missing";
	else if (!have_agent)
		*why = "hello: \"agent\" missing";
	else if (!have_root)
		*why = "hello: \"roothash\" missing";
	else
		return 0;
	return -1;
}

int record_parse(const unsigned char *item, size_t len, struct record *r, const char **why)
{
	struct cbor_cur c = { item, item + len };
	struct cbor_val m, k, v;
	int have_seq = 0, have_t = 0, have_kind = 0;
	const unsigned char *samples = NULL;
	size_t samples_len = 0;

	memset(r, 0, sizeof *r);
	if (cbor_next(&c, &m) < 0 || m.type != CBV_MAP) {
		*why = "record: not a map";
		return -1;
	}
	for (uint64_t i = 0; i < m.u; i++) {
		const unsigned char *val;
		size_t val_len;

		if (cbor_next(&c, &k) < 0 || k.type != CBV_TEXT) {
			*why = "record: key not text";
			return -1;
		}
		if (cbor_next_skip(&c, &val, &val_len) < 0 || cbor_read(val, val_len, &v) == 0) {
			*why = "record: malformed";
			return -1;
		}
		if (cbor_text_is(&k, "seq")) {
			if (have_seq++ || v.type != CBV_UINT) {
				*why = have_seq > 1 ? "record: \"seq\" twice" : "record: \"seq\" not unsigned";
				return -1;
			}
			r->seq = v.u;
		} else if (cbor_text_is(&k, "t")) {
			if (have_t++ || (v.type != CBV_UINT && v.type != CBV_NINT)) {
				*why = have_t > 1 ? "record: \"t\" twice" : "record: \"t\" not an integer";
				return -1;
			}
			r->t = v;
		} else if (cbor_text_is(&k, "kind")) {
			if (have_kind++ || v.type != CBV_TEXT) {
				*why = have_kind > 1 ? "record: \"kind\" twice" : "record: \"kind\" not text";
				return -1;
			}
			r->kind = v;
		} else if (cbor_text_is(&k, "samples") && v.type == CBV_ARRAY) {
			samples = val;
			samples_len = val_len;
		}
		/* The rest is record_json's: it reads every field anyway. */
		if (have_seq && have_t && have_kind && (samples || !cbor_text_is(&r->kind, "metrics")))
			break;
	}
	if (!have_seq)
		*why = "record: \"seq\" missing";
	else if (!have_t)
		*why = "record: \"t\" missing";
	else if (!have_kind)
		*why = "record: \"kind\" missing";
	else {
		if (cbor_text_is(&r->kind, "metrics")) {
			r->samples = samples;
			r->samples_len = samples_len;
		}
		return 0;
	}
	return -1;
}

/* One value, recursively (depth-bounded), from the cursor. */
static int value(struct cbor_cur *c, struct jbuf *b, int depth, const char **why)
{
	struct cbor_val v;

	if (cbor_next(c, &v) < 0) {
		*why = "record: malformed";
		return -2;
	}
	switch (v.type) {
	case CBV_UINT: jb_u64(b, v.u); return 0;
	case CBV_NINT: jb_nint(b, v.u); return 0;
	case CBV_TEXT: jb_str(b, v.p, (size_t)v.u); return 0;
	case CBV_BYTES: jb_b64(b, v.p, (size_t)v.u); return 0;
	case CBV_FALSE: jb_raw(b, "false", 5); return 0;
	case CBV_TRUE: jb_raw(b, "true", 4); return 0;
	case CBV_NULL:
	case CBV_UNDEF:
	case CBV_SIMPLE: jb_raw(b, "null", 4); return 0;
	case CBV_FLOAT: jb_double_json(b, v.f); return 0;
	case CBV_ARRAY:
	case CBV_MAP:
		break;
	}
	if (depth >= RECORD_DEPTH_MAX) {
		*why = "record: nested too deeply";
		return -2;
	}
	jb_raw(b, v.type == CBV_MAP ? "{" : "[", 1);
	for (uint64_t i = 0; i < v.u; i++) {
		if (i)
			jb_raw(b, ",", 1);
		if (v.type == CBV_MAP) {
			struct cbor_val k;

			if (cbor_next(c, &k) < 0 || k.type != CBV_TEXT) {
				*why = "record: map key not text";
				return -2;
			}
			jb_str(b, k.p, (size_t)k.u);
			jb_raw(b, ":", 1);
		}
		if (value(c, b, depth + 1, why) < 0)
			return -2;
	}
	jb_raw(b, v.type == CBV_MAP ? "}" : "]", 1);
	return 0;
}

static void integer(struct jbuf *b, const struct cbor_val *v)
{
	if (v->type == CBV_NINT)
		jb_nint(b, v->u);
	else
		jb_u64(b, v->u);
}

int record_json(const unsigned char *item, size_t len, const struct record *r,
		const char *prefix, size_t prefix_len, struct jbuf *b, const char **why)
{
	struct cbor_cur c = { item, item + len };
	struct cbor_val m, k;
	size_t mark = b->len;

	if (cbor_next(&c, &m) < 0 || m.type != CBV_MAP) {
		*why = "record: not a map";
		return -2;
	}
	jb_raw(b, prefix, prefix_len);
	jb_u64(b, r->seq);
	jb_raw(b, ",\"t\":", 5);
	integer(b, &r->t);
	jb_raw(b, ",\"kind\":", 8);
	jb_str(b, r->kind.p, (size_t)r->kind.u);
	for (uint64_t i = 0; i < m.u; i++) {
		struct cbor_val v;

		if (cbor_next(&c, &k) < 0 || k.type != CBV_TEXT) {
			*why = "record: key not text";
			goto bad;
		}
		if (cbor_text_is(&k, "seq") || cbor_text_is(&k, "t") || cbor_text_is(&k, "kind") ||
		    cbor_text_is(&k, "host") || cbor_text_is(&k, "boot_id")) {
			const unsigned char *skip;
			size_t skip_len;

			if (cbor_next_skip(&c, &skip, &skip_len) < 0) {
				*why = "record: malformed";
				goto bad;
			}
			continue;
		}
		jb_raw(b, ",", 1);
		if (cbor_read(c.p, (size_t)(c.end - c.p), &v) && v.type == CBV_BYTES) {
			/* The key with "_b64" inside its quotes. */
			jb_str(b, k.p, (size_t)k.u);
			if (!b->full)
				b->len--;
			jb_raw(b, "_b64\":", 6);
		} else {
			jb_str(b, k.p, (size_t)k.u);
			jb_raw(b, ":", 1);
		}
		if (value(&c, b, 1, why) < 0)
			goto bad;
	}
	jb_raw(b, "}\n", 2);
	if (b->full) {
		b->len = mark;
		return -1;
	}
	return 0;
bad:
	b->len = mark;
	b->full = 0;
	return -2;
}

int record_invalid_json(const unsigned char *item, size_t len, uint64_t seq, const char *reason,
			const char *prefix, size_t prefix_len, struct jbuf *b)
{
	size_t at = b->len;

	jb_raw(b, prefix, prefix_len);
	jb_u64(b, seq);
	jb_cstr(b, ",\"kind\":\"invalid\",\"reason\":");
	jb_str(b, (const unsigned char *)reason, strlen(reason));
	jb_cstr(b, ",\"raw_b64\":");
	jb_b64(b, item, len);
	jb_cstr(b, "}\n");
	if (b->full) {
		b->len = at;
		return -1;
	}
	return 0;
}

size_t record_ack(unsigned char *out, uint64_t seq)
{
	static const unsigned char head[] = { 0xa1, 0x63, 'a', 'c', 'k' };
	size_t n = sizeof head, len;

	memcpy(out, head, n);
	if (seq < 24) {
		out[n++] = (unsigned char)seq;
		return n;
	}
	len = seq <= 0xff ? 1 : seq <= 0xffff ? 2 : seq <= 0xffffffff ? 4 : 8;
	out[n++] = (unsigned char)(len == 1 ? 24 : len == 2 ? 25 : len == 4 ? 26 : 27);
	for (size_t i = len; i > 0; i--)
		out[n++] = (unsigned char)(seq >> (8 * (i - 1)));
	return n;
}
