#ifndef STELE_SMBIOS_CRED_H
#define STELE_SMBIOS_CRED_H

#include <stddef.h>

/* Per-instance settings passed in SMBIOS type 11 ("OEM strings"), in
 * systemd's credential convention (systemd.exec(5), "Credentials"):
 *   io.systemd.credential:NAME=VALUE
 *   io.systemd.credential.binary:NAME=BASE64
 * QEMU: -smbios type=11,value=io.systemd.credential:NAME=VALUE */

#define CRED_NAME_MAX 64		/* with NUL */
#define CRED_VALUE_MAX 16384

/* The whole SMBIOS structure table, as /sys/firmware/dmi/tables/DMI holds
 * it (the kernel exposes it with DMI alone, no dmi-sysfs needed). Calls
 * fn(ctx, structure, len) for each structure of type type. Returns the
 * number found, or -1 if the table is malformed before its end. */
#define SMBIOS_TABLE_MAX (1 << 20)
int smbios_structures(const unsigned char *table, size_t len, int type,
		      void (*fn)(void *ctx, const unsigned char *s, size_t n), void *ctx);

/* Calls fn(ctx, string, len) for each string of the raw SMBIOS structure
 * raw[len] (as /sys/firmware/dmi/entries/11-N/raw holds it: header,
 * formatted area, then NUL-terminated strings ending in an empty one).
 * Returns the number of strings, or -1 if the structure is malformed. */
int smbios_strings(const unsigned char *raw, size_t len,
		   void (*fn)(void *ctx, const char *s, size_t n), void *ctx);

/* Calls fn(ctx, line, len) for each non-empty line of text[n] (instance
 * metadata: the same credentials as the SMBIOS strings, one per line),
 * without its LF or CR LF. Returns the number of lines. */
int cred_lines(const char *text, size_t n, void (*fn)(void *ctx, const char *s, size_t n),
	       void *ctx);

/* If s[n] is a credential, splits it: name (NUL-terminated, at most
 * CRED_NAME_MAX - 1 of [A-Za-z0-9._-]) and value (decoded from base64 for
 * the binary form) into value[CRED_VALUE_MAX], *vlen its length. Returns 1
 * for a credential, 0 for a string that is not one (other OEM strings are
 * none of stele's business), -1 for a malformed credential, with a reason
 * in why[160]. */
int cred_parse(const char *s, size_t n, char *name, unsigned char *value, size_t *vlen,
	       char *why);

#endif
