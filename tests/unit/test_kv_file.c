/* lib/kv_file: the "key = value" walk both service definitions and
 * agent.conf are made of. What each line gives the setters, and the exact
 * line every refusal writes: file, line, key, reason. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "kv_file.h"

#define WHY_MAX 200

struct seen {
	char name[64], tags[128], size[64];
	unsigned n_tags, n_size;
};

static struct seen got;
static char why[WHY_MAX];

static int set_name(struct kv_file *f, char *v)
{
	struct seen *s = f->ctx;

	snprintf(s->name, sizeof s->name, "%s", v);
	return 0;
}

static int set_tag(struct kv_file *f, char *v)
{
	struct seen *s = f->ctx;
	size_t n = strlen(s->tags);

	snprintf(s->tags + n, sizeof s->tags - n, "%s[%s]", n ? "," : "", v);
	s->n_tags++;
	return 0;
}

static int set_size(struct kv_file *f, char *v)
{
	struct seen *s = f->ctx;

	snprintf(s->size, sizeof s->size, "%s", v);
	s->n_size++;
	return 0;
}

static int set_fail(struct kv_file *f, char *v)
{
	return kv_bad(f, "fail", "refused", v);
}

static const struct kv_key keys[] = {
	{ "name", set_name, 0 },
	{ "tag", set_tag, KV_REPEAT },
	{ "size", set_size, KV_VALUE },
	{ "fail", set_fail, 0 },
};

/* Lines of at most 31 bytes, files of at most 256. */
static const struct kv_table table = { keys, sizeof keys / sizeof keys[0], 32, 256 };

static struct kv_file file(void)
{
	memset(&got, 0, sizeof got);
	why[0] = '\0';
	return (struct kv_file){ .t = &table, .name = "f.conf", .why = why, .why_cap = sizeof why,
				 .ctx = &got };
}

static int parse_n(const char *text, size_t len, struct kv_file *f)
{
	check_what = text;
	*f = file();
	return kv_parse(f, text, len);
}

static int parse(const char *text, struct kv_file *f)
{
	return parse_n(text, strlen(text), f);
}

static void test_lines(void)
{
	struct kv_file f;

	CHECK_INT(0, parse("# a comment\n"
			   "\n"
			   "  name=  web server  \r\n"
			   "\t# indented comment\n"
			   "tag = a=b\n"
			   "tag =\n"
			   "tag\t=\tlast", &f));
	CHECK_STR("web server", got.name);
	CHECK_STR("[a=b],[],[last]", got.tags);
	CHECK_INT(3, got.n_tags);
	CHECK_INT(0, got.n_size);
	CHECK(kv_given(&f, "name"));
	CHECK(kv_given(&f, "tag"));
	CHECK(!kv_given(&f, "size"));
	CHECK(!kv_given(&f, "nosuchkey"));
	CHECK_INT(0, f.line);			/* the caller's checks name the file */

	CHECK_INT(0, parse("", &f));
	CHECK_INT(0, parse("\n\n\r\n   \n", &f));
	CHECK(!kv_given(&f, "name"));
}

/* Every refusal, exactly as the operator reads it. */
static void test_refusals(void)
{
	static const struct { const char *text, *why; } cases[] = {
		{ "name = a\nbogus = 1\n", "f.conf:2: bogus: unknown key" },
		{ "name = a\n# c\nname = b\n", "f.conf:3: name: given twice" },
		{ "size =\n", "f.conf:1: size: no value" },
		{ "size = 1\nsize = \n", "f.conf:2: size: given twice" },
		{ "name = a\njust words\n", "f.conf:2: expected key = value" },
		{ " = 3\n", "f.conf:1: expected key = value" },
		{ "tag = x\n\nfail = it\n", "f.conf:3: fail: refused 'it'" },
		{ "Name = a\n", "f.conf:1: Name: unknown key" },
		{ "name = 0123456789abcdefghijklmno\n", "f.conf:1: line longer than 31 bytes" },
	};
	struct kv_file f;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(-1, parse(cases[i].text, &f));
		CHECK_STR(cases[i].why, why);
	}
	check_what = NULL;
}

static void test_limits(void)
{
	char text[300];
	struct kv_file f;

	/* 31 bytes is a line; so is a last line without its newline. */
	CHECK_INT(0, parse("name = 0123456789abcdefghijklmn\n", &f));
	CHECK_STR("0123456789abcdefghijklmn", got.name);
	CHECK_INT(0, parse("name = 0123456789abcdefghijklmn", &f));

	/* 256 bytes is a file, 257 is not. */
	memset(text, '#', sizeof text);
	for (size_t i = 16; i < sizeof text; i += 16)
		text[i] = '\n';
	CHECK_INT(0, parse_n(text, 256, &f));
	CHECK_INT(-1, parse_n(text, 257, &f));
	CHECK_STR("f.conf: larger than 256 bytes", why);

	CHECK_INT(-1, parse_n("name = a\0b\n", 11, &f));
	CHECK_STR("f.conf: NUL byte in file", why);

	/* Only len bytes are read: the text need not end in NUL. */
	CHECK_INT(0, parse_n("name = abcdef", 9, &f));
	CHECK_STR("ab", got.name);
}

static void test_bad_format(void)
{
	char small[24];
	struct kv_file f = file();
	char detail[100];

	CHECK_INT(-1, kv_bad(&f, NULL, "no exec", NULL));
	CHECK_STR("f.conf: no exec", why);
	f.line = 7;
	CHECK_INT(-1, kv_bad(&f, "ca", "missing", NULL));
	CHECK_STR("f.conf:7: ca: missing", why);
	CHECK_INT(-1, kv_bad(&f, NULL, "restart must be always, not", "x"));
	CHECK_STR("f.conf:7: restart must be always, not 'x'", why);

	/* The detail is cut at 60 bytes; the line at the caller's buffer. */
	memset(detail, 'd', sizeof detail - 1);
	detail[sizeof detail - 1] = '\0';
	CHECK_INT(-1, kv_bad(&f, "k", "r", detail));
	CHECK_INT(strlen("f.conf:7: k: r ''") + 60, strlen(why));
	f.why = small;
	f.why_cap = sizeof small;
	CHECK_INT(-1, kv_bad(&f, "key", "a reason longer than the buffer", NULL));
	CHECK_INT(sizeof small - 1, strlen(small));
}

int main(void)
{
	test_lines();
	test_refusals();
	test_limits();
	test_bad_format();
	return check_done();
}
