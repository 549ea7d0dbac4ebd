/*
 * VM's live update (README.md, "Live update"): the state goes from the old
 * version to the new one whole, through one grant, so that every process
 * keeps its memory and VM its bookkeeping of it.
 *
 * The old version, once RS's prepare state is reached (between two
 * messages: VM finishes every request before it receives the next, so
 * nothing is ever half done), writes its state into one buffer
 * (vm_lu_save): a header, then sections: the physical frames (ranges,
 * counters, the used bits, the reference counts: alloc.c), each space
 * (its break and regions), every leaf of frames, and the page cache's
 * entries (cache.c; each holds one reference on its frame).  It grants the buffer
 * to its own endpoint, where the new version will run after RS's swap,
 * and SEF hands the grant to RS with RS_LU_READY.  Nothing VM keeps
 * changes after that: it is blocked until RS decides.
 *
 * The new version (vm_init_lu) copies the buffer from the old one (held
 * at the new version's first endpoint, its memory intact), checks every
 * record before it uses it (sizes, slots, alignment, regions in order,
 * frames VM owns inside a region) and rebuilds the same structures; then
 * it checks that the whole agrees with itself: each frame's reference
 * count is the number of mappings of it, the used bits and the free count
 * follow.  Anything wrong fails its init, and RS rolls back to the old
 * version, which goes on with everything it had (vm_lu_release takes its
 * buffer back).  The kernel's side needs nothing: the swap keeps VM's
 * endpoint, so it stays the owner of the VM class of Linux calls and of
 * vmctl, the page tables are the processes', and the faults and calls
 * that came meanwhile wait in its queue.
 *
 * The format is this file's and alloc.c's structures, with a version: a
 * new version that changes them reads the old format or refuses it (and
 * the update rolls back).  Entry points: vm_lu_save, vm_lu_release,
 * vm_init_lu.
 */
#include "vm.h"
#include <sef.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define ST_MAGIC    0x54534d56u         /* "VMST" */
#define ST_VERSION  2                   /* 2: a space carries its memlimit (limit_pages) */
#define ST_MAX_SIZE ((uint64_t)1 << 30) /* a state larger than this is refused */
#define ST_CHUNK    ((size_t)1 << 20)   /* copied from the old version a piece at a time */

struct st_head {
	uint32_t magic, version;
	uint64_t size; /* of the whole buffer */
};

struct st_space {
	int32_t slot;
	endpoint_t endpt;
	uint64_t brk_base, brk_end, pages, limit_pages;
	uint32_t nr_regions;
	uint32_t pad;
};

struct st_region {
	uint64_t start, end;
	uint32_t prot, flags;
};

struct st_leaf {
	uint64_t base;
	uint16_t slot, used;
	uint32_t pad;
	uint32_t frame[LEAF_PAGES];
};

/* ---- writing (the old version) ---- */

static size_t pad_due; /* bytes to put after the section being written */

static void
put_zeroes(struct st_out *o, size_t n)
{
	if (o->buf)
		memset(o->buf + o->len, 0, n);
	o->len += n;
}

