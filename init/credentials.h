#ifndef STELE_CREDENTIALS_H
#define STELE_CREDENTIALS_H

#include <stddef.h>

/* Per-instance settings and secrets, handed to the agent's user as files
 * /run/stele/credentials/NAME (mode 0400, in a directory only it enters).
 * They come from SMBIOS type 11 strings (systemd's credential convention,
 * smbios_cred.h) first; what the image bakes in /etc/stele/credentials/
 * (root-only) fills in the names SMBIOS did not give. The names:
 *   stele.collector   HOST:PORT[/NAME][,...]: the agent's collectors
 *   stele.hostname    the host name (unless stele.hostname= is given)
 *   stele.agent.crt   the agent's certificate (PEM)
 *   stele.agent.key   the agent's private key (PEM)
 * Anything else, or a value that does not validate, is reported on the
 * console and ignored. */
#define CREDENTIALS_IMAGE "/etc/stele/credentials"
#define CREDENTIALS_RUN "/run/stele/credentials"
#define CREDENTIALS_SMBIOS "/sys/firmware/dmi/tables/DMI"
#define CREDENTIAL_MAX 16384

/* Installs them for uid/gid. hostname[len] gets the stele.hostname
 * credential, or "" if there is none. Returns the number installed. */
int credentials_install(unsigned uid, unsigned gid, char *hostname, size_t len);

/* 0 if value[n] is acceptable for credential name, else -1 with a reason
 * in why[160]. */
int credential_check(const char *name, const unsigned char *value, size_t n, char *why);

#endif
