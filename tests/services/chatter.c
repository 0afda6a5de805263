/* Test service "chatter": a few lines on stdout and stderr, one longer than
 * PID 1's line limit, one with bytes that are not text, then exit status 3
 * (restart = on-failure: PID 1 restarts it, with growing delays). */
#include <string.h>
#include <unistd.h>

#define LONG_LINE 5000

static void put(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void say(int fd, const char *s) { put(fd, s, strlen(s)); }

int main(void)
{
	static char line[LONG_LINE + 1];
	static const char bin[] = "bin:\x01\x02\xff\n";

	say(1, "chatter: line 1\n");
	say(1, "chatter: line 2\n");
	say(1, "chatter: line 3\n");
	say(2, "chatter: to stderr\n");
	memset(line, 'x', LONG_LINE);
	line[LONG_LINE] = '\n';
	put(1, line, sizeof line);
	put(1, bin, sizeof bin - 1);
	return 3;
}
