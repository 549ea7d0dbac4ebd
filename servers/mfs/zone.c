/*
 * A file's zones: bmap() maps block n of a file to its zone through the
 * seven direct zones and the single, double and triple indirect blocks;
 * bmap_at(..., true) fills holes on the way with new zones.  Every zone
 * number followed is checked to lie inside the data area (zone_ok), so a
 * corrupt pointer is EIO, never a wild read.  free_zones() truncates a
 * file to nothing.  Entry points: zone_ok, bmap, bmap_at, free_zones.
 */
#include <string.h>
#include "mfs.h"

/* A zone a file may point at: inside the data area.  0 (a hole) is not. */
bool
zone_ok(uint32_t zone)
{
	return zone >= fs.sb.s_firstdatazone && zone < fs.sb.s_zones;
}

/*
 * The zone holding block `n` of the file: 0 for a hole, -EIO when a zone
 * number on the way points outside the data area.  With `alloc`, a hole
 * (and the indirect blocks on the way) is filled with new zeroed zones,
 * each pointed to as soon as it is taken; -ENOSPC when none is left.
 */
int64_t
bmap_at(struct inode *in, uint64_t n, bool alloc)
{
	uint64_t per = fs.bs / 4;
	uint32_t *slot, zone;
	int levels;

	if (n < MFS_NR_DZONES) {
		slot = &in->i_d.i_zone[n];
		levels = 0;
	} else if ((n -= MFS_NR_DZONES) < per) {
		slot = &in->i_d.i_zone[7];
		levels = 1;
	} else if ((n -= per) < per * per) {
		slot = &in->i_d.i_zone[8];
		levels = 2;
	} else if ((n -= per * per) < per * per * per) {
		slot = &in->i_d.i_zone[9];
		levels = 3;
	} else {
		return alloc ? -EFBIG : -EIO;
	}
	zone = *slot;
	if (zone == 0 && alloc) {
		int64_t z = alloc_zone();
		int r;

		if (z < 0)
			return z;
		zone = *slot = (uint32_t)z;
		if ((r = write_inode(in)) < 0)
			return r;
	}
	for (;;) {
		const uint8_t *block;
		uint64_t span = 1, idx;
		uint32_t next;

		if (zone == 0)
			return 0;
		if (!zone_ok(zone))
			return -EIO;
		if (levels == 0)
			return zone;
		for (int l = 1; l < levels; l++)
			span *= per;
		idx = n / span;
		if (!(block = get_block(zone)))
			return -EIO;
		memcpy(&next, block + idx * 4, 4);
		if (next == 0 && alloc) {
			int64_t z = alloc_zone();
			uint8_t *w;

			if (z < 0)
				return z;
			next = (uint32_t)z;
			if (!(w = get_block_rw(zone, true)))
				return -EIO;
			memcpy(w + idx * 4, &next, 4);
		}
		zone = next;
		n %= span;
		levels--;
	}
}

int64_t
bmap(const struct inode *in, uint64_t n)
{
	return bmap_at((struct inode *)in, n, false);
}

/* Free the zones under one pointer of level `level` (0: a data zone). */
static int
free_tree(uint32_t zone, int level)
{
	static uint32_t ptrs[3]
			    [MFS_MAX_BLOCK / 4]; /* one per level: no block is held across calls */
	const uint8_t *block;
	int r = 0;

	if (zone == 0)
		return 0;
	if (!zone_ok(zone))
		return -EIO;
	if (level > 0) {
		if (!(block = get_block(zone)))
			return -EIO;
		memcpy(ptrs[level - 1], block, fs.bs);
		for (uint32_t i = 0; i < fs.bs / 4; i++)
			if (free_tree(ptrs[level - 1][i], level - 1) < 0)
				r = -EIO;
	}
	if (free_zone(zone) < 0)
		r = -EIO;
	return r;
}

/* Truncate to nothing: every zone freed, the pointers cleared. */
int
free_zones(struct inode *in)
{
	static const int level[MFS_NR_ZONES] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 };
	int r = 0;

	if (is_type(in, MFS_S_IFREG) || is_type(in, MFS_S_IFDIR) || is_type(in, MFS_S_IFLNK)) {
		for (int i = 0; i < MFS_NR_ZONES; i++) {
			if (free_tree(in->i_d.i_zone[i], level[i]) < 0)
				r = -EIO;
			in->i_d.i_zone[i] = 0;
		}
	}
	in->i_d.i_size = 0;
	if (write_inode(in) < 0)
		r = -EIO;
	return r;
}
