/*
 * The VM server's internals (README.md): its physical memory (alloc.c),
 * the address spaces of user processes as regions with the frames under
 * them (region.c), the Linux memory calls (linux.c), page faults
 * (pagefault.c), and PM's requests (main.c).  fork.c (VM_FORK) shares the
 * frame reference counts and region copies.
 */
#ifndef VM_VM_H
#define VM_VM_H

#include <libsys.h>
#include <dispatch.h>
#include <ax/vm.h>
#include <ax/linux.h>

#define PAGE_SIZE   4096
#define PAGE_SHIFT  12
#define USER_TOP    0x0000800000000000ull
#define MMAP_TOP    0x00007f0000000000ull /* mmap without a hint looks down from here */
#define MAX_REGIONS 1024                  /* per process (Linux: 65530) */

static inline uint64_t
page_down(uint64_t a)
{
	return a & ~(uint64_t)(PAGE_SIZE - 1);
}

static inline uint64_t
page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

/* ---- physical memory (alloc.c) ---- */

/*
 * A frame is named by its physical address.  User processes may not take
 * the last `reserved` free frames (the reserve for system processes,
 * README.md); frame_alloc(true) may.
 */
int alloc_init(void);
uint64_t frame_alloc(bool reserve); /* 0: none left */
bool frame_ref(uint64_t pa);        /* one more mapping shares it (fork); false: too many */
void frame_unref(uint64_t pa);      /* freed with its last reference */
unsigned frame_refs(uint64_t pa);
void alloc_info(struct msg_vm_reply *out);
int frame_index(uint64_t pa, uint64_t *ix); /* its number among VM's frames: 0 or -EINVAL */
uint64_t frame_total(void);
bool frame_cache_hold(uint64_t pa);    /* the page cache's reference (cache.c) */
void frame_cache_release(uint64_t pa); /* ... given back */
uint64_t frame_idle_cached(void);      /* cached frames only the cache references */

/* ---- address spaces (region.c) ---- */

/* A region: [start, end), page-aligned, one set of rights. */
struct region {
	uint64_t start, end;
	uint32_t prot;       /* LX_PROT_* */
	uint32_t flags;      /* R_* */
	struct region *next; /* sorted by start */
};

#define R_HEAP   0x1 /* brk's */
#define R_STACK  0x2
#define R_FILE   0x4  /* a file's pages: shared with the page cache (file.c) */
#define R_BUS    0x8  /* with R_FILE: an mmap's pages past the file's end: a fault is SIGBUS */
#define R_SHARED 0x10 /* with R_FILE: MAP_SHARED (read-only: mprotect refuses PROT_WRITE) */
/* Every flag: state.c refuses others in a handed-over state. */
#define R_KNOWN  (R_HEAP | R_STACK | R_FILE | R_BUS | R_SHARED)

/*
 * The frames of a process, 512 pages (2 MiB of addresses) per leaf, found
 * by a hash of (slot, va >> 21).  frame[i] is the physical address >> 12,
 * 0 for none.
 */
#define LEAF_PAGES 512
struct leaf {
	uint64_t base; /* va of frame[0] */
	struct leaf *next;
	uint16_t slot;
	uint16_t used; /* frames present */
	uint32_t frame[LEAF_PAGES];
};

struct vmproc {
	endpoint_t endpt;           /* NONE: slot unused */
	uint64_t brk_base, brk_end; /* the heap: [brk_base, brk_end), pages to page_up(brk_end) */
	struct region *regions;
	int nr_regions;
	uint64_t pages;       /* frames mapped */
	uint64_t limit_pages; /* a service's memlimit (RS's VM_NEWMEM), 0: none */
};

/*
 * Would `more` pages take vp past its memlimit?  The limit counts every
 * page of the space (segments, stack, heap; shared ones too), as the
 * kernel's quota counts a process's pages: a service's pages are all
 * present, so this is its address space's size, Linux's RLIMIT_AS.
 */
static inline bool
past_limit(const struct vmproc *vp, uint64_t more)
{
	return vp->limit_pages && vp->pages + more > vp->limit_pages;
}

extern struct vmproc vmproc[NR_SLOTS];
extern uint64_t user_pages; /* frames mapped in all user processes */

