#include "caps.h"

#include <stddef.h>
#include <strings.h>

/* Indexed by number, as in linux/capability.h; names without "CAP_". */
static const char *const names[CAPS_LAST + 1] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
	"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
	"BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int cap_by_name(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) != 0)
		return -1;
	for (int i = 0; i <= CAPS_LAST; i++)
		if (strcasecmp(name + 4, names[i]) == 0)
			return i;
	return -1;
}

const char *cap_name(int n)
{
	return n >= 0 && n <= CAPS_LAST ? names[n] : NULL;
}
