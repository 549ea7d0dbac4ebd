/*
 * The inode and zone bitmaps (from block 2: the inode map, then the zone
 * map; bit 0 of each is reserved).  Allocation keeps the maps true at
 * every step (the bit is taken before the inode or zone is used, cleared
 * after it is let go), so that fsck.minix -f finds a synced image clean;
 * fs.isearch and fs.zsearch remember where the lowest free bit may be.
 * Entry points: alloc_bit, free_bit, count_free, alloc_zone, free_zone.
 */
#include <string.h>
#include "mfs.h"

/*
 * Take the lowest clear bit in [*hint, limit) of the bitmap starting at
 * block `first` (bit 0 is reserved): the bit, or -ENOSPC.  Nothing below
 * *hint is free, which allocation and free_bit keep true.
 */
int64_t
alloc_bit(uint32_t first, uint64_t limit, uint64_t *hint)
{
	uint64_t bits_per = (uint64_t)fs.bs * 8;

	for (uint64_t bit = *hint < 1 ? 1 : *hint; bit < limit;) {
		uint64_t blk = bit / bits_per, end = (blk + 1) * bits_per;
		const uint8_t *map = get_block(first + blk);

		if (!map)
			return -EIO;
		if (end > limit)
			end = limit;
		for (; bit < end; bit++) {
			uint64_t b = bit % bits_per;
			uint8_t *w;

			if (b % 8 == 0 && map[b / 8] == 0xff && bit + 8 <= end) {
				bit += 7;
				continue;
			}
			if (map[b / 8] & (1u << (b % 8)))
				continue;
			if (!(w = get_block_rw(first + blk, true)))
				return -EIO;
			w[b / 8] |= (uint8_t)(1u << (b % 8));
			*hint = bit + 1;
			return (int64_t)bit;
		}
	}
	return -ENOSPC;
}

int
free_bit(uint32_t first, uint64_t bit, uint64_t *hint)
{
	uint64_t bits_per = (uint64_t)fs.bs * 8, b = bit % bits_per;
	uint8_t *w = get_block_rw(first + bit / bits_per, true);

	if (!w)
		return -EIO;
	w[b / 8] &= (uint8_t) ~(1u << (b % 8));
	if (bit < *hint)
		*hint = bit;
	return 0;
}

static uint32_t
zmap_block(void)
{
	return 2u + fs.sb.s_imap_blocks;
}

/* A new zone, zeroed, marked in the zone map: its number, or -ENOSPC/-EIO. */
int64_t
alloc_zone(void)
{
	int64_t bit = alloc_bit(zmap_block(), (uint64_t)fs.sb.s_zones - fs.sb.s_firstdatazone + 1,
				&fs.zsearch);
	uint32_t zone;
	uint8_t *block;

	if (bit < 0)
		return bit;
	zone = (uint32_t)(fs.sb.s_firstdatazone + bit - 1);
	if (!(block = get_block_rw(zone, false)))
		return -EIO;
	memset(block, 0, fs.bs);
	return zone;
}

int
free_zone(uint32_t zone)
{
	if (!zone_ok(zone))
		return -EIO; /* never clear a bit for a zone outside the data area */
	return free_bit(zmap_block(), zone - fs.sb.s_firstdatazone + 1, &fs.zsearch);
}

/*
 * Free bits of a bitmap, bits 1..limit-1 (bit 0 is reserved).  One cache
 * look-up per bitmap block, not per bit: statfs on an 18 MiB disk took
 * 56 M instructions that way, long enough for RS to take MFS for hung.
 */
int64_t
count_free(uint32_t first_block, uint64_t limit)
{
	uint64_t free_bits = 0, bits_per = (uint64_t)fs.bs * 8;

	for (uint64_t base = 0; base < limit; base += bits_per) {
		const uint8_t *block = get_block(first_block + base / bits_per);
		uint64_t end = limit - base < bits_per ? limit - base : bits_per;

		if (!block)
			return -EIO;
		for (uint64_t b = base == 0 ? 1 : 0; b < end; b++)
			if (!(block[b / 8] & (1u << (b % 8))))
				free_bits++;
	}
	return (int64_t)free_bits;
}
