/*
 * The check of a writable mount: before MFS writes to an image it makes
 * sure the image's bookkeeping is true, as fsck.minix -f would, because
 * a lie there turns writes into damage: a zone in use but free in the map
 * would be handed to a second file, an inode in use but free would be
 * overwritten by the next create, a link count too high or a directory
 * loop would outlive every name.  One pass over the inode table (each
 * inode in use checked as the cache checks it, its zone pointers all
 * inside the data area and used once, a directory's entries counted as
 * references), then the counts against i_nlinks and both bitmaps against
 * what is in use.  Any lie refuses the writable mount (EIO: fsck it, or
 * mount it read-only, where reads of the damaged parts answer EIO); the
 * console says which.
 *
 * Its memory is allocated for the check and freed after it: a bit per
 * zone and a 16-bit count per inode.  A file system too large for that
 * (more than MFS_CHECK_MAX_ZONES zones or MFS_CHECK_MAX_INODES inodes) is
 * mounted unchecked, with a warning.  Entry point: check_fs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mfs.h"

#define MFS_CHECK_MAX_ZONES  (8u << 20)   /* a 1 MiB bitmap */
#define MFS_CHECK_MAX_INODES (256u << 10) /* 512 KiB of counts */

static uint8_t *zused;   /* a bit per data zone (bit = zone - firstdatazone + 1) */
static uint16_t *refs;   /* directory entries naming each inode */
static const char *lie;  /* the first inconsistency, for the console */
static uint64_t lie_num; /* the inode or zone it is about */

static int
found(const char *what, uint64_t num)
{
	if (!lie) {
		lie = what;
		lie_num = num;
	}
	return -EIO;
}

/* The directory entries of one block of a directory (n bytes of it), counted. */
static int
count_entries(const uint8_t *block, uint64_t n)
{
	for (uint64_t off = 0; off + sizeof(struct mfs_dirent) <= n;
	     off += sizeof(struct mfs_dirent)) {
		uint32_t ino;

		memcpy(&ino, block + off, sizeof(ino));
		if (ino == 0)
			continue;
		if (ino > fs.sb.s_ninodes)
			return found("a directory entry names an inode past the table", ino);
		if (refs[ino] < 0xffff)
			refs[ino]++;
	}
	return 0;
}

/*
 * The zones under one pointer of `level` (0: a data zone holding file
 * block `fblock`), marked used; a directory's data blocks counted.
 */
static int
mark_tree(const struct mfs_dinode *d, uint32_t ino, uint32_t zone, int level, uint64_t fblock)
{
	static uint32_t ptrs[3][MFS_MAX_BLOCK / 4];
	uint64_t bit, per = fs.bs / 4, span = 1;
	const uint8_t *block;

	if (zone == 0)
		return 0;
	if (!zone_ok(zone))
		return found("an inode points outside the data area", ino);
	bit = zone - fs.sb.s_firstdatazone + 1;
	if (zused[bit / 8] & (1u << (bit % 8)))
		return found("a zone is used twice", zone);
	zused[bit / 8] |= (uint8_t)(1u << (bit % 8));
	if (level == 0) {
		uint64_t pos = fblock * fs.bs;

		if ((d->i_mode & MFS_S_IFMT) != MFS_S_IFDIR || pos >= d->i_size)
			return 0;
		if (!(block = get_block(zone)))
			return -EIO;
		return count_entries(block, d->i_size - pos < fs.bs ? d->i_size - pos : fs.bs);
	}
	if (!(block = get_block(zone)))
		return -EIO;
	memcpy(ptrs[level - 1], block, fs.bs);
	for (int l = 1; l < level; l++)
		span *= per;
	for (uint64_t i = 0; i < per; i++) {
		int r = mark_tree(d, ino, ptrs[level - 1][i], level - 1, fblock + i * span);

		if (r < 0)
			return r;
	}
	return 0;
}

static bool
map_bit(const uint8_t *map_block, uint64_t bit)
{
	uint64_t b = bit % (fs.bs * 8u);

	return (map_block[b / 8] & (1u << (b % 8))) != 0;
}

