/*
 * Address spaces of user processes (README.md): per process a sorted list
 * of regions (what may be mapped, with which rights) and the frames under
 * them, kept in leaves of 512 pages found by a hash of (slot, va >> 21).
 * The kernel's page tables only mirror this: every change goes through
 * vmctl (MAP, UNMAP, PROTECT, NEWAS), and a page VM knows may be absent
 * there (PROT_NONE, or not faulted back yet): a fault maps it again.
 *
 * A page is mapped writable only when its region is writable and the frame
 * has one reference; a shared frame (fork) is copied on the first write.
 */
#include "vm.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define LEAF_SHIFT 21
#define LEAF_HASH  1024

struct vmproc vmproc[NR_SLOTS];
uint64_t user_pages;
static struct leaf *leaf_hash[LEAF_HASH];

static unsigned
leaf_bucket(int slot, uint64_t va)
{
	uint64_t k = (va >> LEAF_SHIFT) * 0x9e3779b97f4a7c15ull + (uint64_t)slot;

	return (unsigned)(k >> 32) % LEAF_HASH;
}

static int
slot_of(const struct vmproc *vp)
{
	return (int)(vp - vmproc);
}

struct vmproc *
vmproc_of(endpoint_t e)
{
	struct vmproc *vp;

	if (e == NONE || e == ANY || endpoint_slot(e) < 0 || endpoint_slot(e) >= NR_SLOTS)
		return NULL;
	vp = &vmproc[endpoint_slot(e)];
	return vp->endpt == e ? vp : NULL;
}

static struct leaf *leaf_find(const struct vmproc *vp, uint64_t va, bool create);
static int vmctl(int op, const struct vmproc *vp, uint64_t va, uint64_t pa, uint64_t pages,
		 uint32_t flags, uint64_t src);

struct leaf *
leaf_of(const struct vmproc *vp, uint64_t va)
{
	return leaf_find(vp, va, false);
}

/* The page at va mapped with the rights of prot (no write if its frame is shared). */
int
protect_page(struct vmproc *vp, uint64_t va, uint32_t prot)
{
	return vmctl(VMCTL_PROTECT, vp, va, 0, 1,
		     (prot & LX_PROT_WRITE ? VMCTL_F_WRITE : 0) |
			     (prot & LX_PROT_EXEC ? VMCTL_F_EXEC : 0),
		     0);
}

static struct leaf *
leaf_find(const struct vmproc *vp, uint64_t va, bool create)
{
	uint64_t base = va & ~(((uint64_t)1 << LEAF_SHIFT) - 1);
	unsigned b = leaf_bucket(slot_of(vp), base);
	struct leaf *l;

	for (l = leaf_hash[b]; l; l = l->next)
		if (l->base == base && l->slot == slot_of(vp))
			return l;
	if (!create || !(l = calloc(1, sizeof(*l))))
		return NULL;
	l->base = base;
	l->slot = (uint16_t)slot_of(vp);
	l->next = leaf_hash[b];
	leaf_hash[b] = l;
	return l;
}

static void
leaf_drop(struct leaf *dead)
{
	struct leaf **pp = &leaf_hash[leaf_bucket(dead->slot, dead->base)];

	for (; *pp; pp = &(*pp)->next)
		if (*pp == dead) {
			*pp = dead->next;
			free(dead);
			return;
		}
}

uint32_t *
frame_slot(struct vmproc *vp, uint64_t va, bool create)
{
	struct leaf *l = leaf_find(vp, va, create);

	return l ? &l->frame[(va >> PAGE_SHIFT) % LEAF_PAGES] : NULL;
}

/* How a page of prot with frame pa is mapped (vmctl rights). */
static uint32_t
rights(uint32_t prot, uint64_t pa)
{
	return ((prot & LX_PROT_WRITE) && frame_refs(pa) == 1 ? VMCTL_F_WRITE : 0) |
	       (prot & LX_PROT_EXEC ? VMCTL_F_EXEC : 0);
}

static int
vmctl(int op, const struct vmproc *vp, uint64_t va, uint64_t pa, uint64_t pages, uint32_t flags,
      uint64_t src)
{
	struct msg_sys_vmctl rq;

	memset(&rq, 0, sizeof(rq));
	rq.op = op;
	rq.endpt = vp->endpt;
	rq.va = va;
	rq.pa = pa;
	rq.pages = pages;
	rq.flags = flags;
	rq.src = src;
	return sys_vmctl(&rq, NULL);
}

