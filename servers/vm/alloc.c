/*
 * VM's physical memory: every frame the kernel handed over at boot
 * (vmctl GETMEM: RAM above 4 GiB too), one bit each (set: in use) and a
 * reference count each (the mappings that share it: fork's copy-on-write).
 * The search for a free frame goes down from a hint (frame_alloc).
 *
 * The reserve: user processes (their faults and Linux calls) may not take
 * the last `reserved` free frames; PM's requests (building a program's
 * image) may.  Its size is 1/32 of VM's memory, at least 512 KiB and at
 * most 32 MiB (README.md).
 *
 * Frames of the page cache (cache.c) carry a mark (cached_map): the cache
 * holds one reference on each, so one whose count is 1 is idle (nobody
 * maps it).  Idle frames count as free (VM_INFO, the commit check) and
 * frame_alloc takes them back from the cache before it fails.
 */
#include "vm.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define MAX_RANGES 32

static struct range {
	uint64_t base, end; /* physical */
	uint64_t first;     /* index of its first frame */
} ranges[MAX_RANGES];
static int nr_ranges;

static uint64_t *used_map;   /* a bit per frame */
static uint64_t *cached_map; /* a bit per frame: the page cache holds it (cache.c) */
static uint8_t *refs;        /* references per frame */
static uint64_t total, nfree, reserved, hint, top;
static uint64_t idle; /* cached frames nobody else references */

#define RECLAIM_BATCH 256 /* idle cache frames freed at once when memory runs out */

static bool
is_cached(uint64_t ix)
{
	return cached_map[ix / 64] & ((uint64_t)1 << (ix % 64));
}

static int
index_of(uint64_t pa, uint64_t *ix)
{
	for (int i = 0; i < nr_ranges; i++)
		if (pa >= ranges[i].base && pa < ranges[i].end) {
			*ix = ranges[i].first + ((pa - ranges[i].base) >> PAGE_SHIFT);
			return 0;
		}
	return -EINVAL;
}

static uint64_t
pa_of(uint64_t ix)
{
	for (int i = nr_ranges - 1; i >= 0; i--)
		if (ix >= ranges[i].first)
			return ranges[i].base + ((ix - ranges[i].first) << PAGE_SHIFT);
	return 0;
}

int
alloc_init(void)
{
	struct msg_sys_vmctl rq;
	struct msg_sys_vmctl_reply rp;
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.op = VMCTL_GETMEM;
	for (nr_ranges = 0; nr_ranges < MAX_RANGES; nr_ranges++) {
		rq.pages = (uint64_t)nr_ranges;
		if ((r = sys_vmctl(&rq, &rp)) < 0) {
			if (nr_ranges == 0)
				return r; /* EBUSY: another VM took the map (README.md) */
			break;
		}
		ranges[nr_ranges] = (struct range){ rp.base, rp.end, total };
		total += (rp.end - rp.base) >> PAGE_SHIFT;
		if (rp.end > top)
			top = rp.end;
	}
	used_map = calloc((total + 63) / 64 + 1, sizeof(uint64_t));
	cached_map = calloc((total + 63) / 64 + 1, sizeof(uint64_t));
	refs = calloc(total + 1, 1);
	if (!used_map || !cached_map || !refs)
		return -ENOMEM;
	nfree = total;
	hint = total ? total - 1 : 0;
	reserved = total / 32;
	reserved = reserved < 128 ? 128 : reserved > 8192 ? 8192 : reserved;
	if (reserved > total / 2)
		reserved = total / 2;
	printf("vm: %llu KiB of memory in %d ranges, up to %#llx; %llu KiB reserved\n",
	       (unsigned long long)total * 4, nr_ranges, (unsigned long long)top,
	       (unsigned long long)reserved * 4);
	return 0;
}

/*
 * A free frame, searched downwards from the hint: the highest frames go
 * first, so RAM above 4 GiB is what user processes get first (vm.all_ram
 * shows it works) and the low frames stay free longest.
 */
