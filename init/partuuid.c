#include "partuuid.h"

#include <string.h>

#include "hex.h"

static void format_uuid(char *out, const unsigned char b[16])
{
	char hex[33];

	hex_encode(hex, b, 16);
	memcpy(out, hex, 8);
	out[8] = '-';
	memcpy(out + 9, hex + 8, 4);
	out[13] = '-';
	memcpy(out + 14, hex + 12, 4);
	out[18] = '-';
	memcpy(out + 19, hex + 16, 4);
	out[23] = '-';
	memcpy(out + 24, hex + 20, 12);
	out[36] = '\0';
}

void partuuid_from_roothash(const unsigned char *roothash, size_t len,
			    char root[UUID_STR_LEN], char verity[UUID_STR_LEN])
{
	format_uuid(root, roothash);
	format_uuid(verity, roothash + len - 16);
}

int uuid_to_gpt_guid(const char *s, unsigned char guid[16])
{
	static const unsigned char order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
						 8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned char b[16];
	char hex[33];
	size_t n = 0;

	if (strlen(s) != 36)
		return -1;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash != (s[i] == '-'))
			return -1;
		if (!dash)
			hex[n++] = s[i];
	}
	hex[n] = '\0';
	if (hex_decode(b, 16, hex))
		return -1;
	for (int i = 0; i < 16; i++)
		guid[i] = b[order[i]];
	return 0;
}