void
st_put(struct st_out *o, const void *p, size_t n)
{
	if (o->buf && n)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* A section header; its len bytes follow, then zeroes to a multiple of 8. */
void
st_section(struct st_out *o, uint32_t tag, uint32_t count, uint64_t len)
{
	struct st_sect s = { tag, count, len };

	put_zeroes(o, pad_due);
	st_put(o, &s, sizeof(s));
	pad_due = (size_t)((8 - len % 8) % 8);
}

static void
save_space(struct st_out *o, const struct vmproc *vp)
{
	struct st_space sp = { (int32_t)(vp - vmproc),
			       vp->endpt,
			       vp->brk_base,
			       vp->brk_end,
			       vp->pages,
			       vp->limit_pages,
			       (uint32_t)vp->nr_regions,
			       0 };

	st_section(o, ST_SPACE, 1, sizeof(sp) + (size_t)vp->nr_regions * sizeof(struct st_region));
	st_put(o, &sp, sizeof(sp));
	for (const struct region *rg = vp->regions; rg; rg = rg->next) {
		struct st_region r = { rg->start, rg->end, rg->prot, rg->flags };

		st_put(o, &r, sizeof(r));
	}
}

static void
count_leaf(const struct leaf *l, void *arg)
{
	(void)l;
	(*(uint32_t *)arg)++;
}

static void
save_leaf(const struct leaf *l, void *arg)
{
	struct st_leaf sl;

	memset(&sl, 0, sizeof(sl));
	sl.base = l->base;
	sl.slot = l->slot;
	sl.used = l->used;
	memcpy(sl.frame, l->frame, sizeof(sl.frame));
	st_put(arg, &sl, sizeof(sl));
}

static void
write_state(struct st_out *o)
{
	struct st_head h = { ST_MAGIC, ST_VERSION, 0 };
	uint32_t leaves = 0;

	pad_due = 0;
	st_put(o, &h, sizeof(h));
	alloc_save(o);
	for (int i = 0; i < NR_SLOTS; i++)
		if (vmproc[i].endpt != NONE)
			save_space(o, &vmproc[i]);
	for_each_leaf(count_leaf, &leaves);
	st_section(o, ST_LEAF, leaves, (uint64_t)leaves * sizeof(struct st_leaf));
	for_each_leaf(save_leaf, o);
	cache_save(o);
	st_section(o, ST_END, 0, 0);
}

static uint8_t *saved;                         /* the buffer handed over */
static grant_id_t saved_grant = GRANT_INVALID; /* ...and its grant */

/* SEF's state save: the buffer, granted to the new version. */
int
vm_lu_save(int state)
{
	struct st_out o = { NULL, 0 };

	(void)state;
	vm_lu_release();
	write_state(&o); /* the size */
	if (!(saved = malloc(o.len)))
		return -ENOMEM; /* RS rolls back at its deadline; this version goes on */
	o = (struct st_out){ saved, 0 };
	write_state(&o);
	((struct st_head *)saved)->size = o.len;
	if ((saved_grant = cpf_grant_direct(self_endpoint, saved, o.len, GRANT_READ)) < 0) {
		vm_lu_release();
		return -ENOMEM;
	}
	sef_lu_state_handover(saved_grant, o.len);
	return 0;
}

/*
 * Before every receive: a buffer still here means the update was rolled
 * back (or never got to RS), and this version goes on: take it back.
 */
void
vm_lu_release(void)
{
	if (!saved)
		return;
	if (saved_grant >= 0)
		(void)cpf_revoke(saved_grant);
	saved_grant = GRANT_INVALID;
	free(saved);
	saved = NULL;
}

/* ---- reading (the new version) ---- */

const void *
st_take(struct st_in *in, size_t n)
{
	const void *p = in->buf + in->at;

	if (n > in->len - in->at)
		return NULL;
	in->at += n;
	return p;
}

static uint8_t *counted; /* mappings per frame, counted from the leaves */
static uint64_t counted_pages, slot_pages[NR_SLOTS];

/* The regions of a space, in order, inside the user half, known rights and kinds. */
static int
load_regions(struct st_in *in, struct vmproc *vp, uint32_t n)
{
	struct region **tail = &vp->regions;
	uint64_t prev_end = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct st_region *r = st_take(in, sizeof(*r));
		struct region *rg;

		if (!r || r->start >= r->end || r->end > USER_TOP || r->start < prev_end ||
		    ((r->start | r->end) & (PAGE_SIZE - 1)) ||
		    (r->prot & ~(uint32_t)(LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)) ||
		    (r->flags & ~(uint32_t)R_KNOWN))
			return -EINVAL;
		if (!(rg = malloc(sizeof(*rg))))
			return -ENOMEM;
		*rg = (struct region){ r->start, r->end, r->prot, r->flags, NULL };
		*tail = rg;
		tail = &rg->next;
		prev_end = r->end;
	}
	vp->nr_regions = (int)n;
	return 0;
}

static int
load_space(struct st_in *in, const struct st_sect *s)
{
	const struct st_space *sp = st_take(in, sizeof(*sp));
	struct vmproc *vp;

	if (!sp || sp->slot < 0 || sp->slot >= NR_SLOTS || sp->endpt == NONE ||
	    endpoint_slot(sp->endpt) != sp->slot || sp->nr_regions > MAX_REGIONS ||
	    s->len != sizeof(*sp) + sp->nr_regions * sizeof(struct st_region) ||
	    sp->brk_base > sp->brk_end || sp->brk_end > USER_TOP)
		return -EINVAL;
	vp = &vmproc[sp->slot];
	if (vp->endpt != NONE)
		return -EINVAL; /* twice */
	vp->endpt = sp->endpt;
	vp->brk_base = sp->brk_base;
	vp->brk_end = sp->brk_end;
	vp->pages = sp->pages;
	vp->limit_pages = sp->limit_pages;
	return load_regions(in, vp, sp->nr_regions);
}

/* One leaf: its space known, its frames VM's and inside regions, counted. */
static int
load_leaf(const struct st_leaf *sl)
{
	struct vmproc *vp = sl->slot < NR_SLOTS ? &vmproc[sl->slot] : NULL;
	unsigned used = 0;
	struct leaf *l;

	if (!vp || vp->endpt == NONE || (sl->base & (LEAF_PAGES * PAGE_SIZE - 1)) ||
	    sl->base >= USER_TOP || leaf_of(vp, sl->base))
		return -EINVAL;
	for (unsigned i = 0; i < LEAF_PAGES; i++) {
		uint64_t ix, va = sl->base + (uint64_t)i * PAGE_SIZE;

		if (!sl->frame[i])
			continue;
		if (frame_index((uint64_t)sl->frame[i] << PAGE_SHIFT, &ix) < 0 ||
		    !region_find(vp, va) || counted[ix] == 255)
			return -EINVAL;
		counted[ix]++;
		used++;
	}
	if (used == 0 || used != sl->used || !frame_slot(vp, sl->base, true))
		return -EINVAL;
	l = leaf_of(vp, sl->base);
	memcpy(l->frame, sl->frame, sizeof(l->frame));
	l->used = sl->used;
	counted_pages += used;
	slot_pages[sl->slot] += used;
	return 0;
}

