/* Test service: PCR 15 of every PCR bank the kernel shows
 * (/sys/class/tpm/tpm0/pcr-ALG/15), one line each,
 *   pcrbanks: pcr-sha256/15 HEX
 * then "pcrbanks: done N banks" (or "pcrbanks: no TPM"): the guest's own
 * view, for tests/qemu/measured-boot-banks to hold against stage 1's
 * measurement in each bank. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define TPM "/sys/class/tpm/tpm0"

static int print_bank(const char *bank)
{
	char path[300], hex[160];
	int fd;
	ssize_t n;

	snprintf(path, sizeof path, TPM "/%s/15", bank);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, hex, sizeof hex - 1);
	close(fd);
	if (n <= 0)
		return -1;
	hex[n] = '\0';
	hex[strcspn(hex, "\n")] = '\0';
	printf("pcrbanks: %s/15 %s\n", bank, hex);
	return 0;
}

int main(void)
{
	DIR *d = opendir(TPM);
	struct dirent *e;
	int banks = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!d) {
		printf("pcrbanks: no TPM\n");
		return 0;
	}
	while ((e = readdir(d)))
		if (strncmp(e->d_name, "pcr-", 4) == 0 && print_bank(e->d_name) == 0)
			banks++;
	closedir(d);
	printf("pcrbanks: done %d banks\n", banks);
	return 0;
}
