/*
 * User memory access for the kernel (see vm.h).  Copies walk the target's
 * page tables one page at a time; every failure is -EFAULT.
 *
 * Each process remembers three translated pages (p_tlb, proc.h): its
 * message buffer, which IPC touches again and again, the page of its
 * tables (grants, asynchronous sends) used last, and the page of its last
 * one-page grant copy; a hit costs a compare instead of a four-level walk.
 * Every change the kernel makes to a process's page tables goes through
 * this file and forgets them all, and p_msgbuf_k (proc.h) with them.
 */
#include "vm.h"
#include "frame.h"
#include "priv.h"

void
vm_tlb_forget(struct proc *p)
{
	for (int i = 0; i < NR_TLB_SLOTS; i++)
		p->p_tlb.slot[i].va = TLB_NONE;
	p->p_msgbuf_k = NULL; /* a translation too (proc.h) */
}

/* User page va in the kernel's map (the direct map), or NULL; cached in slot. */
static uint8_t *
vm_translate(struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, bool write)
{
	struct vm_tlb *t = &p->p_tlb.slot[slot];
	phys_addr_t pa;

	if (va == t->va && (t->write || !write))
		return t->k;
	/* A released slot has no address space: copying to it is a kernel bug. */
	assert(p->p_arch.cr3 != 0);
	pa = arch_as_lookup(p->p_arch.cr3, va, write);
	if (pa == AS_NO_PAGE)
		return NULL;
	*t = (struct vm_tlb){ va, phys_to_virt(pa), write };
	return t->k;
}

typedef void (*page_copy_fn)(void *kernel, void *other, size_t n);

static void
copy_out_of(void *kernel, void *user, size_t n)
{
	memcpy(kernel, user, n);
}

static void
copy_into(void *kernel, void *user, size_t n)
{
	memcpy(user, kernel, n);
}

/* Walk [va, va+len) of p's space page by page, applying fn to each piece. */
static int
vm_walk(struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, void *buf, size_t len,
	bool user_write, page_copy_fn fn)
{
	uint8_t *k = buf;

	if (!arch_user_range_ok(va, len))
		return -EFAULT;
	while (len > 0) {
		size_t off = va & (FRAME_SIZE - 1);
		size_t n = FRAME_SIZE - off < len ? FRAME_SIZE - off : len;
		uint8_t *page = vm_translate(p, slot, va - off, user_write);

		if (!page)
			return -EFAULT;
		fn(k, page + off, n);
		k += n;
		va += n;
		len -= n;
	}
	return 0;
}

/*
 * The kernel address of [va, va+len) in p when it lies in one page that p
 * may access so, else NULL.  The common case of every message copy.
 */
void *
vm_user_ptr_slow(struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, size_t len, bool write)
{
	vir_addr_t page = va & ~(vir_addr_t)(FRAME_SIZE - 1);
	uint8_t *k;

	if (len == 0 || ((va + len - 1) & ~(vir_addr_t)(FRAME_SIZE - 1)) != page ||
	    !arch_user_range_ok(va, len))
		return NULL;
	k = vm_translate(p, slot, page, write);
	return k ? k + (va - page) : NULL;
}

int
vm_copy_from_user_slow(struct proc *p, enum vm_tlb_slot slot, void *dst, vir_addr_t src, size_t len)
{
	void *k = vm_user_ptr_slow(p, slot, src, len, false);

	if (k) {
		memcpy(dst, k, len);
		return 0;
	}
	return vm_walk(p, slot, src, dst, len, false, copy_out_of);
}

int
vm_copy_to_user_slow(struct proc *p, enum vm_tlb_slot slot, vir_addr_t dst, const void *src,
		     size_t len)
{
	void *k = vm_user_ptr_slow(p, slot, dst, len, true);

	if (k) {
		memcpy(k, src, len);
		return 0;
	}
	return vm_walk(p, slot, dst, (void *)src, len, true, copy_into);
}

/* Does [va, va+len), len > 0, lie in one page? */
static inline bool
in_one_page(vir_addr_t va, size_t len)
{
	return len - 1 < PAGE_BYTES - (va & (PAGE_BYTES - 1));
}

/*
 * The page a failed copy stopped at, when it belongs to a user process
 * (vm.h): the first page of the range that either side lacks (or the
 * destination may not write), found again on this failure path only.
 */
struct vm_fault_note vm_fault_note = { .e = NONE };

static void
note_fault(struct proc *dst, vir_addr_t dva, struct proc *src, vir_addr_t sva, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t sn = FRAME_SIZE - ((sva + off) & (FRAME_SIZE - 1));
		size_t dn = FRAME_SIZE - ((dva + off) & (FRAME_SIZE - 1));
		struct proc *p = NULL;
		vir_addr_t va = 0;
		bool write = false;

		if (arch_as_lookup(src->p_arch.cr3, (sva + off) & ~(vir_addr_t)(FRAME_SIZE - 1),
				   false) == AS_NO_PAGE)
			p = src, va = sva + off;
		else if (arch_as_lookup(dst->p_arch.cr3,
					(dva + off) & ~(vir_addr_t)(FRAME_SIZE - 1),
					true) == AS_NO_PAGE)
			p = dst, va = dva + off, write = true;
		if (p) {
			if (p->p_priv == priv_user())
				vm_fault_note = (struct vm_fault_note){ p->p_endpoint, va,
									len - off, write };
			return;
		}
		off += sn < dn ? sn : dn;
	}
}

