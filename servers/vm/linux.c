/*
 * The Linux memory calls VM serves (include/ax/linux_calls.def, owner VM):
 * brk, mmap, munmap, mprotect, mremap, msync, madvise, as Linux's x86-64
 * has them for anonymous private memory; pages are zero-filled on first touch
 * (pagefault.c).  Every argument is checked and a bad one is an error
 * (EINVAL, ENOMEM, EPERM, EEXIST, EFAULT as Linux answers it), never a
 * crash.  File mappings go through VFS (mmap.c); MAP_SHARED anonymous
 * memory is private memory until fork shares it (README.md).
 *
 * Memory is committed as on Linux by its default heuristic: a call that
 * asks for more pages than are free (less the reserve) fails with ENOMEM;
 * a fault that finds none left ends the process (SIGKILL).
 */
#include "vm.h"
#include <sef.h>
#include <string.h>

typedef int64_t lx_fn(struct vmproc *vp, const uint64_t *arg);

#define PROT_KNOWN (LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)
#define MAP_KNOWN                                                                              \
	(LX_MAP_TYPE | LX_MAP_FIXED | LX_MAP_ANONYMOUS | LX_MAP_GROWSDOWN | LX_MAP_DENYWRITE | \
	 LX_MAP_EXECUTABLE | LX_MAP_LOCKED | LX_MAP_NORESERVE | LX_MAP_POPULATE |              \
	 LX_MAP_NONBLOCK | LX_MAP_STACK | LX_MAP_HUGETLB | LX_MAP_FIXED_NOREPLACE)
#define HEAP_GAP ((uint64_t)1 << 20) /* kept free between the heap and the next region */

/* May a user process commit `pages` more pages now? */
bool
may_commit(uint64_t pages)
{
	struct msg_vm_reply info;

	alloc_info(&info);
	return info.free_pages > info.reserved_pages &&
	       pages <= info.free_pages - info.reserved_pages;
}

/* Is [addr, addr+len) a valid user range (len > 0, no wrap)? */
static bool
user_range(uint64_t addr, uint64_t len)
{
	return len > 0 && addr < USER_TOP && len <= USER_TOP - addr;
}

/*
 * VM_BRK, a service's own heap (docs/processes.md section 5): as brk, but
 * every page present at once (the kernel cannot wait for VM while it
 * writes into a system process), from the frames kept for system
 * processes, at most SERVICE_HEAP_MAX and within the service's memlimit
 * (past_limit: its whole space counts); a failure leaves the break as it
 * was.  0 or -ENOMEM / -EINVAL.
 */
int
service_brk(struct vmproc *vp, uint64_t addr)
{
	uint64_t old_end = vp->brk_end, old_top = page_up(old_end), new_top = page_up(addr);
	int r;

	if (vp->brk_base == 0)
		return -ENOMEM;
	if (addr < vp->brk_base)
		return -EINVAL;
	if (addr > vp->brk_base + SERVICE_HEAP_MAX)
		return -ENOMEM;
	if (new_top <= old_top)
		return brk_set(vp, addr);
	if (!range_free(vp, old_top, new_top + HEAP_GAP))
		return -ENOMEM;
	if (past_limit(vp, (new_top - old_top) >> PAGE_SHIFT))
		return -ENOMEM; /* past the service's memlimit, as the kernel's quota refuses */
	for (struct region *rg = vp->regions; rg; rg = rg->next)
		if ((rg->flags & R_HEAP) && rg->end == old_top) {
			rg->end = new_top;
			break;
		}
	if (!region_find(vp, old_top) &&
	    region_add(vp, old_top, new_top, LX_PROT_READ | LX_PROT_WRITE, R_HEAP) < 0)
		return -ENOMEM;
	if ((r = range_populate(vp, old_top, new_top, true, true)) < 0) {
		(void)range_unmap(vp, old_top, new_top);
		return r;
	}
	vp->brk_end = addr;
	return 0;
}

/*
 * brk: the break moves to addr if the pages fit (free addresses up to it,
 * HEAP_GAP below the next region, and free frames for them); it stays
 * otherwise.  The answer is the break, as Linux's system call returns it.
 */
