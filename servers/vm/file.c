/*
 * File regions: the segments of an executable, as exec maps them
 * (VM_MAP with VM_MAP_FILE, include/ax/vm.h; README.md, "File pages"),
 * and the read-only segments of the services RS has VM build, keyed by
 * their boot module (VM_FILE_MODULE; with VM_MAP_POPULATE, as a service
 * cannot take a page fault: every page is mapped before it runs).
 * Page i of such a region holds the file's bytes that fall in it and
 * zeros around them: the key of its frame in the page cache (cache.c) is
 * (file, file_off + i pages, lo, hi).
 *
 * When the cache has every page, the region is the process's at once: each
 * frame is put under the region with one reference more (no copy, no
 * kernel call: the first touch maps it, pagefault.c); a writable page is
 * copied on its first write, as after fork.  When a page is missing, VM
 * cannot read the file itself (it never sends a request, so it never waits
 * on VFS while VFS may wait on it: docs/processes.md section 3), so PM
 * (RS: from the boot module it maps) fills the region as it loads any
 * segment and hands the pages over (VM_PROT_CACHE, file_adopt).  A region is all from the cache or all
 * filled: a file whose pages were partly reclaimed is read again whole.
 *
 * State: none beyond the regions' R_FILE flag and the cache's entries.
 */
#include "vm.h"
#include <string.h>

/* The request's file fields are consistent with its range. */
static bool
file_fields_ok(const struct msg_vm_request *rq)
{
	return rq->file != 0 && !(rq->file_off & (PAGE_SIZE - 1)) && rq->file_lo < PAGE_SIZE &&
	       rq->file_lo <= rq->file_end && rq->file_end <= rq->len;
}

/* The file's bytes in page i of the region: [*lo, *hi), false if none. */
static bool
page_bytes(const struct msg_vm_request *rq, uint64_t i, unsigned *lo, unsigned *hi)
{
	uint64_t from = i * PAGE_SIZE, to = from + PAGE_SIZE;
	uint64_t a = rq->file_lo > from ? rq->file_lo : from;
	uint64_t b = rq->file_end < to ? rq->file_end : to;

	if (a >= b)
		return false;
	*lo = (unsigned)(a - from);
	*hi = (unsigned)(b - from);
	return true;
}

/* How many pages with file bytes the cache lacks. */
static uint64_t
missing(const struct msg_vm_request *rq)
{
	uint64_t n = 0;
	unsigned lo, hi;

	for (uint64_t i = 0; i < rq->len / PAGE_SIZE; i++)
		if (page_bytes(rq, i, &lo, &hi) &&
		    !cache_find(rq->file, rq->file_off + i * PAGE_SIZE, lo, hi))
			n++;
	return n;
}

/*
 * The cached frame pa under va of vp: one reference more, mapped at the
 * first touch.  A frame shared too often (frame_ref refuses) is copied
 * into a frame of the process's own, mapped now.
 */
static int
link_page(struct vmproc *vp, uint64_t va, uint64_t pa, uint32_t prot)
{
	uint32_t *slot = frame_slot(vp, va, true);
	uint64_t copy;

	if (!slot)
		return -ENOMEM;
	if (!frame_ref(pa)) {
		if (!(copy = frame_alloc(true)))
			return -ENOMEM;
		if (map_page_from(vp, va, copy, prot, pa) < 0) {
			frame_unref(copy);
			return -ENOMEM;
		}
		pa = copy;
	}
	*slot = (uint32_t)(pa >> PAGE_SHIFT);
	leaf_of(vp, va)->used++;
	vp->pages++;
	user_pages++;
	return 0;
}

/*
 * VM_MAP with VM_MAP_FILE (the range is free and checked), and a file
 * mmap's pages (mmap.c): a region with flags rflags (R_FILE, and
 * R_SHARED), populated from the reserve if `reserve` (PM's requests).
 * 0, VM_MAP_FILL or -E.
 */
int
file_map(struct vmproc *vp, const struct msg_vm_request *rq, uint32_t rflags, bool reserve)
{
	uint64_t end = rq->addr + rq->len;
	unsigned lo, hi;
	int r;

	if (!file_fields_ok(rq))
		return -EINVAL;
	if (missing(rq) > 0) {
		/* PM fills it as any segment: populated and writable until VM_PROT_CACHE. */
		if ((r = region_add(vp, rq->addr, end, LX_PROT_READ | LX_PROT_WRITE, rflags)) < 0)
			return r;
		if ((r = range_populate(vp, rq->addr, end, false, reserve)) < 0) {
			(void)range_unmap(vp, rq->addr, end);
			return r;
		}
		return VM_MAP_FILL;
	}
	if ((r = region_add(vp, rq->addr, end, rq->prot, rflags)) < 0)
		return r;
	for (uint64_t i = 0; i < rq->len / PAGE_SIZE; i++) {
		uint64_t off = rq->file_off + i * PAGE_SIZE;

		if (page_bytes(rq, i, &lo, &hi) &&
		    (r = link_page(vp, rq->addr + i * PAGE_SIZE, cache_find(rq->file, off, lo, hi),
				   rq->prot)) < 0) {
			(void)range_unmap(vp, rq->addr, end);
			return r;
		}
	}
	/* A service's (VM_MAP_POPULATE, RS): every page present now; it cannot fault. */
	if ((rq->flags & VM_MAP_POPULATE) &&
	    (r = range_populate(vp, rq->addr, end, false, reserve)) < 0) {
		(void)range_unmap(vp, rq->addr, end);
		return r;
	}
	return 0;
}

/*
 * VM_PROTECT with VM_PROT_CACHE: the region PM has filled after
 * VM_MAP_FILL holds its file's bytes (the process has not run since), so
 * each page with file bytes becomes a cache entry (one already there for
 * the same key stays, and this frame stays the process's own); then the
 * region gets its rights, under which the cached frames are read-only.
 */
int
file_adopt(struct vmproc *vp, const struct msg_vm_request *rq)
{
	struct region *rg = region_find(vp, rq->addr);
	unsigned lo, hi;

	if (!file_fields_ok(rq) || !rg || !(rg->flags & R_FILE) || rg->start != rq->addr ||
	    rg->end != rq->addr + rq->len)
		return -EINVAL;
	for (uint64_t i = 0; i < rq->len / PAGE_SIZE; i++) {
		uint32_t *slot = frame_slot(vp, rq->addr + i * PAGE_SIZE, false);
		uint64_t pa;

		if (!page_bytes(rq, i, &lo, &hi) || !slot || !*slot)
			continue;
		pa = (uint64_t)*slot << PAGE_SHIFT;
		if (frame_refs(pa) == 1)
			(void)cache_add(rq->file, rq->file_off + i * PAGE_SIZE, lo, hi, pa);
	}
	return range_protect(vp, rq->addr, rq->addr + rq->len, rq->prot);
}
