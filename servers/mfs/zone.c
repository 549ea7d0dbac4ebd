/*
 * A file's zones: bmap() maps block n of a file to its zone through the
 * seven direct zones and the single, double and triple indirect blocks;
 * bmap_at(..., true) fills holes on the way with new zones.  Every zone
 * number followed is checked to lie inside the data area (zone_ok), so a
 * corrupt pointer is EIO, never a wild read.  truncate_to() cuts a file
 * to any size (the zones past it freed, an indirect block left empty
 * freed too, the tail of the last block zeroed), free_zones() to nothing.
 * Entry points: zone_ok, bmap, bmap_at, truncate_to, free_zones.
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

/*
 * Free the zones holding file blocks >= first under *slot, a pointer of
 * `level` (0: a data zone) whose tree holds the file's blocks from `base`
 * on; *slot is cleared if nothing is left under it.  The walk visits only
 * the pointers that are set, so a sparse file of 2 GiB costs no more than
 * its zones.
 */
static int
trunc_tree(uint32_t *slot, int level, uint64_t base, uint64_t first)
{
	static uint32_t ptrs[3][MFS_MAX_BLOCK / 4]; /* one per level, as free_tree's */
	uint64_t per = fs.bs / 4, span = 1, child;
	uint32_t *p;
	bool changed = false, empty = true;
	uint8_t *w;
	const uint8_t *block;
	int r = 0;

	for (int l = 0; l < level; l++)
		span *= per;
	if (*slot == 0 || base + span <= first)
		return 0;
	if (base >= first) {
		r = free_tree(*slot, level);
		*slot = 0;
		return r;
	}
	/* Part of this tree stays: level > 0 here. */
	if (!zone_ok(*slot) || !(block = get_block(*slot)))
		return -EIO;
	p = ptrs[level - 1];
	memcpy(p, block, fs.bs);
	child = span / per;
	for (uint64_t i = 0; i < per; i++) {
		uint32_t old = p[i];

		if (old != 0 && base + (i + 1) * child > first) {
			if (trunc_tree(&p[i], level - 1, base + i * child, first) < 0)
				r = -EIO;
			changed |= p[i] != old;
		}
		empty &= p[i] == 0;
	}
	if (empty) {
		if (free_zone(*slot) < 0)
			r = -EIO;
		*slot = 0;
	} else if (changed) {
		if (!(w = get_block_rw(*slot, true)))
			return -EIO;
		memcpy(w, p, fs.bs);
	}
	return r;
}

/*
 * The file cut (or grown, with a hole) to `size`: the zones past it
 * freed and their pointers cleared, as fsck.minix wants, and the tail of
 * the last block zeroed, so that growing the file again reads zeroes.
 */
int
truncate_to(struct inode *in, uint64_t size)
{
	static const int level[MFS_NR_ZONES] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 };
	uint64_t per = fs.bs / 4, first = (size + fs.bs - 1) / fs.bs, base = 0;
	int r = 0;

	page_drop(in->i_num);
	/* Always walked: a zone a failed write took past the size goes too. */
	for (int i = 0; i < MFS_NR_ZONES; i++) {
		if (trunc_tree(&in->i_d.i_zone[i], level[i], base, first) < 0)
			r = -EIO;
		base += level[i] == 0 ? 1 : level[i] == 1 ? per : level[i] == 2 ? per * per : 0;
	}
	if (size % fs.bs != 0) {
		int64_t zone = bmap(in, size / fs.bs);
		uint8_t *w;

		if (zone < 0)
			r = (int)zone;
		else if (zone > 0 && (w = get_block_rw((uint64_t)zone, true)) != NULL)
			memset(w + size % fs.bs, 0, fs.bs - size % fs.bs);
		else if (zone > 0)
			r = -EIO;
	}
	in->i_d.i_size = (uint32_t)size;
	if (write_inode(in) < 0)
		r = -EIO;
	return r;
}

/* Truncate to nothing: every zone freed, the pointers cleared (zone 0 of a device is its number). */
int
free_zones(struct inode *in)
{
	if (is_type(in, MFS_S_IFREG) || is_type(in, MFS_S_IFDIR) || is_type(in, MFS_S_IFLNK))
		return truncate_to(in, 0);
	in->i_d.i_size = 0;
	return write_inode(in);
}