struct vmproc *vmproc_of(endpoint_t e); /* a live space VM manages, or NULL */
struct region *region_find(struct vmproc *vp, uint64_t addr);
bool range_free(struct vmproc *vp, uint64_t start, uint64_t end);
int region_add(struct vmproc *vp, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags);
int range_unmap(struct vmproc *vp, uint64_t start, uint64_t end);
void range_discard(struct vmproc *vp, uint64_t start, uint64_t end); /* frames only */
int range_protect(struct vmproc *vp, uint64_t start, uint64_t end, uint32_t prot);
int range_populate(struct vmproc *vp, uint64_t start, uint64_t end, bool write, bool reserve);
int range_move(struct vmproc *vp, uint64_t from, uint64_t len, uint64_t to);
int page_fault_in(struct vmproc *vp, struct region *rg, uint64_t va, bool write, bool reserve);
void space_free(struct vmproc *vp);
void space_drop(struct vmproc *vp);
struct leaf *leaf_of(const struct vmproc *vp, uint64_t va);
int protect_page(struct vmproc *vp, uint64_t va, uint32_t prot);
int map_page_from(struct vmproc *vp, uint64_t va, uint64_t pa, uint32_t prot, uint64_t src);
typedef void leaf_fn(struct vmproc *vp, struct leaf *l, uint64_t from, uint64_t to, void *arg);
void for_leaves(struct vmproc *vp, uint64_t start, uint64_t end, leaf_fn *fn, void *arg);
int vm_fork(struct vmproc *parent, endpoint_t child); /* fork.c */
int space_new(endpoint_t e, struct vmproc **out);
void space_swap(endpoint_t a, endpoint_t b); /* VM_SWAP */
uint64_t find_gap(struct vmproc *vp, uint64_t len, uint64_t below);
uint32_t *frame_slot(struct vmproc *vp, uint64_t va, bool create);
int map_page(struct vmproc *vp, uint64_t va, uint64_t pa, uint32_t prot, uint32_t how);
void vm_dump_spaces(struct dump *d);
void for_each_leaf(void (*fn)(const struct leaf *l, void *arg), void *arg);

/* ---- the Linux calls (linux.c) and faults (pagefault.c) ---- */

void vm_linux_call(endpoint_t caller, message *m);
void vm_pagefault(endpoint_t caller, message *m);
void vm_memreq(endpoint_t caller, message *m);
int brk_set(struct vmproc *vp, uint64_t end);
bool may_commit(uint64_t pages);
int mmap_place(struct vmproc *vp, uint64_t flags, uint64_t len, uint64_t *addrp);
int64_t mmap_anon(struct vmproc *vp, const uint64_t *arg);
/* file mmap (mmap.c): the call held while VFS answers */
int64_t fmap_begin(struct vmproc *vp, const uint64_t *arg); /* LX_NO_REPLY or -E */
void fmap_answer(const message *m);                         /* VM_VFS_ANSWER */
void fmap_check_vfs(void);                                  /* the clock: is VFS still there? */
bool fmap_idle(void);                                       /* no call held (live update) */
#define SERVICE_HEAP_MAX ((uint64_t)256 << 20) /* a service's heap (VM_BRK), as the kernel's brk */
int service_brk(struct vmproc *vp, uint64_t end);

/*
 * ---- live update (state.c) ----
 * The old version writes its whole state into one buffer of sections
 * (a header, then each part's records) that the new version reads through
 * a grant, checks, and rebuilds from.  st_out writes (or, with buf NULL,
 * only counts: the first of two passes); st_in reads within bounds.
 */
struct st_out {
	uint8_t *buf; /* NULL: count only */
	size_t len;
};
struct st_in {
	const uint8_t *buf;
	size_t len, at;
};
struct st_sect {
	uint32_t tag;   /* ST_* */
	uint32_t count; /* records in it, where the tag has records */
	uint64_t len;   /* bytes that follow, before the padding to 8 */
};

/* ST_CACHE (the page cache, cache.c) comes after ST_END's number: older states lack it. */
enum st_tag { ST_ALLOC = 1, ST_USED, ST_REFS, ST_SPACE, ST_LEAF, ST_END, ST_CACHE, ST_NR_TAGS };

void st_section(struct st_out *o, uint32_t tag, uint32_t count, uint64_t len);
void st_put(struct st_out *o, const void *p, size_t n);
const void *st_take(struct st_in *in, size_t n); /* NULL past the end */
void alloc_save(struct st_out *o);
int alloc_load(struct st_in *in, const struct st_sect *s);
int alloc_load_used(struct st_in *in, const struct st_sect *s);
int alloc_load_refs(struct st_in *in, const struct st_sect *s);
int alloc_verify(const uint8_t *counted, uint64_t user);
int vm_lu_save(int state);
void vm_lu_release(void);
int vm_init_lu(int type, const struct msg_rs_init *info);
/* ---- the page cache of executable files (cache.c) and file regions (file.c) ---- */

uint64_t cache_find(uint64_t file, uint64_t off, unsigned lo, unsigned hi); /* pa, or 0 */
int cache_add(uint64_t file, uint64_t off, unsigned lo, unsigned hi, uint64_t pa);
uint64_t cache_reclaim(uint64_t want); /* idle frames freed: how many */
void cache_dump(struct dump *d);
void cache_save(struct st_out *o); /* live update (state.c): the entries */
int cache_load_entry(uint64_t file, uint64_t off, unsigned lo, unsigned hi, uint64_t pa);
void frame_cache_mark(uint64_t pa); /* a handed-over entry's frame: cached, no new reference */
void alloc_recount_idle(void);      /* after a handed-over state: the idle cached frames */
int file_map(struct vmproc *vp, const struct msg_vm_request *rq, uint32_t rflags, bool reserve);
int file_adopt(struct vmproc *vp, const struct msg_vm_request *rq);

#endif