uint64_t
frame_alloc(bool reserve)
{
	if ((nfree == 0 || (!reserve && nfree <= reserved)) && idle > 0)
		(void)cache_reclaim(RECLAIM_BATCH);
	if (nfree == 0 || (!reserve && nfree <= reserved))
		return 0;
	for (int pass = 0; pass < 2; pass++, hint = total - 1) {
		for (uint64_t w = hint / 64 + 1; w-- > 0;) {
			uint64_t free_bits = ~used_map[w], ix;

			if (w == (total - 1) / 64 && total % 64)
				free_bits &= ((uint64_t)1 << (total % 64)) - 1;
			if (!free_bits)
				continue;
			ix = w * 64 + 63 - (uint64_t)__builtin_clzll(free_bits);
			used_map[w] |= (uint64_t)1 << (ix % 64);
			refs[ix] = 1;
			nfree--;
			hint = ix;
			return pa_of(ix);
		}
	}
	return 0;
}

bool
frame_ref(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || refs[ix] == 0 || refs[ix] == 255)
		return false;
	if (refs[ix]++ == 1 && is_cached(ix))
		idle--;
	return true;
}

void
frame_unref(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || refs[ix] == 0)
		return;
	if (--refs[ix] > 0) {
		if (refs[ix] == 1 && is_cached(ix))
			idle++;
		return;
	}
	used_map[ix / 64] &= ~((uint64_t)1 << (ix % 64));
	nfree++;
	if (ix > hint)
		hint = ix;
}

unsigned
frame_refs(uint64_t pa)
{
	uint64_t ix;

	return index_of(pa, &ix) == 0 ? refs[ix] : 0;
}

/* The page cache takes a reference on pa (mapped by one process now): false if it cannot. */
bool
frame_cache_hold(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || is_cached(ix) || !frame_ref(pa))
		return false;
	cached_map[ix / 64] |= (uint64_t)1 << (ix % 64);
	if (refs[ix] == 1)
		idle++;
	return true;
}

/* The page cache lets go of pa: its reference goes (the frame is freed if it was the last). */
void
frame_cache_release(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || !is_cached(ix))
		return;
	if (refs[ix] == 1)
		idle--;
	cached_map[ix / 64] &= ~((uint64_t)1 << (ix % 64));
	frame_unref(pa);
}

void
frame_cache_mark(uint64_t pa)
{
	uint64_t ix;

	if (frame_index(pa, &ix) == 0)
		cached_map[ix / 64] |= (uint64_t)1 << (ix % 64);
}

void
alloc_recount_idle(void)
{
	idle = 0;
	for (uint64_t ix = 0; ix < total; ix++)
		if (is_cached(ix) && refs[ix] == 1)
			idle++;
}

uint64_t
frame_idle_cached(void)
{
	return idle;
}

void
alloc_info(struct msg_vm_reply *out)
{
	memset(out, 0, sizeof(*out));
	out->total_pages = total;
	out->free_pages = nfree + idle; /* idle cache frames are given back on demand */
	out->reserved_pages = reserved;
	out->top = top;
	out->user_pages = user_pages;
}

int
frame_index(uint64_t pa, uint64_t *ix)
{
	return index_of(pa, ix);
}

uint64_t
frame_total(void)
{
	return total;
}

/* ---- live update (state.c): this file's part of the state ---- */

struct st_alloc {
	uint64_t total, nfree, reserved, hint, top;
	uint64_t user_pages;
	uint32_t nr_ranges;
	uint32_t pad;
};

static size_t
used_words(void)
{
	return (size_t)(total + 63) / 64 + 1;
}

/* The ranges and counters, the used bits, the reference counts. */
void
alloc_save(struct st_out *o)
{
	struct st_alloc a = {
		total, nfree, reserved, hint, top, user_pages, (uint32_t)nr_ranges, 0
	};

	st_section(o, ST_ALLOC, (uint32_t)nr_ranges,
		   sizeof(a) + (size_t)nr_ranges * sizeof(ranges[0]));
	st_put(o, &a, sizeof(a));
	st_put(o, ranges, (size_t)nr_ranges * sizeof(ranges[0]));
	st_section(o, ST_USED, 0, used_words() * sizeof(uint64_t));
	st_put(o, used_map, used_words() * sizeof(uint64_t));
	st_section(o, ST_REFS, 0, total + 1);
	st_put(o, refs, total + 1);
}

