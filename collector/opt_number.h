#ifndef STELE_COLLECTOR_OPT_NUMBER_H
#define STELE_COLLECTOR_OPT_NUMBER_H

/* optarg (getopt's) as a decimal number in [lo, hi]: 0 with *out set,
 * or -1 (a sign, other characters, out of range). */
int opt_number(unsigned long lo, unsigned long hi, unsigned long *out);

#endif