int
brk_set(struct vmproc *vp, uint64_t addr)
{
	uint64_t old_top = page_up(vp->brk_end), new_top = page_up(addr);
	struct region *heap = NULL;

	if (addr < vp->brk_base || addr > USER_TOP - HEAP_GAP || vp->brk_base == 0)
		return -ENOMEM;
	for (struct region *rg = vp->regions; rg; rg = rg->next)
		if (rg->flags & R_HEAP)
			heap = rg;
	if (new_top > old_top) {
		if (!range_free(vp, old_top, new_top + HEAP_GAP) ||
		    !may_commit((new_top - old_top) >> PAGE_SHIFT))
			return -ENOMEM;
		if (heap)
			heap->end = new_top;
		else if (region_add(vp, old_top, new_top, LX_PROT_READ | LX_PROT_WRITE, R_HEAP) < 0)
			return -ENOMEM;
	} else if (new_top < old_top) {
		if (range_unmap(vp, new_top, old_top) < 0)
			return -ENOMEM;
	}
	vp->brk_end = addr;
	return 0;
}

static int64_t
lx_brk(struct vmproc *vp, const uint64_t *arg)
{
	(void)brk_set(vp, arg[0]);
	return (int64_t)vp->brk_end;
}

/*
 * Where a new mapping of len bytes (page-aligned) goes under mmap's rules
 * (MAP_FIXED, MAP_FIXED_NOREPLACE, a hint, else top-down): *addrp, or -E.
 * Nothing changes yet.
 */
int
mmap_place(struct vmproc *vp, uint64_t flags, uint64_t len, uint64_t *addrp)
{
	uint64_t addr = *addrp;

	if (flags & LX_MAP_HUGETLB)
		return -EINVAL;
	if (flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) {
		if (addr & (PAGE_SIZE - 1))
			return -EINVAL;
		if (!user_range(addr, len))
			return -ENOMEM;
		if (addr < 0x10000)
			return -EPERM; /* below mmap_min_addr */
		if (!(flags & LX_MAP_FIXED) && !range_free(vp, addr, addr + len))
			return -EEXIST;
	} else {
		addr = page_down(addr);
		if (!(addr >= 0x10000 && user_range(addr, len) && range_free(vp, addr, addr + len)))
			addr = find_gap(vp, len, MMAP_TOP);
		if (!addr)
			return -ENOMEM;
	}
	*addrp = addr;
	return 0;
}

/* mmap's checks of its arguments common to every kind: 0 or -EINVAL / -ENOMEM. */
static int
mmap_args(const uint64_t *arg)
{
	uint64_t len = arg[1], prot = arg[2], flags = arg[3], off = arg[5];
	uint64_t type = flags & LX_MAP_TYPE;

	if (len == 0 || (prot & ~(uint64_t)PROT_KNOWN) || (off & (PAGE_SIZE - 1)) ||
	    (type != LX_MAP_SHARED && type != LX_MAP_PRIVATE && type != 3 /* SHARED_VALIDATE */) ||
	    (type == 3 && (flags & ~(uint64_t)MAP_KNOWN)))
		return -EINVAL;
	if (len > USER_TOP)
		return -ENOMEM;
	return 0;
}

/* An anonymous mmap (arg as the call's; MAP_ANONYMOUS or /dev/zero): its address or -E. */
int64_t
mmap_anon(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t addr = arg[0], len = page_up(arg[1]), prot = arg[2], flags = arg[3];
	int r;

	if ((r = mmap_args(arg)) < 0 || (r = mmap_place(vp, flags, len, &addr)) < 0)
		return r;
	if (!(flags & LX_MAP_NORESERVE) && (prot & LX_PROT_WRITE) && !may_commit(len >> PAGE_SHIFT))
		return -ENOMEM;
	if ((flags & LX_MAP_FIXED) && (r = range_unmap(vp, addr, addr + len)) < 0)
		return r;
	if ((r = region_add(vp, addr, addr + len, (uint32_t)prot,
			    flags & LX_MAP_GROWSDOWN ? R_STACK : 0)) < 0)
		return r;
	if ((flags & LX_MAP_POPULATE) && prot != LX_PROT_NONE &&
	    (r = range_populate(vp, addr, addr + len, false, false)) < 0) {
		(void)range_unmap(vp, addr, addr + len);
		return -ENOMEM;
	}
	return (int64_t)addr;
}

