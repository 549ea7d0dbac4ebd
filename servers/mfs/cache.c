/*
 * MFS's block cache: up to MFS_NR_BUFS blocks of the mounted device, found
 * by a hash of the block number, the least recently used one going first.
 * It writes back: a block changed through get_block_rw() is written when
 * it is evicted, at SYNC and at UNMOUNT (sync_all).  Entry points:
 * get_block() (to read), get_block_rw() (to change), sync_all(),
 * buf_setup() (at mount), buf_release() (at unmount), buf_in_use() (for
 * the dump).  A pointer it returns is good until the next call.
 *
 * Its memory is taken from the heap at mount and given back at unmount
 * (servers/vm/README.md, "From -m 32M to -m 8G": a system process's bss
 * is present, paid in full, in every instance): an MFS instance that
 * mounts nothing (a spare one for mount(2)) holds no cache, and a slot
 * holds a block of the mounted file system's size, not MFS_MAX_BLOCK.
 * The number of slots follows the device: an eighth of its blocks, at
 * least MFS_MIN_BUFS (or the whole device) and at most MFS_NR_BUFS
 * (the root's 8 MiB image has 256); fewer, halved down to MFS_MIN_BUFS,
 * when the heap cannot grow so far (the mount is -ENOMEM below that).
 */
#include <bdev.h>
#include <stdlib.h>
#include <string.h>
#include "mfs.h"

struct buf {
	uint64_t b_block;
	struct buf *b_hnext;           /* the next valid block of its hash chain */
	struct buf *b_older, *b_newer; /* the use order (LRU) */
	bool b_valid;
	bool b_dirty;    /* to be written before it is reused */
	uint8_t *b_data; /* fs.bs bytes; page-aligned runs: no block straddles a page */
};

/*
 * A valid block is found through its hash chain (block number mod
 * BUF_HASH), not by a search of every slot; the slots are kept in the
 * order of their use, the least recent (or an empty one) first, which is
 * the one a new block takes.
 */
#define BUF_HASH  512  /* a power of two, above MFS_NR_BUFS */
#define BUF_ALIGN 4096 /* the blocks' run starts on a page */

static struct buf *bufs; /* nr_bufs slots, from the heap while mounted; NULL else */
static int nr_bufs;
static void *data_mem; /* the slots' bytes (malloc's pointer; b_data page-aligned in it) */
static struct buf *hash[BUF_HASH];
static struct buf lru = { .b_older = &lru, .b_newer = &lru }; /* oldest: lru.b_newer */
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

/* The cache's memory back to the heap (unmount, a failed mount): no slot. */
void
buf_release(void)
{
	free(bufs);
	free(data_mem);
	bufs = NULL;
	data_mem = NULL;
	nr_bufs = 0;
	memset(hash, 0, sizeof(hash));
	lru.b_older = lru.b_newer = &lru;
}

/*
 * At mount (fs.bs and fs.dev_blocks known): the cache's slots from the
 * heap, every one empty, in the use order, no hash chain.  0 or -ENOMEM.
 */
int
buf_setup(void)
{
	uint64_t want = fs.dev_blocks / 8;

	buf_release();
	if (want < MFS_MIN_BUFS)
		want = fs.dev_blocks < MFS_MIN_BUFS ? fs.dev_blocks : MFS_MIN_BUFS;
	if (want > MFS_NR_BUFS)
		want = MFS_NR_BUFS;
	for (int n = (int)want; n > 0; n /= 2) {
		bufs = calloc((size_t)n, sizeof(*bufs));
		data_mem = malloc((size_t)n * fs.bs + BUF_ALIGN - 1);
		if (bufs && data_mem) {
			uint8_t *data = (uint8_t *)(((uintptr_t)data_mem + BUF_ALIGN - 1) &
						    ~(uintptr_t)(BUF_ALIGN - 1));

			nr_bufs = n;
			for (int i = 0; i < n; i++) {
				bufs[i].b_data = data + (size_t)i * fs.bs;
				lru_put(&bufs[i], false);
			}
			return 0;
		}
		buf_release();
		if (n <= MFS_MIN_BUFS)
			break;
	}
	return -ENOMEM;
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

	if (block >= fs.dev_blocks || !bufs)
		return NULL;
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

	for (int i = 0; i < nr_bufs; i++)
		if (buf_flush(&bufs[i]) < 0)
			r = -EIO;
	return r;
}

/* How many slots hold a block, of *slots (DEBUG_DUMP). */
int
buf_in_use(int *slots)
{
	*slots = nr_bufs;
	int valid = 0;

	for (int i = 0; i < nr_bufs; i++)
		valid += bufs[i].b_valid;
	return valid;
}
