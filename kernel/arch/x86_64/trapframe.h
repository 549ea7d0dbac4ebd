/*
 * The saved user context.  Every entry from user mode (interrupt, exception,
 * syscall) stores the registers into the current process's struct trapframe:
 * the TSS's rsp0 points just past it, so the CPU pushes the hardware part
 * straight into it, and entry.S stores the rest.  Returning to a process is
 * loading its frame and iretq.  The offsets entry.S uses are generated from
 * this struct (asm_offsets.c).
 */
#ifndef X86_TRAPFRAME_H
#define X86_TRAPFRAME_H

#include <ax/types.h>

struct trapframe {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector;                   /* trap vector, or VEC_SYSCALL */
	uint64_t error;                    /* CPU error code, or 0 */
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

AX_STATIC_ASSERT(sizeof(struct trapframe) == 22 * 8, "trapframe size");
AX_STATIC_ASSERT(__builtin_offsetof(struct trapframe, ss) == 21 * 8,
		 "the CPU's part of the frame ends the struct");
AX_STATIC_ASSERT(sizeof(struct trapframe) % 16 == 0, "rsp0 must stay 16-byte aligned");

/* The FXSAVE area: FPU, MMX and SSE state. */
struct fpu_state {
	uint8_t fx[512];
} __attribute__((aligned(16)));

#endif
