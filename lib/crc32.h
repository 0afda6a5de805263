#ifndef STELE_CRC32_H
#define STELE_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, as in GPT and zlib). Start with crc = 0 and feed the
 * previous result back in to continue over several buffers. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