/* Map frame pa at va with the rights of prot; how: VMCTL_F_ZERO, _COPY (from src) or 0. */
int
map_page(struct vmproc *vp, uint64_t va, uint64_t pa, uint32_t prot, uint32_t how)
{
	return vmctl(VMCTL_MAP, vp, va, pa, 0, rights(prot, pa) | how, 0);
}

/* Map frame pa at va with the rights of prot, filled with a copy of frame src first. */
int
map_page_from(struct vmproc *vp, uint64_t va, uint64_t pa, uint32_t prot, uint64_t src)
{
	return vmctl(VMCTL_MAP, vp, va, pa, 0, rights(prot, pa) | VMCTL_F_COPY, src);
}

/*
 * Make the page at va of region rg present (and writable, if `write`):
 * a zeroed frame for a page never touched, the frame VM has for one the
 * kernel's tables lack, a copy of a shared frame for a write.  `reserve`:
 * the reserve may be used (PM's requests).  0 or -ENOMEM.
 */
int
page_fault_in(struct vmproc *vp, struct region *rg, uint64_t va, bool write, bool reserve)
{
	uint32_t *slot = frame_slot(vp, va, true);
	struct leaf *l;
	uint64_t pa, old;
	int r;

	if (!slot)
		return -ENOMEM;
	l = leaf_find(vp, va, false);
	if (*slot == 0) {
		if (!(pa = frame_alloc(reserve)))
			return -ENOMEM;
		if ((r = map_page(vp, va, pa, rg->prot, VMCTL_F_ZERO)) < 0) {
			frame_unref(pa);
			return r == -ENOMEM ? r : -EFAULT;
		}
		*slot = (uint32_t)(pa >> PAGE_SHIFT);
		l->used++;
		vp->pages++;
		user_pages++;
		return 0;
	}
	old = (uint64_t)*slot << PAGE_SHIFT;
	if (write && (rg->prot & LX_PROT_WRITE) && frame_refs(old) > 1) {
		if (!(pa = frame_alloc(reserve)))
			return -ENOMEM;
		if ((r = map_page_from(vp, va, pa, rg->prot, old)) < 0) {
			frame_unref(pa);
			return r == -ENOMEM ? r : -EFAULT;
		}
		frame_unref(old);
		*slot = (uint32_t)(pa >> PAGE_SHIFT);
		return 0;
	}
	return map_page(vp, va, old, rg->prot, 0) < 0 ? -ENOMEM : 0;
}

struct region *
region_find(struct vmproc *vp, uint64_t addr)
{
	for (struct region *rg = vp->regions; rg && rg->start <= addr; rg = rg->next)
		if (addr < rg->end)
			return rg;
	return NULL;
}

/* Is [start, end) outside every region? */
bool
range_free(struct vmproc *vp, uint64_t start, uint64_t end)
{
	for (struct region *rg = vp->regions; rg && rg->start < end; rg = rg->next)
		if (rg->end > start)
			return false;
	return true;
}

static bool
mergeable(const struct region *rg, uint32_t prot, uint32_t flags)
{
	return rg && rg->prot == prot && rg->flags == flags &&
	       !(flags & (R_HEAP | R_STACK | R_FILE));
}

/*
 * A new region [start, end) over free addresses, in order.  It joins a
 * neighbour of the same kind that touches it (mmap's top-down placement
 * makes a run of them), so a process that maps piece after piece does not
 * run into MAX_REGIONS.  0 or -ENOMEM.
 */
int
region_add(struct vmproc *vp, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags)
{
	struct region **pp = &vp->regions, *prev = NULL, *next, *rg;

	while (*pp && (*pp)->start < start) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	next = *pp;
	if (prev && prev->end == start && mergeable(prev, prot, flags)) {
		prev->end = end;
		if (next && next->start == end && mergeable(next, prot, flags)) {
			prev->end = next->end;
			prev->next = next->next;
			free(next);
			vp->nr_regions--;
		}
		return 0;
	}
	if (next && next->start == end && mergeable(next, prot, flags)) {
		next->start = start;
		return 0;
	}
	if (vp->nr_regions >= MAX_REGIONS || !(rg = malloc(sizeof(*rg))))
		return -ENOMEM;
	*rg = (struct region){ start, end, prot, flags, next };
	*pp = rg;
	vp->nr_regions++;
	return 0;
}

