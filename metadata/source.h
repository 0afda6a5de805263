#ifndef STELE_METADATA_SOURCE_H
#define STELE_METADATA_SOURCE_H

#include <stddef.h>

/* Which cloud's instance metadata holds this machine's credentials. */
enum md_source { MD_OFF, MD_AWS, MD_GCE };

#define MD_VENDOR_PATH "/sys/class/dmi/id/sys_vendor"

/* stele.metadata=aws|gce|off on the kernel command line cmdline wins;
 * else the DMI system vendor vendor[n] ("Amazon EC2", "Google", a newline
 * or not) names the cloud; else off. A stele.metadata= value that is none
 * of those is off, with a reason in why[160] (else why is ""). */
enum md_source md_select(const char *cmdline, const char *vendor, size_t n, char *why);

#endif
