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

int vm_copy_from_user(struct proc *p, void *dst, vir_addr_t src, size_t len);
int vm_copy_to_user(struct proc *p, vir_addr_t dst, const void *src, size_t len);
int vm_copy_proc(struct proc *dst, vir_addr_t dst_va, struct proc *src, vir_addr_t src_va,
		 size_t len);
void *vm_user_ptr(struct proc *p, vir_addr_t va, size_t len, bool write);
int vm_check_user(struct proc *p, vir_addr_t va, size_t len, bool write);
int vm_load(struct proc *p, vir_addr_t dst, const void *src, size_t len);
int vm_create(struct proc *p);
int vm_map_zeroed(struct proc *p, vir_addr_t va, size_t len, unsigned flags);
void vm_destroy(struct proc *p);

#endif