static int
load_leaves(struct st_in *in, const struct st_sect *s)
{
	if (s->len != (uint64_t)s->count * sizeof(struct st_leaf))
		return -EINVAL;
	for (uint32_t i = 0; i < s->count; i++) {
		const struct st_leaf *sl = st_take(in, sizeof(*sl));
		int r;

		if (!sl)
			return -EINVAL;
		if ((r = load_leaf(sl)) < 0)
			return r;
	}
	return 0;
}

/* The page cache's entries: each frame VM's, its reference counted. */
static int
load_cache(struct st_in *in, const struct st_sect *s)
{
	struct st_cpage {
		uint64_t file, off;
		uint16_t lo, hi;
		uint32_t frame;
	};

	if (s->len != (uint64_t)s->count * sizeof(struct st_cpage))
		return -EINVAL;
	for (uint32_t i = 0; i < s->count; i++) {
		const struct st_cpage *c = st_take(in, sizeof(*c));
		uint64_t ix, pa;
		int r;

		if (!c)
			return -EINVAL;
		pa = (uint64_t)c->frame << PAGE_SHIFT;
		if (frame_index(pa, &ix) < 0 || counted[ix] == 255)
			return -EINVAL;
		if ((r = cache_load_entry(c->file, c->off, c->lo, c->hi, pa)) < 0)
			return r;
		counted[ix]++;
	}
	return 0;
}

typedef int st_load_fn(struct st_in *in, const struct st_sect *s);

/* What reads each section; ST_ALLOC comes first (the others need its size). */
static st_load_fn *const st_loaders[ST_NR_TAGS] = {
	[ST_ALLOC] = alloc_load, [ST_USED] = alloc_load_used, [ST_REFS] = alloc_load_refs,
	[ST_SPACE] = load_space, [ST_LEAF] = load_leaves,     [ST_CACHE] = load_cache,
};

static int
load_section(struct st_in *in, const struct st_sect *s)
{
	size_t end = in->at + (size_t)s->len;
	int r;

	if (s->tag >= ST_NR_TAGS || !st_loaders[s->tag] || s->len > in->len - in->at)
		return -EINVAL; /* a section this version does not know: refuse, roll back */
	if ((r = st_loaders[s->tag](in, s)) < 0)
		return r;
	if (in->at != end)
		return -EINVAL; /* the records did not fill the section */
	in->at = end + (size_t)((8 - s->len % 8) % 8);
	return in->at <= in->len ? 0 : -EINVAL;
}

/* Every space's page count is what its leaves hold. */
static int
pages_agree(void)
{
	for (int i = 0; i < NR_SLOTS; i++)
		if (vmproc[i].endpt != NONE && vmproc[i].pages != slot_pages[i])
			return -EINVAL;
	return 0;
}

static int
read_state(const uint8_t *buf, size_t len)
{
	struct st_in in = { buf, len, 0 };
	const struct st_head *h = st_take(&in, sizeof(*h));
	const struct st_sect *s;
	int r;

	if (!h || h->magic != ST_MAGIC || h->version != ST_VERSION || h->size != len)
		return -EINVAL;
	while ((s = st_take(&in, sizeof(*s))) && s->tag != ST_END) {
		/* The frames first, and once: the other parts are checked against them. */
		if ((s->tag == ST_ALLOC) != (counted == NULL))
			return -EINVAL;
		if ((r = load_section(&in, s)) < 0)
			return r;
		if (!counted && !(counted = calloc(frame_total() + 1, 1)))
			return -ENOMEM;
	}
	if (!s || !counted)
		return -EINVAL;
	if ((r = pages_agree()) < 0 || (r = alloc_verify(counted, counted_pages)) < 0)
		return r;
	alloc_recount_idle();
	return 0;
}

/* SEF's init for a live update: the old version's state, or a refusal. */
int
vm_init_lu(int type, const struct msg_rs_init *info)
{
	uint64_t size = info->state_size;
	uint8_t *buf;
	int r = 0;

	(void)type;
	for (int i = 0; i < NR_SLOTS; i++)
		vmproc[i].endpt = NONE;
	if (info->state_grant == GRANT_INVALID || size < sizeof(struct st_head) ||
	    size > ST_MAX_SIZE) {
		printf("vm: no state handed over (grant %d, %llu bytes): refused\n",
		       info->state_grant, (unsigned long long)size);
		return -EINVAL;
	}
	if (!(buf = malloc(size)))
		return -ENOMEM;
	for (uint64_t off = 0; off < size && r == 0; off += ST_CHUNK)
		r = sys_safecopyfrom(info->old_endpt, info->state_grant, off, buf + off,
				     size - off < ST_CHUNK ? size - off : ST_CHUNK);
	if (r == 0)
		r = read_state(buf, size);
	free(buf);
	if (r < 0)
		printf("vm: the old version's state is refused (%d): rolled back\n", r);
	return r;
}
