#ifndef STELE_CREDENTIALS_H
#define STELE_CREDENTIALS_H

/* Secrets baked into the image (/etc/stele/credentials/NAME, root-only)
 * are handed to the one user that needs them: copied to
 * /run/stele/credentials/NAME, owned by that user, mode 0400, in a
 * directory only it can enter. Files over CREDENTIAL_MAX are refused. */
#define CREDENTIALS_IMAGE "/etc/stele/credentials"
#define CREDENTIALS_RUN "/run/stele/credentials"
#define CREDENTIAL_MAX 65536

/* Returns the number copied; problems are reported on the console. */
int credentials_install(unsigned uid, unsigned gid);

#endif
