/*
 * MFS's block cache: MFS_NR_BUFS blocks of the mounted device, found by
 * a hash of the block number, the least recently used one going first.  It writes back: a block changed through
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
	struct buf *b_hnext;           /* the next valid block of its hash chain */
	struct buf *b_older, *b_newer; /* the use order (LRU) */
	bool b_valid;
	bool b_dirty; /* to be written before it is reused */
	/* 8-byte aligned: memcpy and the kernel's copies move 8 bytes a step then, else 1 */
	uint8_t b_data[MFS_MAX_BLOCK] __attribute__((aligned(64)));
};

/*
 * A valid block is found through its hash chain (block number mod
 * BUF_HASH), not by a search of every slot; the slots are kept in the
 * order of their use, the least recent (or an empty one) first, which is
 * the one a new block takes.
 */
#define BUF_HASH 512 /* a power of two, above MFS_NR_BUFS */

static struct buf bufs[MFS_NR_BUFS];
static struct buf *hash[BUF_HASH];
static struct buf lru = { .b_older = &lru, .b_newer = &lru }; /* oldest: lru.b_newer */
static bool ready;
uint64_t use_clock;

static void
lru_unlink(struct buf *b)
{
	b->b_older->b_newer = b->b_newer;
	b->b_newer->b_older = b->b_older;
}

/* b becomes the newest (used now), or with `oldest` the first to go. */
static void
lru_put(struct buf *b, bool oldest)
{
	struct buf *at = oldest ? &lru : lru.b_older;

	b->b_older = at;
	b->b_newer = at->b_newer;
	at->b_newer->b_older = b;
	at->b_newer = b;
}

static void
hash_remove(struct buf *b)
{
	struct buf **pp = &hash[b->b_block & (BUF_HASH - 1)];

	while (*pp && *pp != b)
		pp = &(*pp)->b_hnext;
	if (*pp)
		*pp = b->b_hnext;
	b->b_hnext = NULL;
}

/* Every slot empty, in the use order, and no hash chain. */
void
buf_clear(void)
{
	memset(bufs, 0, sizeof(bufs));
	memset(hash, 0, sizeof(hash));
	lru.b_older = lru.b_newer = &lru;
	for (int i = 0; i < MFS_NR_BUFS; i++)
		lru_put(&bufs[i], false);
	ready = true;
}

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
	struct buf *b, *victim;

	if (block >= fs.dev_blocks)
		return NULL;
	if (!ready)
		buf_clear();
	for (b = hash[block & (BUF_HASH - 1)]; b; b = b->b_hnext)
		if (b->b_block == block) {
			lru_unlink(b);
			lru_put(b, false);
			return b;
		}
	victim = lru.b_newer;
	if (buf_flush(victim) < 0)
		return NULL; /* the device refuses writes: keep the block */
	if (victim->b_valid)
		hash_remove(victim);
	victim->b_valid = false;
	lru_unlink(victim);
	if (read && bdev_read(fs.dev, block * fs.bs, victim->b_data, fs.bs, 0) != (int64_t)fs.bs) {
		lru_put(victim, true); /* empty: the next to be taken */
		return NULL;
	}
	lru_put(victim, false);
	victim->b_block = block;
	victim->b_valid = true;
	victim->b_dirty = false;
	victim->b_hnext = hash[block & (BUF_HASH - 1)];
	hash[block & (BUF_HASH - 1)] = victim;
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

/* How many slots hold a block (DEBUG_DUMP). */
int
buf_in_use(void)
{
	int valid = 0;

	for (int i = 0; i < MFS_NR_BUFS; i++)
		valid += bufs[i].b_valid;
	return valid;
}