/* Make addr a region boundary (no region spans it).  0 or -ENOMEM. */
static int
split_at(struct vmproc *vp, uint64_t addr)
{
	struct region *rg = region_find(vp, addr), *tail;

	if (!rg || rg->start == addr)
		return 0;
	if (vp->nr_regions >= MAX_REGIONS || !(tail = malloc(sizeof(*tail))))
		return -ENOMEM;
	*tail = *rg;
	tail->start = addr;
	rg->end = addr;
	rg->next = tail;
	vp->nr_regions++;
	return 0;
}

/*
 * Apply fn to every leaf that holds pages of [start, end), with the part
 * of the range it covers.  Only regions can hold pages, so only their
 * overlap with the range is walked.
 */
void
for_leaves(struct vmproc *vp, uint64_t start, uint64_t end, leaf_fn *fn, void *arg)
{
	for (struct region *rg = vp->regions; rg && rg->start < end; rg = rg->next) {
		uint64_t from = rg->start > start ? rg->start : start;
		uint64_t to = rg->end < end ? rg->end : end;

		while (from < to) {
			uint64_t next = (from | (((uint64_t)1 << LEAF_SHIFT) - 1)) + 1;
			struct leaf *l = leaf_find(vp, from, false);

			if (next > to)
				next = to;
			if (l)
				fn(vp, l, from, next, arg);
			from = next;
		}
	}
}

/* Drop the frames of [from, to) in leaf l: unmapped in the kernel, unreferenced. */
static void
drop_frames(struct vmproc *vp, struct leaf *l, uint64_t from, uint64_t to, void *arg)
{
	(void)arg;
	if (vp->endpt != NONE &&
	    vmctl(VMCTL_UNMAP, vp, from, 0, (to - from) >> PAGE_SHIFT, 0, 0) < 0)
		printf("vm: unmapping %#llx of %d failed\n", (unsigned long long)from, vp->endpt);
	for (uint64_t va = from; va < to; va += PAGE_SIZE) {
		uint32_t *s = &l->frame[(va >> PAGE_SHIFT) % LEAF_PAGES];

		if (*s) {
			frame_unref((uint64_t)*s << PAGE_SHIFT);
			*s = 0;
			l->used--;
			vp->pages--;
			user_pages--;
		}
	}
	if (l->used == 0)
		leaf_drop(l);
}

/* Remove [start, end) from the space: regions cut, frames freed.  0 or -ENOMEM. */
int
range_unmap(struct vmproc *vp, uint64_t start, uint64_t end)
{
	struct region **pp;
	int r;

	if ((r = split_at(vp, start)) < 0 || (r = split_at(vp, end)) < 0)
		return r;
	for_leaves(vp, start, end, drop_frames, NULL);
	for (pp = &vp->regions; *pp;) {
		struct region *rg = *pp;

		if (rg->start >= start && rg->end <= end) {
			*pp = rg->next;
			free(rg);
			vp->nr_regions--;
		} else {
			pp = &rg->next;
		}
	}
	return 0;
}

/*
 * The frames of [start, end) given back, the regions kept (madvise's
 * MADV_DONTNEED): the next touch of a page finds a zeroed one.
 */
void
range_discard(struct vmproc *vp, uint64_t start, uint64_t end)
{
	for_leaves(vp, start, end, drop_frames, NULL);
}

/* The kernel's view of [from, to) in leaf l after a change of rights to *prot. */
static void
reprotect(struct vmproc *vp, struct leaf *l, uint64_t from, uint64_t to, void *arg)
{
	uint32_t prot = *(uint32_t *)arg;

	if (prot == LX_PROT_NONE) {
		/* Not accessible: out of the kernel's tables, kept here. */
		(void)vmctl(VMCTL_UNMAP, vp, from, 0, (to - from) >> PAGE_SHIFT, 0, 0);
		return;
	}
	(void)vmctl(VMCTL_PROTECT, vp, from, 0, (to - from) >> PAGE_SHIFT,
		    (prot & LX_PROT_WRITE ? VMCTL_F_WRITE : 0) |
			    (prot & LX_PROT_EXEC ? VMCTL_F_EXEC : 0),
		    0);
	if (!(prot & LX_PROT_WRITE))
		return;
	for (uint64_t va = from; va < to; va += PAGE_SIZE) {
		uint32_t f = l->frame[(va >> PAGE_SHIFT) % LEAF_PAGES];

		if (f && frame_refs((uint64_t)f << PAGE_SHIFT) > 1)
			(void)vmctl(VMCTL_PROTECT, vp, va, 0, 1,
				    prot & LX_PROT_EXEC ? VMCTL_F_EXEC : 0, 0); /* still shared */
	}
}

