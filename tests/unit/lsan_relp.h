#ifndef STELE_TESTS_LSAN_RELP_H
#define STELE_TESTS_LSAN_RELP_H

/* LeakSanitizer: librelp 1.11 does not free a client's permitted-peer
 * arrays (sink/relp_out.h); those are its leaks, not ours. For the test
 * programs that use the RELP client; include once. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:librelp.so\n";
}

const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

#endif