/*
 * A copy the kernel made into or out of p itself failed in [va, va+len)
 * (a signal frame on a stack page that is copy-on-write after fork, or
 * not there yet): if p is a user process, kernel_call has VM make the
 * range present and runs the call again, as for a grant copy.
 */
void
vm_note_user_fault(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	if (p->p_priv == priv_user())
		vm_fault_note = (struct vm_fault_note){ p->p_endpoint, va, len, write };
}

/*
 * Copy between two address spaces (grants): len bytes from src_va in src to
 * dst_va in dst (arch_as_copy: in pieces that end at a page boundary of
 * either side).  0, or -EFAULT at the first page that is missing (or not
 * writable in dst); the pieces before it have been copied.
 *
 * A copy that lies in one page on each side (a request's few bytes, a
 * block of a page) goes through each side's data cache (TLB_DATA), its own
 * slot, so that it never evicts the message buffer's or the tables' page:
 * a driver that copies to and from the same buffers again pays a compare
 * per side instead of a walk.  A longer copy walks each side's page
 * tables once per page table (a page costs an entry check) and leaves the
 * caches alone: its pages are seldom used twice.
 */
int
vm_copy_proc_slow(struct proc *dst, vir_addr_t dst_va, struct proc *src, vir_addr_t src_va,
		  size_t len)
{
	void *from, *to;
	int r;

	if (!arch_user_range_ok(dst_va, len) || !arch_user_range_ok(src_va, len))
		return -EFAULT;
	if (len == 0 || !in_one_page(src_va, len) || !in_one_page(dst_va, len)) {
		if ((r = arch_as_copy(dst->p_arch.cr3, dst_va, src->p_arch.cr3, src_va, len)) < 0)
			note_fault(dst, dst_va, src, src_va, len);
		return r;
	}
	if (!(from = vm_user_ptr_in(src, TLB_DATA, src_va, len, false)) ||
	    !(to = vm_user_ptr_in(dst, TLB_DATA, dst_va, len, true))) {
		note_fault(dst, dst_va, src, src_va, len);
		return -EFAULT;
	}
	arch_copy_bytes(to, from, len);
	return 0;
}

/* 0 if p may access all of [va, va+len) (writing, if `write`), else -EFAULT. */
int
vm_check_user_slow(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	vir_addr_t end = va + len;

	if (!arch_user_range_ok(va, len))
		return -EFAULT;
	for (va &= ~(vir_addr_t)(FRAME_SIZE - 1); va < end; va += FRAME_SIZE)
		if (!vm_translate(p, TLB_MSG, va, write))
			return -EFAULT;
	return 0;
}

/* Like vm_copy_to_user, but into pages the user may not write (loading text). */
int
vm_load(struct proc *p, vir_addr_t dst, const void *src, size_t len)
{
	return vm_walk(p, TLB_MSG, dst, (void *)src, len, false, copy_into);
}

int
vm_create(struct proc *p)
{
	vm_tlb_forget(p);
	p->p_arch.cr3 = arch_as_create();
	return p->p_arch.cr3 == AS_NO_PAGE ? -ENOMEM : 0;
}

/* Back [va, va+len) with fresh zeroed frames; pages already mapped stay. */
int
vm_map_zeroed(struct proc *p, vir_addr_t va, size_t len, unsigned flags)
{
	vir_addr_t end = (va + len + FRAME_SIZE - 1) & ~(vir_addr_t)(FRAME_SIZE - 1);

	if (!arch_user_range_ok(va, len))
		return -EFAULT;
	vm_tlb_forget(p);
	for (va &= ~(vir_addr_t)(FRAME_SIZE - 1); va < end; va += FRAME_SIZE) {
		if (arch_as_lookup(p->p_arch.cr3, va, false) != AS_NO_PAGE)
			continue;
		phys_addr_t f = frame_alloc();
		if (f == FRAME_NONE)
			return -ENOMEM;
		memset(phys_to_virt(f), 0, FRAME_SIZE);
		if (arch_as_map(p->p_arch.cr3, va, f, flags) < 0) {
			frame_free(f);
			return -ENOMEM;
		}
		p->p_pages++;
	}
	return 0;
}

/* Unmap the pages of [va, va+len) (page-aligned) and free their frames. */
void
vm_unmap(struct proc *p, vir_addr_t va, size_t len)
{
	vm_tlb_forget(p);
	for (vir_addr_t end = va + len; va < end; va += FRAME_SIZE) {
		phys_addr_t f = arch_as_unmap(p->p_arch.cr3, va);

		if (f != AS_NO_PAGE) {
			frame_free(f);
			p->p_pages--;
		}
	}
}

/* Page tables made for VM's mappings (do_vmctl.c): all of them, and the most there may be. */
size_t vm_pt_used, vm_pt_budget;

/* Free the whole space, heap included: it is all mapped below the root. */
void
vm_destroy(struct proc *p)
{
	vm_tlb_forget(p);
	vm_pt_used -= p->p_pt_pages;
	p->p_pt_pages = 0;
	p->p_heap = (struct proc_heap){ 0, 0 };
	p->p_pages = 0;
	if (p->p_arch.cr3 && p->p_arch.cr3 != AS_NO_PAGE)
		arch_as_destroy(p->p_arch.cr3);
	p->p_arch.cr3 = 0;
}
