/*
 * The contents of the test image's boot ramdisk (made by make_ramdisk() in
 * tools/axrun.py, served by the memory driver as MEMORY_IMGRD): 32-bit
 * little-endian words, word k being imgrd_word(k), IMGRD_BYTES of them in
 * all; the driver pads the last partial sector with zeroes.  Every byte is
 * known from its position alone, so a reader can check any range, before
 * or after the driver restarted.
 */
#ifndef IMGRD_PATTERN_H
#define IMGRD_PATTERN_H

#include <ax/types.h>

#define IMGRD_BYTES (256 * 1024 + 1000)               /* RAMDISK_BYTES in axrun.py */
#define IMGRD_SIZE  ((IMGRD_BYTES + 511) / 512 * 512) /* as the driver serves it */

static inline uint32_t
imgrd_word(uint64_t k)
{
	return ((uint32_t)k * 0x9E3779B1u) ^ 0xA5A5A5A5u;
}

/* Fill buf with the pattern of [pos, pos + len): pos and len multiples of 4. */
static inline void
imgrd_fill(uint32_t *buf, uint64_t pos, size_t len)
{
	for (size_t i = 0; i < len / 4; i++)
		buf[i] = imgrd_word(pos / 4 + i);
}

/* Does buf hold the pattern of [pos, pos + len)? */
static inline bool
imgrd_check(const uint32_t *buf, uint64_t pos, size_t len)
{
	for (size_t i = 0; i < len / 4; i++)
		if (buf[i] != imgrd_word(pos / 4 + i))
			return false;
	return true;
}

#endif
