#include "source.h"

#include <stdio.h>
#include <string.h>

#include "cmdline_word.h"

static int vendor_is(const char *v, size_t n, const char *want)
{
	while (n > 0 && (v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	return n == strlen(want) && memcmp(v, want, n) == 0;
}

enum md_source md_select(const char *cmdline, const char *vendor, size_t n, char *why)
{
	char val[16];
	int found = cmdline_find(cmdline, "stele.metadata", val, sizeof val);

	why[0] = '\0';
	if (found > 0 && strcmp(val, "aws") == 0)
		return MD_AWS;
	if (found > 0 && strcmp(val, "gce") == 0)
		return MD_GCE;
	if (found > 0 && strcmp(val, "off") == 0)
		return MD_OFF;
	if (found != 0) {
		snprintf(why, 160, "stele.metadata=%s: want aws, gce or off; off",
			 found > 0 ? val : "(too long)");
		return MD_OFF;
	}
	if (vendor_is(vendor, n, "Amazon EC2"))
		return MD_AWS;
	if (vendor_is(vendor, n, "Google"))
		return MD_GCE;
	return MD_OFF;
}
