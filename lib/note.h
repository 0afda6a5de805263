#ifndef STELE_NOTE_H
#define STELE_NOTE_H

/* One line on stdout for a built-in service whose stdout is a pipe PID 1
 * reads (its NAME[out] lines): written with one write(2), cut at 255
 * bytes. A failed write is dropped: there is no one else to tell. */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