/*
 * mprotect over [start, end): every page must lie in a region (-ENOMEM
 * otherwise, nothing changed); the regions are cut at both ends.
 */
int
range_protect(struct vmproc *vp, uint64_t start, uint64_t end, uint32_t prot)
{
	uint64_t at = start;
	int r;

	for (struct region *rg = region_find(vp, start); at < end; rg = rg->next) {
		if (!rg || rg->start > at)
			return -ENOMEM;
		at = rg->end;
	}
	if ((r = split_at(vp, start)) < 0 || (r = split_at(vp, end)) < 0)
		return r;
	for (struct region *rg = region_find(vp, start); rg && rg->start < end; rg = rg->next)
		rg->prot = prot;
	for_leaves(vp, start, end, reprotect, &prot);
	return 0;
}

/*
 * Every page of [start, end) present (writable and unshared if `write`):
 * for PM before it copies into the range, and MAP_POPULATE.  -EFAULT for a
 * page outside the regions or without the rights; -ENOMEM.
 */
int
range_populate(struct vmproc *vp, uint64_t start, uint64_t end, bool write, bool reserve)
{
	for (uint64_t va = start; va < end; va += PAGE_SIZE) {
		struct region *rg = region_find(vp, va);
		int r;

		if (!rg || rg->prot == LX_PROT_NONE || (write && !(rg->prot & LX_PROT_WRITE)) ||
		    (rg->flags & R_BUS))
			return -EFAULT;
		if ((r = page_fault_in(vp, rg, va, write, reserve)) < 0)
			return r;
	}
	return 0;
}

/*
 * Move the frames of [from, from+len) to [to, to+len) (mremap): each is
 * mapped at its new address with the rights of the region there, and
 * forgotten at the old one (the caller removes the old range).
 */
int
range_move(struct vmproc *vp, uint64_t from, uint64_t len, uint64_t to)
{
	struct region *dst = region_find(vp, to);

	for (uint64_t off = 0; off < len; off += PAGE_SIZE) {
		uint32_t *s = frame_slot(vp, from + off, false), *d;
		struct leaf *sl, *dl;
		int r;

		if (!s || !*s)
			continue;
		if (!(d = frame_slot(vp, to + off, true)))
			return -ENOMEM;
		if ((r = map_page(vp, to + off, (uint64_t)*s << PAGE_SHIFT, dst->prot, 0)) < 0)
			return r;
		(void)vmctl(VMCTL_UNMAP, vp, from + off, 0, 1, 0, 0);
		sl = leaf_find(vp, from + off, false);
		dl = leaf_find(vp, to + off, false);
		*d = *s;
		*s = 0;
		dl->used++;
		if (--sl->used == 0)
			leaf_drop(sl);
	}
	return 0;
}

/*
 * The highest free, page-aligned range of len bytes that ends at or below
 * `below` and starts at or above 64 KiB (Linux's mmap_min_addr); 0 if none.
 */
uint64_t
find_gap(struct vmproc *vp, uint64_t len, uint64_t below)
{
	uint64_t best = 0, prev_end = 0x10000;

	for (struct region *rg = vp->regions;; rg = rg->next) {
		uint64_t gap_end = rg ? rg->start : USER_TOP;

		if (gap_end > below)
			gap_end = below;
		if (gap_end > prev_end && gap_end - prev_end >= len)
			best = gap_end - len;
		if (!rg || rg->start >= below)
			break;
		if (rg->end > prev_end)
			prev_end = rg->end;
	}
	return best;
}

/* Forget every region and frame of vp (its mappings are gone already). */
void
space_free(struct vmproc *vp)
{
	vp->endpt = NONE; /* the kernel has no tables for it any more: no vmctl */
	for_leaves(vp, 0, USER_TOP, drop_frames, NULL);
	while (vp->regions) {
		struct region *rg = vp->regions;

		vp->regions = rg->next;
		free(rg);
	}
	memset(vp, 0, sizeof(*vp));
	vp->endpt = NONE;
}

/*
 * The end of vp (VM_EXIT, a failed fork): the kernel drops its tables
 * first, so that no frame freed here is still mapped anywhere; then every
 * region and frame goes.
 */
void
space_drop(struct vmproc *vp)
{
	struct msg_sys_vmctl rq;
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.op = VMCTL_NEWAS;
	rq.endpt = vp->endpt;
	if ((r = sys_vmctl(&rq, NULL)) < 0 && r != -EDEADSRCDST && r != -EINVAL)
		printf("vm: dropping the tables of %d: %d\n", vp->endpt, r);
	space_free(vp);
}

