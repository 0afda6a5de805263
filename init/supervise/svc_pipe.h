#ifndef STELE_SVC_PIPE_H
#define STELE_SVC_PIPE_H

#include <stddef.h>

/* A pipe a built-in service writes what it found into, for PID 1 to check
 * (metadata.h, net_facts.h). Its write end, pass[0], becomes the
 * service's fd 3 and stays open in the supervisor's table, so the pipe
 * outlives each run and PID 1's reads end at EAGAIN, never at EOF; the
 * read end, *rfd, never blocks PID 1. Returns the number of fds to pass
 * (1), or 0 with errno. */
size_t svc_pipe(int *rfd, int *pass);

#endif