/*
 * mmap: anonymous memory here; a file's through VFS (mmap.c: the call is
 * held until VFS answers, LX_NO_REPLY).
 */
static int64_t
lx_mmap(struct vmproc *vp, const uint64_t *arg)
{
	int r;

	if ((r = mmap_args(arg)) < 0)
		return r;
	if (!(arg[3] & LX_MAP_ANONYMOUS))
		return fmap_begin(vp, arg);
	return mmap_anon(vp, arg);
}

static int64_t
lx_munmap(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t addr = arg[0], len = page_up(arg[1]);

	if ((addr & (PAGE_SIZE - 1)) || arg[1] == 0 || arg[1] > USER_TOP || !user_range(addr, len))
		return -EINVAL;
	return range_unmap(vp, addr, addr + len);
}

static int64_t
lx_mprotect(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t addr = arg[0], len = page_up(arg[1]), prot = arg[2];

	if ((addr & (PAGE_SIZE - 1)) || (prot & ~(uint64_t)PROT_KNOWN) || arg[1] > USER_TOP)
		return -EINVAL;
	if (arg[1] == 0)
		return 0;
	if (!user_range(addr, len))
		return -ENOMEM;
	/* A MAP_SHARED file mapping is never writable (mmap.c): Linux's EACCES for a read-only fd. */
	for (struct region *rg = vp->regions;
	     (prot & LX_PROT_WRITE) && rg && rg->start < addr + len; rg = rg->next)
		if (rg->end > addr && (rg->flags & R_SHARED))
			return -EACCES;
	return range_protect(vp, addr, addr + len, (uint32_t)prot);
}

/*
 * mremap of one region's pages: shrink in place, grow in place when the
 * addresses after it are free, else move (MREMAP_MAYMOVE; MREMAP_FIXED to
 * a given place) by mapping the same frames at the new place: no copy.
 */
static int64_t
lx_mremap(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t old = arg[0], old_len = page_up(arg[1]), new_len = page_up(arg[2]);
	uint64_t flags = arg[3], to = arg[4];
	struct region *rg;
	uint32_t prot, rflags;
	int r;

	if ((old & (PAGE_SIZE - 1)) || (flags & ~(uint64_t)(LX_MREMAP_MAYMOVE | LX_MREMAP_FIXED)) ||
	    ((flags & LX_MREMAP_FIXED) && !(flags & LX_MREMAP_MAYMOVE)) || arg[2] == 0 ||
	    arg[1] == 0 || arg[1] > USER_TOP || arg[2] > USER_TOP)
		return -EINVAL;
	if (!user_range(old, old_len))
		return -EFAULT;
	rg = region_find(vp, old);
	if (!rg || old + old_len > rg->end || (rg->flags & R_HEAP))
		return -EFAULT;
	prot = rg->prot;
	rflags = rg->flags;
	if ((rflags & R_FILE) && new_len > old_len)
		return -ENOMEM; /* a file mapping does not grow (mmap.c): map the file again */
	if (flags & LX_MREMAP_FIXED) {
		if ((to & (PAGE_SIZE - 1)) || !user_range(to, new_len) || to < 0x10000 ||
		    (to < old + old_len && old < to + new_len))
			return -EINVAL;
	} else if (new_len <= old_len) {
		if (new_len < old_len && (r = range_unmap(vp, old + new_len, old + old_len)) < 0)
			return r;
		return (int64_t)old;
	} else if (old + old_len == rg->end && user_range(old, new_len) &&
		   range_free(vp, rg->end, old + new_len)) {
		if (!may_commit((new_len - old_len) >> PAGE_SHIFT))
			return -ENOMEM;
		rg->end = old + new_len;
		return (int64_t)old;
	} else if (!(flags & LX_MREMAP_MAYMOVE) || !(to = find_gap(vp, new_len, MMAP_TOP))) {
		return -ENOMEM;
	}
	if (new_len > old_len && !may_commit((new_len - old_len) >> PAGE_SHIFT))
		return -ENOMEM;
	if ((flags & LX_MREMAP_FIXED) && (r = range_unmap(vp, to, to + new_len)) < 0)
		return r;
	if ((r = region_add(vp, to, to + new_len, prot, rflags)) < 0)
		return r;
	if ((r = range_move(vp, old, old_len < new_len ? old_len : new_len, to)) < 0) {
		(void)range_unmap(vp, to, to + new_len);
		return r;
	}
	(void)range_unmap(vp, old, old + old_len);
	return (int64_t)to;
}

