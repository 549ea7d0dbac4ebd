/*
 * malloc, free, calloc and realloc for system processes, over sbrk.
 *
 * The heap is one run of blocks from where malloc first found the break up
 * to the break.  Every block starts with a 16-byte header: its size (a
 * multiple of 16, header included) with flag bits, and a magic word that
 * says whether it is in use and where it is.  Payloads follow headers, so
 * they are 16-byte aligned.  A free block also keeps its size in its last
 * 8 bytes (the boundary tag), and the header after it says "the previous
 * block is free"; so free() merges with both neighbours in constant time,
 * and no two free blocks are ever adjacent.  A zero-size end header,
 * marked in use, closes the heap, so merging never runs off its end.
 *
 *   | hdr | payload        | hdr | next prev ... size | hdr | ... | end |
 *     used                   free (PREV_FREE in the next header)
 *
 * Free blocks sit on lists by size class (a power of two each).  A request
 * takes the first block that fits from its own class, or else the first of
 * the next larger non-empty class (a bitmap finds it, and every block there
 * fits), and splits off what it does not need.  When nothing fits the heap
 * grows by at least GROW_MIN; when a free leaves at least TRIM_MIN free at
 * the top, that block goes back to the system with a negative sbrk.
 *
 * free() and realloc() check what they are given: a pointer that is
 * misaligned, outside the heap, or whose header has no block magic ends
 * the process with a panic naming it, and so does freeing a block twice.
 * malloc owns the break: once malloc has been used, nothing else may move
 * it (a moved break panics too).  One thread: system processes have one.
 *
 * lib/libc is also compiled into the kernel, which has no heap: this file
 * is only in libc_SRCS (system processes), not in the kernel's list.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* From libsys for system processes; the host unit tests supply their own. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(__printf__, 1, 2)));

typedef struct header {
	size_t h_size;    /* the whole block, header included | flags */
	uint64_t h_magic; /* block_magic(): in use or free, and where */
} header_t;

/* What a free block keeps after its header (its size is in its last 8 bytes). */
struct links {
	header_t *next;
	header_t *prev;
};

#define ALIGN       16
#define IN_USE      0x1 /* this block is allocated (or is the end header) */
#define PREV_FREE   0x2 /* the block before is free: its size ends it */
#define FLAGS       (ALIGN - 1)
#define MIN_BLOCK   48 /* header, links and boundary tag, rounded up */
#define HEAP_PAGE   4096
#define GROW_MIN    (64 * 1024)
#define TRIM_MIN    (128 * 1024)
#define MAX_REQUEST (SIZE_MAX >> 2) /* larger requests fail before any arithmetic */
#define NR_CLASSES  64              /* class c holds sizes in [2^c, 2^(c+1)) */

#define MAGIC_USED 0xa110c8edb10c0001ull
#define MAGIC_FREE 0xf4eeb10c4a110c02ull

_Static_assert(sizeof(header_t) == ALIGN, "payloads stay 16-byte aligned");
_Static_assert(MIN_BLOCK >= sizeof(header_t) + sizeof(struct links) + sizeof(size_t) &&
		       MIN_BLOCK % ALIGN == 0,
	       "a free block has room for its links and tag");

static char *heap_lo;      /* the first block; NULL until the first malloc */
static header_t *heap_end; /* the end header; the break is just after it */
static header_t *free_lists[NR_CLASSES];
static uint64_t nonempty; /* bit c: free_lists[c] has blocks */

/* ---- blocks ------------------------------------------------------------ */

static uint64_t
block_magic(const header_t *h, bool used)
{
	return (used ? MAGIC_USED : MAGIC_FREE) ^ (uintptr_t)h;
}

static size_t
size_of(const header_t *h)
{
	return h->h_size & ~(size_t)FLAGS;
}

static header_t *
next_of(const header_t *h)
{
	return (header_t *)((char *)h + size_of(h));
}

/* The block before h; only when h says it is free (its size ends it). */
static header_t *
prev_of(const header_t *h)
{
	return (header_t *)((char *)h - ((const size_t *)h)[-1]);
}

static struct links *
links_of(header_t *h)
{
	return (struct links *)(h + 1);
}

