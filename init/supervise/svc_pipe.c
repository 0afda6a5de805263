#include "svc_pipe.h"

#include <fcntl.h>
#include <unistd.h>

size_t svc_pipe(int *rfd, int *pass)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
		return 0;
	*rfd = p[0];
	pass[0] = p[1];
	return 1;
}
