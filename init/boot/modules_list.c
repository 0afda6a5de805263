#include "modules.h"

#include <stdio.h>
#include <string.h>

#include "power.h"

static int valid_name(const char *s, size_t len)
{
	if (len <= 3 || len >= MODULE_NAME_MAX || memcmp(s + len - 3, ".ko", 3) != 0)
		return 0;
	for (size_t i = 0; i < len - 3; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int modules_list_parse(const char *text, size_t len, struct module_list *list, char *why)
{
	size_t pos = 0;

	list->count = 0;
	while (pos < len) {
		const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - line) : len - pos;
		int lineno = list->count + 1;

		if (list->count == MODULES_MAX) {
			snprintf(why, REASON_MAX, "%s: more than %d modules", MODULES_LIST, MODULES_MAX);
			return -1;
		}
		if (!valid_name(line, n)) {
			snprintf(why, REASON_MAX, "%s line %d: not a module file name", MODULES_LIST,
				 lineno);
			return -1;
		}
		memcpy(list->name[list->count], line, n);
		list->name[list->count][n] = '\0';
		list->count++;
		pos += n + 1;
	}
	return 0;
}
