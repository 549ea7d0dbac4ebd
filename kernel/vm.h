/*
 * User memory as the kernel sees it: copying to and from a process's address
 * space (any process, not just the current one: translation goes through its
 * page tables and the direct map, so a bad address is an error, never a
 * kernel fault), and building address spaces for boot processes.
 *
 * The VM server (a later issue) takes over address-space policy; the kernel
 * keeps these mechanisms.
 */
#ifndef KERNEL_VM_H
#define KERNEL_VM_H

#include "proc.h"

#define TLB_NONE   ((vir_addr_t)1) /* the va of an empty translation cache slot */
#define PAGE_BYTES 4096

int vm_copy_proc_slow(struct proc *dst, vir_addr_t dst_va, struct proc *src, vir_addr_t src_va,
		      size_t len);

void vm_tlb_forget(struct proc *p);

/* The general paths (vm.c); use the inline functions below. */
void *vm_user_ptr_slow(struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, size_t len,
		       bool write);
int vm_copy_from_user_slow(struct proc *p, enum vm_tlb_slot slot, void *dst, vir_addr_t src,
			   size_t len);
int vm_copy_to_user_slow(struct proc *p, enum vm_tlb_slot slot, vir_addr_t dst, const void *src,
			 size_t len);
int vm_check_user_slow(struct proc *p, vir_addr_t va, size_t len, bool write);

/*
 * The kernel address of [va, va+len) in p if it lies in the page cached in
 * slot (always a user page p may access so), else the general path.
 * Inline, because IPC asks this several times per message.
 */
static inline void *
vm_user_ptr_in(struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, size_t len, bool write)
{
	const struct vm_tlb *t = &p->p_tlb.slot[slot];
	vir_addr_t off = va & (vir_addr_t)(PAGE_BYTES - 1);

	if (va - off == t->va && (t->write || !write) && len - 1 < PAGE_BYTES - off)
		return t->k + off;
	return vm_user_ptr_slow(p, slot, va, len, write);
}

static inline int
vm_copy_in(struct proc *p, enum vm_tlb_slot slot, void *dst, vir_addr_t src, size_t len)
{
	void *k = vm_user_ptr_in(p, slot, src, len, false);

	if (!k)
		return vm_copy_from_user_slow(p, slot, dst, src, len);
	__builtin_memcpy(dst, k, len); /* a few moves when len is a constant */
	return 0;
}

static inline int
vm_copy_out(struct proc *p, enum vm_tlb_slot slot, vir_addr_t dst, const void *src, size_t len)
{
	void *k = vm_user_ptr_in(p, slot, dst, len, true);

	if (!k)
		return vm_copy_to_user_slow(p, slot, dst, src, len);
	__builtin_memcpy(k, src, len);
	return 0;
}

/* [va, va+len) in p if it lies in the page cached in slot, else NULL (no walk). */
static inline void *
vm_user_ptr_cached(const struct proc *p, enum vm_tlb_slot slot, vir_addr_t va, size_t len,
		   bool write)
{
	const struct vm_tlb *t = &p->p_tlb.slot[slot];
	vir_addr_t off = va & (vir_addr_t)(PAGE_BYTES - 1);

	if (va - off == t->va && (t->write || !write) && len - 1 < PAGE_BYTES - off)
		return t->k + off;
	return NULL;
}

/*
 * p's message buffer at va in the kernel's map, if it is 16-byte aligned
 * and already translated for writing: most often the buffer p received
 * into last (p_msgbuf_k, proc.h: a compare), else in the page its message
 * cache holds as writable; NULL otherwise (no walk).  The IPC fast path
 * and kernel calls made in place find their messages so.
 */
static inline message *
vm_msgbuf(const struct proc *p, vir_addr_t va)
{
	const struct vm_tlb *t = &p->p_tlb.slot[TLB_MSG];
	vir_addr_t off = va & (PAGE_BYTES - 1);

	if (va == p->p_msgbuf && p->p_msgbuf_k)
		return p->p_msgbuf_k;
	if ((va & 15) || va - off != t->va || !t->write || off > PAGE_BYTES - sizeof(message))
		return NULL;
	return (message *)(t->k + off);
}

/*
 * Copy between two address spaces (grants; vm.c, vm_copy_proc_slow).
 * Inline, the case of a driver copying to and from the same buffers
 * again: both sides in the page their data cache (TLB_DATA) holds.
 */
static inline __attribute__((always_inline)) int
vm_copy_proc(struct proc *dst, vir_addr_t dst_va, struct proc *src, vir_addr_t src_va, size_t len)
{
	void *from, *to;

	if (len > PAGE_BYTES || !(from = vm_user_ptr_cached(src, TLB_DATA, src_va, len, false)) ||
	    !(to = vm_user_ptr_cached(dst, TLB_DATA, dst_va, len, true)))
		return vm_copy_proc_slow(dst, dst_va, src, src_va, len);
	arch_copy_bytes(to, from, len);
	return 0;
}

/* Messages and other user memory: 0 or -EFAULT (into pages p may write). */
static inline void *
vm_user_ptr(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	return vm_user_ptr_in(p, TLB_MSG, va, len, write);
}

static inline int
vm_copy_from_user(struct proc *p, void *dst, vir_addr_t src, size_t len)
{
	return vm_copy_in(p, TLB_MSG, dst, src, len);
}

static inline int
vm_copy_to_user(struct proc *p, vir_addr_t dst, const void *src, size_t len)
{
	return vm_copy_out(p, TLB_MSG, dst, src, len);
}

/* Entries of p's tables in its memory (grants, asynchronous sends). */
static inline int
vm_copy_from_table(struct proc *p, void *dst, vir_addr_t src, size_t len)
{
	return vm_copy_in(p, TLB_TABLE, dst, src, len);
}

static inline int
vm_copy_to_table(struct proc *p, vir_addr_t dst, const void *src, size_t len)
{
	return vm_copy_out(p, TLB_TABLE, dst, src, len);
}

/* 0 if p may access all of [va, va+len) (writing, if `write`), else -EFAULT. */
static inline int
vm_check_user(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	return vm_user_ptr(p, va, len, write) ? 0 : vm_check_user_slow(p, va, len, write);
}
int vm_load(struct proc *p, vir_addr_t dst, const void *src, size_t len);
extern size_t vm_pt_used, vm_pt_budget; /* page tables of VM's mappings (do_vmctl.c) */

/*
 * Where the last failed copy between spaces stopped, if at a page of a
 * user process (e NONE otherwise): kernel_call asks VM to make it present
 * and runs the call again (linux_vm_request).
 */
struct vm_fault_note {
	endpoint_t e;
	vir_addr_t va;
	size_t len; /* from va to the copy's end */
	bool write;
};
extern struct vm_fault_note vm_fault_note;
void vm_note_user_fault(struct proc *p, vir_addr_t va, size_t len, bool write);
int vm_create(struct proc *p);
int vm_map_zeroed(struct proc *p, vir_addr_t va, size_t len, unsigned flags);
void vm_unmap(struct proc *p, vir_addr_t va, size_t len);
void vm_destroy(struct proc *p);

#endif
