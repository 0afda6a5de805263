#include "opt_number.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

int opt_number(unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(optarg, &end, 10);
	if (errno || *end || end == optarg || optarg[0] == '-' || n < lo || n > hi)
		return -1;
	*out = n;
	return 0;
}