/* Ranges in order, page-aligned, numbered without gaps: -EINVAL otherwise. */
static int
ranges_valid(const struct st_alloc *a)
{
	uint64_t n = 0, hi = 0;

	for (int i = 0; i < nr_ranges; i++) {
		const struct range *rg = &ranges[i];

		if (rg->base >= rg->end || (rg->base | rg->end) & (PAGE_SIZE - 1) ||
		    rg->first != n || (i > 0 && rg->base < ranges[i - 1].end))
			return -EINVAL;
		n += (rg->end - rg->base) >> PAGE_SHIFT;
		hi = rg->end > hi ? rg->end : hi;
	}
	if (n != a->total || hi != a->top || a->nfree > n || a->reserved > n || (n && a->hint >= n))
		return -EINVAL;
	return 0;
}

int
alloc_load(struct st_in *in, const struct st_sect *s)
{
	const struct st_alloc *a = st_take(in, sizeof(*a));
	const struct range *r;

	if (!a || total || a->nr_ranges > MAX_RANGES || s->count != a->nr_ranges ||
	    s->len != sizeof(*a) + a->nr_ranges * sizeof(ranges[0]) ||
	    !(r = st_take(in, a->nr_ranges * sizeof(ranges[0]))))
		return -EINVAL;
	nr_ranges = (int)a->nr_ranges;
	memcpy(ranges, r, (size_t)nr_ranges * sizeof(ranges[0]));
	if (ranges_valid(a) < 0)
		return -EINVAL;
	total = a->total;
	nfree = a->nfree;
	reserved = a->reserved;
	hint = a->hint;
	top = a->top;
	user_pages = a->user_pages;
	used_map = calloc(used_words(), sizeof(uint64_t));
	cached_map = calloc(used_words(), sizeof(uint64_t));
	refs = calloc(total + 1, 1);
	return used_map && cached_map && refs ? 0 : -ENOMEM;
}

int
alloc_load_used(struct st_in *in, const struct st_sect *s)
{
	const void *p;

	if (!used_map || s->len != used_words() * sizeof(uint64_t) || !(p = st_take(in, s->len)))
		return -EINVAL;
	memcpy(used_map, p, s->len);
	return 0;
}

int
alloc_load_refs(struct st_in *in, const struct st_sect *s)
{
	const void *p;

	if (!refs || s->len != total + 1 || !(p = st_take(in, s->len)))
		return -EINVAL;
	memcpy(refs, p, s->len);
	return 0;
}

/*
 * The state taken over agrees with itself: every frame's count is the
 * number of mappings the spaces hold (`counted`), a frame is in use
 * exactly when counted, the free count is what is left, and the user
 * page count is the spaces' sum (`user`).  -EINVAL at the first mismatch.
 */
int
alloc_verify(const uint8_t *counted, uint64_t user)
{
	uint64_t in_use = 0;

	for (uint64_t ix = 0; ix < total; ix++) {
		bool used = used_map[ix / 64] & ((uint64_t)1 << (ix % 64));

		if (refs[ix] != counted[ix] || used != (refs[ix] > 0)) {
			printf("vm: frame %#llx: %u references, %u mappings, %s\n",
			       (unsigned long long)pa_of(ix), refs[ix], counted[ix],
			       used ? "in use" : "free");
			return -EINVAL;
		}
		in_use += used;
	}
	if (total - in_use != nfree || user != user_pages) {
		printf("vm: %llu frames free, %llu counted; %llu user pages, %llu counted\n",
		       (unsigned long long)nfree, (unsigned long long)(total - in_use),
		       (unsigned long long)user_pages, (unsigned long long)user);
		return -EINVAL;
	}
	return 0;
}