/*
 * A fresh empty space for e (VM_NEWMEM): the kernel binds new tables to its
 * slot, destroying the old ones first, so no frame VM frees is still
 * mapped anywhere.  0, or the kernel's error.
 */
int
space_new(endpoint_t e, struct vmproc **out)
{
	struct vmproc *vp = &vmproc[endpoint_slot(e)];
	struct msg_sys_vmctl rq;
	int r;

	memset(&rq, 0, sizeof(rq));
	rq.op = VMCTL_NEWAS;
	rq.endpt = e;
	if ((r = sys_vmctl(&rq, NULL)) < 0)
		return r;
	if (vp->endpt != NONE)
		space_free(vp); /* the old image, or a dead process's PM never reported */
	memset(vp, 0, sizeof(*vp));
	vp->endpt = e;
	*out = vp;
	return 0;
}

/* Every leaf of every space, in no order (state.c). */
void
for_each_leaf(void (*fn)(const struct leaf *l, void *arg), void *arg)
{
	for (int b = 0; b < LEAF_HASH; b++)
		for (const struct leaf *l = leaf_hash[b]; l; l = l->next)
			fn(l, arg);
}

void
vm_dump_spaces(struct dump *d)
{
	dump_printf(d, "  endpt   pages  regions  brk\n");
	for (int i = 0; i < NR_SLOTS; i++) {
		const struct vmproc *vp = &vmproc[i];

		if (vp->endpt == NONE)
			continue;
		dump_printf(d, "%7d %7llu %8d  %#llx-%#llx\n", vp->endpt,
			    (unsigned long long)vp->pages, vp->nr_regions,
			    (unsigned long long)vp->brk_base, (unsigned long long)vp->brk_end);
		for (const struct region *rg = vp->regions; rg; rg = rg->next)
			dump_printf(d, "          %#llx-%#llx prot %u%s%s%s\n",
				    (unsigned long long)rg->start, (unsigned long long)rg->end,
				    rg->prot, rg->flags & R_HEAP ? " heap" : "",
				    rg->flags & R_STACK ? " stack" : "",
				    rg->flags & R_BUS    ? " past-eof"
				    : rg->flags & R_FILE ? " file"
							 : "");
	}
}

/* Every leaf of slot `from` moves to slot `to` (rehashed); none of `to`'s may be left. */
static void
leaves_move(int from, int to, struct leaf **moved)
{
	for (int b = 0; b < LEAF_HASH; b++)
		for (struct leaf **pp = &leaf_hash[b]; *pp;) {
			struct leaf *l = *pp;

			if (l->slot != from) {
				pp = &l->next;
				continue;
			}
			*pp = l->next;
			l->slot = (uint16_t)to;
			l->next = *moved;
			*moved = l;
		}
}

/*
 * VM_SWAP: the kernel's update is about to swap the programs of a and b
 * (a live update, a stateful restart, a roll-back: RS), and with them
 * their address spaces; VM's bookkeeping of the two slots swaps first, so
 * that each endpoint names the space it will have.  Either may have no
 * space VM made (a program the kernel built).
 */
void
space_swap(endpoint_t a, endpoint_t b)
{
	int sa = endpoint_slot(a), sb = endpoint_slot(b);
	struct vmproc t;
	struct leaf *la = NULL, *lb = NULL;

	/* A space left by a process whose end VM was not told of: nothing maps it now. */
	if (vmproc[sa].endpt != NONE && vmproc[sa].endpt != a)
		space_free(&vmproc[sa]);
	if (vmproc[sb].endpt != NONE && vmproc[sb].endpt != b)
		space_free(&vmproc[sb]);
	t = vmproc[sa];
	leaves_move(sa, sb, &la);
	leaves_move(sb, sa, &lb);
	vmproc[sa] = vmproc[sb];
	vmproc[sb] = t;
	vmproc[sa].endpt = vmproc[sa].endpt != NONE ? a : NONE;
	vmproc[sb].endpt = vmproc[sb].endpt != NONE ? b : NONE;
	for (struct leaf *l; (l = la) || (l = lb);) {
		unsigned bk = leaf_bucket(l->slot, l->base);

		if (l == la)
			la = l->next;
		else
			lb = l->next;
		l->next = leaf_hash[bk];
		leaf_hash[bk] = l;
	}
}
