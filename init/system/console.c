#include "console.h"

#include <errno.h>
#include <string.h>
#include <termios.h>

#include "log.h"

void console_seal(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0) {
		if (errno != ENOTTY)	/* not a terminal: nothing can type on it */
			milestone("console: tcgetattr: %s", strerror(errno));
		return;
	}
	t.c_cflag &= ~(tcflag_t)CREAD;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(IXON | IXOFF | BRKINT);
	if (tcsetattr(fd, TCSANOW, &t) < 0 || tcflush(fd, TCIFLUSH) < 0)
		milestone("console: cannot turn the receiver off: %s", strerror(errno));
}
