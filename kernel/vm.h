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

#define TLB_NONE	((vir_addr_t)1)	/* p_tlb_va of a process with no cached page */
#define PAGE_BYTES	4096

int vm_copy_proc(struct proc *dst, vir_addr_t dst_va, struct proc *src, vir_addr_t src_va,
		 size_t len);

/* The general paths (vm.c); use the inline functions below. */
void *vm_user_ptr_slow(struct proc *p, vir_addr_t va, size_t len, bool write);
int vm_copy_from_user_slow(struct proc *p, void *dst, vir_addr_t src, size_t len);
int vm_copy_to_user_slow(struct proc *p, vir_addr_t dst, const void *src, size_t len);
int vm_check_user_slow(struct proc *p, vir_addr_t va, size_t len, bool write);

/*
 * The kernel address of [va, va+len) in p if it lies in p's cached page
 * (which is always a user page p may access so), else the general path.
 * Inline, because IPC asks this several times per message.
 */
static inline void *
vm_user_ptr(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	vir_addr_t off = va & (vir_addr_t)(PAGE_BYTES - 1);

	if (va - off == p->p_tlb_va && (p->p_tlb_write || !write) && len - 1 < PAGE_BYTES - off)
		return phys_to_virt(p->p_tlb_pa + off);
	return vm_user_ptr_slow(p, va, len, write);
}

/* Copy from p's memory: 0 or -EFAULT. */
static inline int
vm_copy_from_user(struct proc *p, void *dst, vir_addr_t src, size_t len)
{
	void *k = vm_user_ptr(p, src, len, false);

	if (!k)
		return vm_copy_from_user_slow(p, dst, src, len);
	memcpy(dst, k, len);
	return 0;
}

/* Copy into p's memory (pages p may write): 0 or -EFAULT. */
static inline int
vm_copy_to_user(struct proc *p, vir_addr_t dst, const void *src, size_t len)
{
	void *k = vm_user_ptr(p, dst, len, true);

	if (!k)
		return vm_copy_to_user_slow(p, dst, src, len);
	memcpy(k, src, len);
	return 0;
}

/* 0 if p may access all of [va, va+len) (writing, if `write`), else -EFAULT. */
static inline int
vm_check_user(struct proc *p, vir_addr_t va, size_t len, bool write)
{
	return vm_user_ptr(p, va, len, write) ? 0 : vm_check_user_slow(p, va, len, write);
}
int vm_load(struct proc *p, vir_addr_t dst, const void *src, size_t len);
int vm_create(struct proc *p);
int vm_map_zeroed(struct proc *p, vir_addr_t va, size_t len, unsigned flags);
void vm_unmap(struct proc *p, vir_addr_t va, size_t len);
void vm_destroy(struct proc *p);

#endif
