/*
 * MFS's block cache: MFS_NR_BUFS blocks of the mounted device, the least
 * recently used one going first.  It writes back: a block changed through
 * get_block_rw() is written when it is evicted, at SYNC and at UNMOUNT
 * (sync_all).  Entry points: get_block() (to read), get_block_rw() (to
 * change), sync_all(), buf_clear() (at mount and unmount), buf_in_use()
 * (for the dump).  A pointer it returns is good until the next call.
 */
#include <bdev.h>
#include <string.h>
#include "mfs.h"

struct buf {
	uint64_t b_block;
	uint64_t b_used; /* last use, for LRU */
	bool b_valid;
	bool b_dirty; /* to be written before it is reused */
	uint8_t b_data[MFS_MAX_BLOCK];
};

static struct buf bufs[MFS_NR_BUFS];
uint64_t use_clock;

static int
buf_flush(struct buf *b)
{
	if (!b->b_valid || !b->b_dirty)
		return 0;
	if (bdev_write(fs.dev, b->b_block * fs.bs, b->b_data, fs.bs, 0) != (int64_t)fs.bs)
		return -EIO;
	b->b_dirty = false;
	return 0;
}

/*
 * Block `block` of the device in the cache, read from the device if `read`
 * (else its old contents are undefined: the caller overwrites it all); NULL
 * on an I/O error.  The pointer is good until the next call.
 */
static struct buf *
get_buf(uint64_t block, bool read)
{
	struct buf *victim = &bufs[0];

	if (block >= fs.dev_blocks)
		return NULL;
	for (int i = 0; i < MFS_NR_BUFS; i++) {
		struct buf *b = &bufs[i];

		if (b->b_valid && b->b_block == block) {
			b->b_used = ++use_clock;
			return b;
		}
		if (!b->b_valid || (victim->b_valid && b->b_used < victim->b_used))
			victim = b;
	}
	if (buf_flush(victim) < 0)
		return NULL; /* the device refuses writes: keep the block */
	victim->b_valid = false;
	if (read && bdev_read(fs.dev, block * fs.bs, victim->b_data, fs.bs, 0) != (int64_t)fs.bs)
		return NULL;
	victim->b_block = block;
	victim->b_valid = true;
	victim->b_dirty = false;
	victim->b_used = ++use_clock;
	return victim;
}

const uint8_t *
get_block(uint64_t block)
{
	struct buf *b = get_buf(block, true);

	return b ? b->b_data : NULL;
}

/* The same, to be changed: the block is marked dirty. */
uint8_t *
get_block_rw(uint64_t block, bool read)
{
	struct buf *b = get_buf(block, read);

	if (!b)
		return NULL;
	b->b_dirty = true;
	return b->b_data;
}

/* Every dirty block to the device: 0 or -EIO (the rest are still tried). */
int
sync_all(void)
{
	int r = 0;

	for (int i = 0; i < MFS_NR_BUFS; i++)
		if (buf_flush(&bufs[i]) < 0)
			r = -EIO;
	return r;
}

void
buf_clear(void)
{
	memset(bufs, 0, sizeof(bufs));
}

/* How many slots hold a block (DEBUG_DUMP). */
int
buf_in_use(void)
{
	int valid = 0;

	for (int i = 0; i < MFS_NR_BUFS; i++)
		valid += bufs[i].b_valid;
	return valid;
}
