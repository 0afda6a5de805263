#ifndef STELE_CONSOLE_H
#define STELE_CONSOLE_H

/* Turns the console's receiver off (termios CREAD) and with it echo, line
 * editing and signal keys: what is typed on the console is dropped by the
 * driver and never reaches any process. fd is PID 1's write-only console. */
void console_seal(int fd);

#endif
