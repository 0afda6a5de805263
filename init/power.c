#include "power.h"

#include <sys/reboot.h>
#include <unistd.h>

#include "log.h"

_Noreturn void power_act(enum power_action action)
{
	static const int cmd[] = {
		[POWER_OFF] = RB_POWER_OFF,
		[POWER_REBOOT] = RB_AUTOBOOT,
		[POWER_HALT] = RB_HALT_SYSTEM,
	};

	sync();
	reboot(cmd[action]);
	milestone("reboot(%d) failed; halting here", cmd[action]);
	for (;;)
		pause();
}

_Noreturn void refuse_boot(enum power_action action, const char *reason)
{
	say("refusing to boot: %s", reason);
	milestone("refusing to boot: %s", reason);
	power_act(action);
}