/* One inode of the table: checked, its zones marked.  `d` is a copy. */
static int
check_inode(uint32_t ino, const struct mfs_dinode *d)
{
	static const int level[MFS_NR_ZONES] = { 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 };
	uint64_t per = fs.bs / 4, base = 0;
	uint16_t type = d->i_mode & MFS_S_IFMT;
	int r;

	if ((r = inode_check(d)) < 0)
		return found("an inode has a bad type or size", ino);
	if (type != MFS_S_IFREG && type != MFS_S_IFDIR && type != MFS_S_IFLNK)
		return 0; /* a device's zone 0 is its number */
	for (int i = 0; i < MFS_NR_ZONES; i++) {
		if ((r = mark_tree(d, ino, d->i_zone[i], level[i], base)) < 0)
			return r;
		base += level[i] == 0 ? 1 : level[i] == 1 ? per : level[i] == 2 ? per * per : 0;
	}
	return 0;
}

static int
check_all(void)
{
	uint32_t per_block = fs.bs / sizeof(struct mfs_dinode), ninodes = fs.sb.s_ninodes;
	uint64_t nzones = (uint64_t)fs.sb.s_zones - fs.sb.s_firstdatazone + 1;
	static struct mfs_dinode table[MFS_MAX_BLOCK / sizeof(struct mfs_dinode)];
	int r;

	/* Every inode in use: checked, its zones marked, a directory's entries counted. */
	for (uint32_t ino = 1; ino <= ninodes; ino++) {
		const uint8_t *block;
		const struct mfs_dinode *d = &table[(ino - 1) % per_block];

		if ((ino - 1) % per_block == 0) {
			if (!(block = get_block(fs.inode_block + (ino - 1) / per_block)))
				return -EIO;
			memcpy(table, block, fs.bs);
		}
		if (d->i_mode == 0 && d->i_nlinks == 0)
			continue;
		if ((r = check_inode(ino, d)) < 0)
			return r;
	}
	/* The link counts, and the inode map, against what the directories say. */
	for (uint32_t ino = 1; ino <= ninodes; ino++) {
		static uint8_t map[MFS_MAX_BLOCK];
		const uint8_t *block;
		const struct mfs_dinode *d = &table[(ino - 1) % per_block];
		bool used;

		if ((ino - 1) % per_block == 0 || ino == 1) {
			if (!(block = get_block(fs.inode_block + (ino - 1) / per_block)))
				return -EIO;
			memcpy(table, block, fs.bs);
		}
		if (ino % (fs.bs * 8u) == 0 || ino == 1) {
			if (!(block = get_block(2 + ino / (fs.bs * 8u))))
				return -EIO;
			memcpy(map, block, fs.bs);
		}
		used = d->i_mode != 0 || d->i_nlinks != 0;
		if (used != map_bit(map, ino))
			return found(used ? "an inode in use is free in the inode map"
					  : "a free inode is marked in the inode map",
				     ino);
		if (used && refs[ino] == 0)
			return found("an inode in use has no name", ino);
		if (used && d->i_nlinks != refs[ino])
			return found("an inode's link count is not the number of its names", ino);
	}
	/* The zone map against the zones in use. */
	for (uint64_t bit = 1; bit < nzones; bit++) {
		static uint8_t map[MFS_MAX_BLOCK];
		bool used = (zused[bit / 8] & (1u << (bit % 8))) != 0;

		if (bit % (fs.bs * 8u) == 0 || bit == 1) {
			const uint8_t *block =
				get_block(2u + fs.sb.s_imap_blocks + bit / (fs.bs * 8u));

			if (!block)
				return -EIO;
			memcpy(map, block, fs.bs);
		}
		if (used != map_bit(map, bit))
			return found(used ? "a zone in use is free in the zone map"
					  : "a free zone is marked in the zone map",
				     fs.sb.s_firstdatazone + bit - 1);
	}
	return 0;
}

/* The check of a writable mount (the comment above): 0, or -EIO and a line on the console. */
int
check_fs(void)
{
	uint64_t nzones = (uint64_t)fs.sb.s_zones - fs.sb.s_firstdatazone + 1;
	int r;

	if (nzones > MFS_CHECK_MAX_ZONES || fs.sb.s_ninodes > MFS_CHECK_MAX_INODES) {
		printf("mfs: %u zones, %u inodes: too large to check; mounted writable unchecked\n",
		       fs.sb.s_zones, fs.sb.s_ninodes);
		return 0;
	}
	zused = calloc((nzones + 7) / 8, 1);
	refs = calloc((size_t)fs.sb.s_ninodes + 1, sizeof(*refs));
	lie = NULL;
	r = zused && refs ? check_all() : -ENOMEM;
	if (r == -EIO)
		printf("mfs: not mounted writable: %s (%llu); fsck it, or mount it read-only\n",
		       lie ? lie : "a block of the tables cannot be read",
		       (unsigned long long)lie_num);
	free(zused);
	free(refs);
	zused = NULL;
	refs = NULL;
	return r;
}