/* The block size that holds n bytes of payload (n <= MAX_REQUEST). */
static size_t
block_size(size_t n)
{
	size_t size = (n + sizeof(header_t) + ALIGN - 1) & ~(size_t)(ALIGN - 1);

	return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* ---- free lists ---------------------------------------------------------- */

static int
class_of(size_t size)
{
	return 63 - __builtin_clzll(size);
}

static void
list_push(header_t *h)
{
	int c = class_of(size_of(h));

	links_of(h)->next = free_lists[c];
	links_of(h)->prev = NULL;
	if (free_lists[c])
		links_of(free_lists[c])->prev = h;
	free_lists[c] = h;
	nonempty |= 1ull << c;
}

static void
list_remove(header_t *h)
{
	int c = class_of(size_of(h));
	struct links *l = links_of(h);

	if (l->prev)
		links_of(l->prev)->next = l->next;
	else
		free_lists[c] = l->next;
	if (l->next)
		links_of(l->next)->prev = l->prev;
	if (!free_lists[c])
		nonempty &= ~(1ull << c);
}

/* A free block of at least `need` bytes, still on its list; NULL if none. */
static header_t *
find_fit(size_t need)
{
	int c = class_of(need);
	uint64_t larger = nonempty & ~((2ull << c) - 1); /* classes above c */

	for (header_t *h = free_lists[c]; h; h = links_of(h)->next)
		if (size_of(h) >= need)
			return h;
	return larger ? free_lists[__builtin_ctzll(larger)] : NULL;
}

/* ---- changing a block's state --------------------------------------------- */

/* h becomes an allocated block of `size` bytes (its PREV_FREE flag kept). */
static void
set_used(header_t *h, size_t size)
{
	h->h_size = size | IN_USE | (h->h_size & PREV_FREE);
	h->h_magic = block_magic(h, true);
	next_of(h)->h_size &= ~(size_t)PREV_FREE;
}

/* h becomes a free block of `size` bytes on its list. */
static void
set_free(header_t *h, size_t size)
{
	h->h_size = size | (h->h_size & PREV_FREE);
	h->h_magic = block_magic(h, false);
	((size_t *)next_of(h))[-1] = size;
	next_of(h)->h_size |= PREV_FREE;
	list_push(h);
}

/*
 * Give back the `size` bytes at h (not on any list), merged with a free
 * neighbour on either side.  A header swallowed by a merge loses its magic,
 * so a stale pointer to it is refused.  Returns the free block.
 */
static header_t *
release(header_t *h, size_t size)
{
	header_t *next = (header_t *)((char *)h + size);

	if (!(next->h_size & IN_USE)) {
		list_remove(next);
		size += size_of(next);
		next->h_magic = 0;
	}
	if (h->h_size & PREV_FREE) {
		header_t *prev = prev_of(h);

		list_remove(prev);
		size += size_of(prev);
		h->h_magic = 0;
		h = prev;
	}
	set_free(h, size);
	return h;
}

/* Shrink the allocated block h to `need` bytes if the rest makes a block. */
static void
split(header_t *h, size_t need)
{
	size_t size = size_of(h);
	header_t *rest = (header_t *)((char *)h + need);

	if (size - need < MIN_BLOCK)
		return;
	set_used(h, need);
	rest->h_size = 0; /* h before it is in use */
	release(rest, size - need);
}

/* ---- the break ------------------------------------------------------------ */

/* Move the break by inc; the old break, which must be where the heap ends. */
static bool
move_break(intptr_t inc)
{
	void *old = sbrk(inc);

	if (old == (void *)-1)
		return false;
	if (old != (char *)heap_end + sizeof(header_t))
		panic("malloc: the break moved under the heap (%p, expected %p)", old,
		      (void *)(heap_end + 1));
	return true;
}

/* The first use: align the break and lay down the end header. */
static bool
heap_init(void)
{
	char *base = sbrk(0);
	size_t pad;

	if (base == (void *)-1)
		return false;
	pad = (ALIGN - (uintptr_t)base % ALIGN) % ALIGN;
	if (sbrk((intptr_t)(pad + sizeof(header_t))) != base)
		return false;
	heap_lo = base + pad;
	heap_end = (header_t *)heap_lo;
	heap_end->h_size = IN_USE;
	heap_end->h_magic = 0;
	return true;
}

/*
 * Grow the heap so that its top free block has at least `need` bytes; the
 * break then lies on a page boundary.  Returns that block (on its list),
 * or NULL if the system gives no more.
 */
static header_t *
heap_grow(size_t need)
{
	size_t have = heap_end->h_size & PREV_FREE ? size_of(prev_of(heap_end)) : 0;
	size_t short_by = need > have ? need - have : 0;
	size_t want = short_by > GROW_MIN ? short_by : GROW_MIN;
	uintptr_t brk_now = (uintptr_t)(heap_end + 1);
	size_t inc = ((brk_now + want + HEAP_PAGE - 1) & ~(uintptr_t)(HEAP_PAGE - 1)) - brk_now;
	header_t *block = heap_end;

	if (!move_break((intptr_t)inc))
		return NULL;
	heap_end = (header_t *)((char *)block + inc);
	heap_end->h_size = IN_USE;
	heap_end->h_magic = 0;
	block->h_size = inc | (block->h_size & PREV_FREE);
	return release(block, inc);
}

/* Give the top free block back to the system once it is large. */
static void
heap_trim(void)
{
	header_t *top;
	size_t size;

	if (!(heap_end->h_size & PREV_FREE))
		return;
	top = prev_of(heap_end);
	size = size_of(top);
	if (size < TRIM_MIN)
		return;
	list_remove(top);
	if (!move_break(-(intptr_t)size)) {
		list_push(top);
		return;
	}
	heap_end = top;
	heap_end->h_size = IN_USE; /* the block before it is in use */
	heap_end->h_magic = 0;
}

/* ---- checking what callers pass ------------------------------------------- */

/* The header of p, a pointer malloc returned and nobody freed; else panic. */
static header_t *
checked_block(void *p, const char *who)
{
	header_t *h = (header_t *)p - 1;

	if ((uintptr_t)p % ALIGN || !heap_lo || (char *)h < heap_lo || h >= heap_end)
		panic("%s(%p): not a pointer from malloc (outside the heap)", who, p);
	if (h->h_magic == block_magic(h, false) && !(h->h_size & IN_USE))
		panic("%s(%p): double free", who, p);
	if (h->h_magic != block_magic(h, true) || !(h->h_size & IN_USE))
		panic("%s(%p): not a pointer from malloc (or a freed one, or the heap is "
		      "corrupt)",
		      who, p);
	return h;
}

/* ---- the interface ---------------------------------------------------------- */

void *
malloc(size_t n)
{
	size_t need;
	header_t *h;

	if (n > MAX_REQUEST || (!heap_lo && !heap_init()))
		return NULL;
	need = block_size(n);
	if (!(h = find_fit(need)) && !(h = heap_grow(need)))
		return NULL;
	list_remove(h);
	set_used(h, size_of(h));
	split(h, need);
	return h + 1;
}

void
free(void *p)
{
	header_t *h;

	if (!p)
		return;
	h = checked_block(p, "free");
	release(h, size_of(h));
	heap_trim();
}

void *
calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > MAX_REQUEST / size)
		return NULL;
	if ((p = malloc(nmemb * size)))
		memset(p, 0, nmemb * size);
	return p;
}

