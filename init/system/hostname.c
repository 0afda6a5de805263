#include "hostname.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "run_file.h"

#define UUID_LEN 36

int hostname_from_uuid(const char *uuid, size_t len, char *out, size_t outlen)
{
	int zeros = 1, ones = 1;

	while (len > 0 && (uuid[len - 1] == '\n' || uuid[len - 1] == ' '))
		len--;
	if (len != UUID_LEN || outlen <= UUID_LEN)
		return -1;
	for (size_t i = 0; i < UUID_LEN; i++) {
		char c = uuid[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -1;
			out[i] = c;
			continue;
		}
		if (!isxdigit((unsigned char)c))
			return -1;
		zeros &= c == '0';
		ones &= c == 'f' || c == 'F';
		out[i] = (char)tolower((unsigned char)c);
	}
	out[UUID_LEN] = '\0';
	return zeros || ones ? -1 : 0;
}

static int from_dmi(char *out, size_t outlen)
{
	char buf[64];
	int fd = open("/sys/class/dmi/id/product_uuid", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf);
	close(fd);
	return n > 0 ? hostname_from_uuid(buf, (size_t)n, out, outlen) : -1;
}

void hostname_set(const char *from_cmdline)
{
	char name[64] = "stele";

	if (from_cmdline && from_cmdline[0])
		strncpy(name, from_cmdline, sizeof name - 1);
	else if (from_dmi(name, sizeof name) < 0)
		strcpy(name, "stele");
	if (sethostname(name, strlen(name)) < 0)
		say("cannot set the host name: %s", strerror(errno));
	else
		milestone("host name %s", name);
}

int hostname_pin(const char *name)
{
	return run_file_write("hostname", name, strlen(name), 0644);
}
