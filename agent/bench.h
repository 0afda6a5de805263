#ifndef STELE_AGENT_BENCH_H
#define STELE_AGENT_BENCH_H

struct agent;

/* `stele-agent --bench N`: ships N generated log records of about 100
 * bytes through the real ring and transport, waits until the collector has
 * acknowledged all of them, and prints the rate and CPU time. For make
 * bench; returns the exit status. */
int bench_run(struct agent *a, unsigned long n);

#endif