/* Make the allocated block h at least `need` bytes by taking the free block after it. */
static bool
grow_in_place(header_t *h, size_t need)
{
	header_t *next = next_of(h);

	if (next == heap_end && !heap_grow(need - size_of(h)))
		return false;
	next = next_of(h);
	if (next->h_size & IN_USE || size_of(h) + size_of(next) < need)
		return false;
	list_remove(next);
	next->h_magic = 0;
	set_used(h, size_of(h) + size_of(next));
	split(h, need);
	return true;
}

/*
 * C's realloc: NULL p is malloc(n); n 0 frees p and returns NULL.  Shrinks
 * and grows in place when it can (into a free neighbour, or by growing the
 * heap when p is the top block), else moves.  On failure p is unchanged.
 */
void *
realloc(void *p, size_t n)
{
	header_t *h;
	size_t need;
	void *q;

	if (!p)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	h = checked_block(p, "realloc");
	if (n > MAX_REQUEST)
		return NULL;
	need = block_size(n);
	if (need <= size_of(h)) {
		split(h, need);
		heap_trim();
		return p;
	}
	if (grow_in_place(h, need))
		return p;
	if (!(q = malloc(n)))
		return NULL;
	memcpy(q, p, size_of(h) - sizeof(header_t));
	free(p);
	return q;
}

/*
 * Walk the whole heap and panic at the first broken invariant: every
 * header's magic and flags, boundary tags, no two free blocks side by side,
 * every free block on the list of its class and nothing else there.
 * Returns the number of free blocks.  For tests and debugging.
 */
size_t
malloc_check(void)
{
	size_t free_blocks = 0, listed = 0;
	bool prev_free = false;

	if (!heap_lo)
		return 0;
	for (header_t *h = (header_t *)heap_lo; h != heap_end; h = next_of(h)) {
		bool used = h->h_size & IN_USE;

		if (size_of(h) < MIN_BLOCK || next_of(h) > heap_end)
			panic("malloc_check: block %p: bad size %zu", (void *)h, size_of(h));
		if (h->h_magic != block_magic(h, used))
			panic("malloc_check: block %p: bad magic", (void *)h);
		if (!!(h->h_size & PREV_FREE) != prev_free || (prev_free && !used))
			panic("malloc_check: block %p: free neighbours or a wrong flag", (void *)h);
		if (!used && ((size_t *)next_of(h))[-1] != size_of(h))
			panic("malloc_check: block %p: boundary tag", (void *)h);
		free_blocks += !used;
		prev_free = !used;
	}
	if (!!(heap_end->h_size & PREV_FREE) != prev_free)
		panic("malloc_check: end header flag");
	for (int c = 0; c < NR_CLASSES; c++) {
		if (!!free_lists[c] != !!(nonempty & (1ull << c)))
			panic("malloc_check: class %d: bitmap", c);
		for (header_t *h = free_lists[c]; h; h = links_of(h)->next, listed++)
			if (h->h_magic != block_magic(h, false) || class_of(size_of(h)) != c)
				panic("malloc_check: class %d: block %p does not belong", c,
				      (void *)h);
	}
	if (listed != free_blocks)
		panic("malloc_check: %zu free blocks, %zu on lists", free_blocks, listed);
	return free_blocks;
}
