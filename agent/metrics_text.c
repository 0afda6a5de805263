/* What every metrics parser shares: reading a /proc file whole, and
 * walking its text by lines and words within bounds. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "metrics_parse.h"

const char *metrics_read(const char *path, size_t *len)
{
	static char buf[METRICS_FILE_MAX];
	size_t n = 0;
	ssize_t r = 1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while (n < sizeof buf && r != 0) {
		r = read(fd, buf + n, sizeof buf - n);
		if (r < 0 && errno != EINTR) {
			close(fd);
			return NULL;
		}
		if (r > 0)
			n += (size_t)r;
	}
	close(fd);
	if (n == sizeof buf) {
		while (n > 0 && buf[n - 1] != '\n')
			n--;
	}
	*len = n;
	return buf;
}

int mtext_line(struct mtext *t, struct mtext *line)
{
	const char *nl;

	if (t->p >= t->end)
		return 0;
	nl = memchr(t->p, '\n', (size_t)(t->end - t->p));
	line->p = t->p;
	line->end = nl ? nl : t->end;
	t->p = nl ? nl + 1 : t->end;
	return 1;
}

size_t mtext_word(struct mtext *t, const char **w)
{
	const char *s = t->p;

	while (s < t->end && (*s == ' ' || *s == '\t'))
		s++;
	*w = s;
	while (s < t->end && *s != ' ' && *s != '\t')
		s++;
	t->p = s;
	return (size_t)(s - *w);
}

int mtext_u64(const char *s, size_t n, uint64_t *v)
{
	*v = 0;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || *v > (UINT64_MAX - d) / 10)
			return 0;
		*v = *v * 10 + d;
	}
	return 1;
}

/* The fraction as an integer over a power of ten, divided once, so that
 * "0.15" is the double nearest 0.15. */
int mtext_dec(const char *s, size_t n, double *v)
{
	uint64_t frac = 0, scale = 1;
	size_t i = 0, start;

	*v = 0;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		*v = *v * 10 + (s[i] - '0');
	if (i == 0)
		return 0;
	if (i < n && s[i] == '.') {
		for (start = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			if (scale < 1000000000000000000ULL) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				scale *= 10;
			}
		}
		if (i == start)
			return 0;
		*v += (double)frac / (double)scale;
	}
	return i == n;
}

int mtext_next_u64(struct mtext *t, uint64_t *v)
{
	const char *w;
	size_t n = mtext_word(t, &w);

	return mtext_u64(w, n, v);
}

int mtext_next_dec(struct mtext *t, double *v)
{
	const char *w;
	size_t n = mtext_word(t, &w);

	return mtext_dec(w, n, v);
}

int mtext_copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return 0;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 1;
}
