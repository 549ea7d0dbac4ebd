/*
 * The page cache of executable files (README.md, "File pages"): frames
 * that hold a page of a file as exec maps it, found by
 * (file id, file offset, lo, hi): the page holds the file's bytes
 * [offset + lo, offset + hi) at [lo, hi) and zeros elsewhere (a segment's
 * first and last pages are partial; a bss tail is zero).  One mechanism,
 * two sources of keys, each from its own builders (main.c,
 * file_key_ok):
 *  - VFS's file id (include/ax/vfs.h, r_file_id; PM's exec): it names one
 *    content of one file and is never given again once the file is
 *    written, so an entry can never be stale: one of an old content is
 *    simply never asked for again and goes when memory is short;
 *  - a boot module, VM_FILE_MODULE | its index (RS's services: their
 *    read-only segments, shared by every instance of the program): a
 *    boot module is never written while the machine runs, so its index
 *    names one content as well.
 *
 * The cache holds one reference on each frame (alloc.c marks it cached);
 * every process that has the page in its space holds one more, so a
 * cached frame is never writable in a process (region.c's rights: more
 * than one reference) and a write copies it.  A frame only the cache holds
 * is idle: VM_INFO counts it free, and frame_alloc takes idle frames back
 * (cache_reclaim) before it answers that none is left.
 *
 * State: the entries in `buckets`, each a struct cpage, which a live
 * update carries (cache_save, cache_load_entry: state.c's ST_CACHE
 * section); `hand` starts again at 0; alloc.c's cached marks are set
 * again from the entries and the idle count recounted.
 */
#include "vm.h"
#include <stdlib.h>
#include <stdio.h>

#define CACHE_HASH 4096

struct cpage {
	uint64_t file;      /* VFS's file id, or VM_FILE_MODULE | a boot module's index */
	uint64_t off;       /* the page's offset in the file */
	uint16_t lo, hi;    /* the file's bytes are [lo, hi) of the page */
	uint32_t frame;     /* physical address >> 12 */
	struct cpage *next; /* in its bucket */
};

static struct cpage *buckets[CACHE_HASH];
static unsigned hand;        /* the bucket where the next reclaim looks first */
static uint64_t cache_pages; /* entries (frames the cache holds) */

static unsigned
bucket(uint64_t file, uint64_t off)
{
	uint64_t k = (file * 0x9e3779b97f4a7c15ull) ^ (off >> PAGE_SHIFT) * 0xbf58476d1ce4e5b9ull;

	return (unsigned)(k >> 40) % CACHE_HASH;
}

uint64_t
cache_find(uint64_t file, uint64_t off, unsigned lo, unsigned hi)
{
	for (struct cpage *c = buckets[bucket(file, off)]; c; c = c->next)
		if (c->file == file && c->off == off && c->lo == lo && c->hi == hi)
			return (uint64_t)c->frame << PAGE_SHIFT;
	return 0;
}

int
cache_add(uint64_t file, uint64_t off, unsigned lo, unsigned hi, uint64_t pa)
{
	unsigned b = bucket(file, off);
	struct cpage *c;

	if (cache_find(file, off, lo, hi))
		return -EEXIST;
	if (!(c = malloc(sizeof(*c))))
		return -ENOMEM;
	if (!frame_cache_hold(pa)) {
		free(c);
		return -ENOMEM;
	}
	*c = (struct cpage){
		file, off, (uint16_t)lo, (uint16_t)hi, (uint32_t)(pa >> PAGE_SHIFT), buckets[b]
	};
	buckets[b] = c;
	cache_pages++;
	return 0;
}

/*
 * Give back up to `want` idle frames (nobody maps them): the buckets are
 * visited round the table from where the last reclaim stopped, so the
 * pages of one file are not always the first to go.  How many were freed.
 */
uint64_t
cache_reclaim(uint64_t want)
{
	uint64_t freed = 0;

	for (unsigned n = 0; n < CACHE_HASH && freed < want; n++, hand = (hand + 1) % CACHE_HASH) {
		for (struct cpage **pp = &buckets[hand]; *pp && freed < want;) {
			struct cpage *c = *pp;
			uint64_t pa = (uint64_t)c->frame << PAGE_SHIFT;

			if (frame_refs(pa) != 1) {
				pp = &c->next;
				continue;
			}
			*pp = c->next;
			free(c);
			cache_pages--;
			frame_cache_release(pa);
			freed++;
		}
	}
	return freed;
}

/* ---- live update (state.c): the entries, one record each ---- */

struct st_cpage {
	uint64_t file, off;
	uint16_t lo, hi;
	uint32_t frame;
};

void
cache_save(struct st_out *o)
{
	st_section(o, ST_CACHE, (uint32_t)cache_pages, cache_pages * sizeof(struct st_cpage));
	for (unsigned b = 0; b < CACHE_HASH; b++)
		for (const struct cpage *c = buckets[b]; c; c = c->next) {
			struct st_cpage r = { c->file, c->off, c->lo, c->hi, c->frame };

			st_put(o, &r, sizeof(r));
		}
}

/*
 * One handed-over entry (state.c has checked the frame and counts the
 * cache's reference): -EINVAL for a bad key or a second entry of it.
 */
int
cache_load_entry(uint64_t file, uint64_t off, unsigned lo, unsigned hi, uint64_t pa)
{
	unsigned b = bucket(file, off);
	struct cpage *c;

	if (!file || (off & (PAGE_SIZE - 1)) || lo >= hi || hi > PAGE_SIZE ||
	    cache_find(file, off, lo, hi))
		return -EINVAL;
	if (!(c = malloc(sizeof(*c))))
		return -ENOMEM;
	*c = (struct cpage){
		file, off, (uint16_t)lo, (uint16_t)hi, (uint32_t)(pa >> PAGE_SHIFT), buckets[b]
	};
	buckets[b] = c;
	cache_pages++;
	frame_cache_mark(pa);
	return 0;
}

void
cache_dump(struct dump *d)
{
	dump_printf(d, "page cache: %llu pages, %llu idle\n", (unsigned long long)cache_pages,
		    (unsigned long long)frame_idle_cached());
}
