#include "resolv_conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dhcp_msg.h"
#include "ip_param.h"

size_t resolv_conf_format(char *buf, size_t cap, const uint32_t *dns, size_t n, const char *domain)
{
	size_t len;
	char a[16];
	int k = snprintf(buf, cap, "# written by stele-net\n");

	if (domain[0] && dns_name_ok(domain, strlen(domain), DHCP_DOMAIN_MAX) && k >= 0 && (size_t)k < cap)
		k += snprintf(buf + k, cap - (size_t)k, "search %s\n", domain);
	for (size_t i = 0; i < n && k >= 0 && (size_t)k < cap; i++)
		k += snprintf(buf + k, cap - (size_t)k, "nameserver %s\n", ip4_format(a, dns[i]));
	len = k < 0 ? cap : (size_t)k;
	return len < cap ? len : 0;
}

int resolv_conf_write(const char *path, const uint32_t *dns, size_t n, const char *domain)
{
	char text[RESOLV_CONF_MAX], tmp[64];
	size_t len = resolv_conf_format(text, sizeof text, dns, n, domain);
	int fd, saved, ok;

	if (len == 0 || snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	errno = EIO;			/* what a short write leaves */
	ok = fchmod(fd, 0644) == 0 && write(fd, text, len) == (ssize_t)len;
	saved = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		saved = errno;
	}
	if (ok && rename(tmp, path) == 0)
		return 0;
	if (ok)
		saved = errno;
	unlink(tmp);
	errno = saved;
	return -1;
}
