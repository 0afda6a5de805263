#include "image_word.h"

int image_version_ok(const char *s, size_t n)
{
	if (n == 0 || n > IMAGE_VERSION_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || !(c == '.' || c == '_' || c == '~' || c == '+' || c == '-')))
			return 0;
	}
	return 1;
}

int image_hex_copy(char *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
			out[0] = '\0';
			return -1;
		}
		out[i] = c;
	}
	out[n] = '\0';
	return 0;
}

int image_pcr_copy(char *out, const char *s, size_t n)
{
	out[0] = '\0';
	return n == IMAGE_PCR_HEX ? image_hex_copy(out, s, n) : -1;
}
