#ifndef STELE_CREDENTIALS_H
#define STELE_CREDENTIALS_H

#include <stddef.h>

/* Per-instance settings and secrets, handed to the agent's user as files
 * /run/stele/credentials/NAME (mode 0400, in a directory only it enters).
 * They come from SMBIOS type 11 strings (systemd's credential convention,
 * smbios_cred.h) first, then from the cloud's instance metadata (the same
 * strings, one per line, fetched by the unprivileged stele-metadata);
 * what the image bakes in /etc/stele/credentials/ (root-only) fills in
 * the names neither gave. The names:
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

/* Each installs one source's credentials for uid/gid, in this order (a
 * name installed by an earlier one is kept), and returns how many it
 * installed. hostname[len] gets the stele.hostname credential the source
 * installed, or "". credentials_from_smbios creates the directory. */
int credentials_from_smbios(unsigned uid, unsigned gid, char *hostname, size_t len);
/* text[n]: credential lines; source names them on the console. */
int credentials_from_text(const char *source, const char *text, size_t n, unsigned uid,
			  unsigned gid, char *hostname, size_t len);
int credentials_from_image(unsigned uid, unsigned gid);

/* 0 if value[n] is acceptable for credential name, else -1 with a reason
 * in why[160]. */
int credential_check(const char *name, const unsigned char *value, size_t n, char *why);

#endif