/* Does every page of [addr, addr+len) lie in a region? */
static bool
all_mapped(struct vmproc *vp, uint64_t addr, uint64_t len)
{
	uint64_t at = addr;

	for (struct region *rg = region_find(vp, addr); at < addr + len; rg = rg->next) {
		if (!rg || rg->start > at)
			return false;
		at = rg->end;
	}
	return true;
}

/*
 * msync: the arguments checked as Linux checks them (EINVAL, ENOMEM for a
 * page not mapped), then nothing to do: no mapping holds a page that must
 * reach a file (MAP_SHARED file mappings are read-only, mmap.c).
 */
static int64_t
lx_msync(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t addr = arg[0], len = page_up(arg[1]), flags = arg[2];

	if ((addr & (PAGE_SIZE - 1)) || (flags & ~(uint64_t)7) ||
	    ((flags & LX_MS_ASYNC) && (flags & LX_MS_SYNC)) || arg[1] > USER_TOP)
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!user_range(addr, len) || !all_mapped(vp, addr, len))
		return -ENOMEM;
	return 0;
}

/*
 * madvise: the hints (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, HUGEPAGE,
 * NOHUGEPAGE, DONTDUMP, DODUMP) change nothing; MADV_DONTNEED and
 * MADV_FREE give the frames of anonymous private memory back (the next
 * touch finds zeros, as Linux's DONTNEED); on a file mapping they are
 * EINVAL (VM has no way to bring the file's page back at the next touch:
 * mmap.c).  The rest (DONTFORK, REMOVE, MERGEABLE...) is not served: EINVAL.
 */
static int64_t
lx_madvise(struct vmproc *vp, const uint64_t *arg)
{
	uint64_t addr = arg[0], len = page_up(arg[1]), advice = arg[2];

	if ((addr & (PAGE_SIZE - 1)) || arg[1] > USER_TOP)
		return -EINVAL;
	if (advice > LX_MADV_DONTNEED && advice != LX_MADV_FREE &&
	    !(advice >= LX_MADV_HUGEPAGE && advice <= LX_MADV_DODUMP))
		return -EINVAL;
	if (len == 0)
		return 0;
	if (!user_range(addr, len) || !all_mapped(vp, addr, len))
		return -ENOMEM;
	if (advice != LX_MADV_DONTNEED && advice != LX_MADV_FREE)
		return 0;
	for (struct region *rg = region_find(vp, addr); rg && rg->start < addr + len; rg = rg->next)
		if (rg->flags & R_FILE)
			return -EINVAL;
	range_discard(vp, addr, addr + len);
	return 0;
}

static lx_fn *const lx_calls[LX_NR_CALLS] = {
	[LX_NR_brk] = lx_brk,           [LX_NR_mmap] = lx_mmap,     [LX_NR_munmap] = lx_munmap,
	[LX_NR_mprotect] = lx_mprotect, [LX_NR_mremap] = lx_mremap, [LX_NR_msync] = lx_msync,
	[LX_NR_madvise] = lx_madvise,
};

/*
 * A request of the Linux range: from a user process whose space VM
 * manages (the kernel wrote m_source); anyone else gets -ESRCH (a system
 * process), or -ENOMEM (a user process whose memory the kernel made).
 */
void
vm_linux_call(endpoint_t caller, message *m)
{
	int nr = m->m_type - LX_CALL_BASE;
	struct vmproc *vp = vmproc_of(caller);
	int64_t r;

	if (!vp)
		r = -ENOMEM;
	else
		r = lx_calls[nr] ? lx_calls[nr](vp, m->m_lx_call.arg) : -ENOSYS;
	if (r == LX_NO_REPLY)
		return; /* a file mmap waiting for VFS (mmap.c) */
	memset(m, 0, sizeof(*m));
	m->m_type = LX_REPLY;
	m->m_lx_reply.result = r;
	sef_reply(caller, m);
}
