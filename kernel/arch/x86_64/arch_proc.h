/*
 * The x86-64 part of a process: its saved registers, FPU/SSE state and page
 * table root, and the accessors generic code uses for system-call arguments
 * and results, so that no generic file touches a register by name.
 */
#ifndef X86_ARCH_PROC_H
#define X86_ARCH_PROC_H

#include "trapframe.h"

/* Physical memory is mapped here (layout.h); inline for the copy paths. */
#define ARCH_DIRECT_MAP 0xffff800000000000ull

static inline void *
phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + ARCH_DIRECT_MAP);
}

/* Is [va, va+len) inside the user half (no wrap-around)? */
#define ARCH_USER_TOP 0x0000800000000000ull

static inline bool
arch_user_range_ok(vir_addr_t va, size_t len)
{
	return va < ARCH_USER_TOP && len <= ARCH_USER_TOP - va;
}

/* Copy one 64-byte, 8-byte aligned message: eight steps, no call. */
static inline void
arch_copy_message(void *to, const void *from)
{
	uint64_t n = 8;

	__asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

/*
 * Copy n bytes, inline (the copy paths between address spaces): eight at a
 * step when everything is 8-byte aligned, else one.  Under QEMU's
 * instruction counting each step of a "rep" counts, so a page costs 512.
 */
static inline void
arch_copy_bytes(void *to, const void *from, size_t n)
{
	if ((((uintptr_t)to | (uintptr_t)from | n) & 7) == 0) {
		n /= 8;
		__asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
	} else {
		__asm__ volatile("rep movsb" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
	}
}

/* Copy one 4 KiB page, both page-aligned: 512 steps. */
static inline void
arch_copy_page(void *to, const void *from)
{
	uint64_t n = 512;

	__asm__ volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(n) : : "memory");
}

struct arch_proc {
	struct trapframe reg; /* rsp0 points at its end while this process runs */
	struct fpu_state fpu;
	phys_addr_t cr3;  /* root of the address space (a PML4) */
	uint64_t fs_base; /* arch_prctl: loaded when the process changes */
	uint64_t gs_base;
};

AX_STATIC_ASSERT(__builtin_offsetof(struct arch_proc, reg) == 0,
		 "entry.S finds the running process's frame at proc_current");

/* syscall: number in rax; arguments in rdi, rsi, rdx, r10, r8, r9. */
static inline uint64_t
arch_syscall_nr(const struct arch_proc *a)
{
	return a->reg.rax;
}

static inline uint64_t
arch_syscall_arg(const struct arch_proc *a, int i)
{
	switch (i) {
	case 0:
		return a->reg.rdi;
	case 1:
		return a->reg.rsi;
	case 2:
		return a->reg.rdx;
	case 3:
		return a->reg.r10;
	case 4:
		return a->reg.r8;
	default:
		return a->reg.r9;
	}
}

/* The user stack pointer (a Linux call's request carries it: sigaltstack). */
static inline uint64_t
arch_user_sp(const struct arch_proc *a)
{
	return a->reg.rsp;
}

/*
 * Make the interrupted system call run again when the process resumes:
 * back over the two-byte `syscall`; rax and the arguments still hold it.
 */
static inline void
arch_syscall_restart(struct arch_proc *a)
{
	a->reg.rip -= 2;
}

/* The value the interrupted call returns (rax), and IPC's status word (rdx). */
static inline void
arch_set_result(struct arch_proc *a, int64_t r)
{
	a->reg.rax = (uint64_t)r;
}

static inline void
arch_set_status(struct arch_proc *a, uint64_t status)
{
	a->reg.rdx = status;
}

#endif
