#include "cmdline_word.h"

#include <string.h>

#define WORD_MAX 2048			/* the kernel's COMMAND_LINE_SIZE */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

const char *cmdline_next(const char *p, char *word, size_t cap, int *cut)
{
	size_t n = 0;
	int quoted = 0;

	if (cut)
		*cut = 0;
	while (is_space(*p))
		p++;
	for (; *p && (quoted || !is_space(*p)); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (n + 1 < cap)
			word[n++] = *p;
		else if (cut)
			*cut = 1;
	}
	word[n] = '\0';
	while (is_space(*p))
		p++;
	return p;
}

int cmdline_find(const char *line, const char *key, char *out, size_t cap)
{
	size_t klen = strlen(key);
	int found = 0;

	for (const char *p = line; *p;) {
		char word[WORD_MAX];
		int cut;
		size_t n;

		p = cmdline_next(p, word, sizeof word, &cut);
		n = strlen(word);
		if (n <= klen || memcmp(word, key, klen) != 0 || word[klen] != '=')
			continue;
		if (cut || n - klen - 1 >= cap) {
			found = -1;
		} else {
			memcpy(out, word + klen + 1, n - klen);
			found = 1;
		}
	}
	return found;
}
