/*
 * Register checks around a signal handler (sigtest.c, modes regs and
 * spin).  Each function loads a known pattern into every register it can,
 * lets a signal come, and stores what it finds afterwards in regs_out[]
 * for the C side to compare.  clobber_handler is a handler that destroys
 * every register (and sets DF) before it returns to the restorer.
 */
	.text

#define PAT(n) $0x##n##n##n##n##n##n##n##n##n##n##n##n##n##n##n##n

/* Callee-saved registers, kept for the C caller. */
.macro SAVE_CALLEE
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm
.macro RESTORE_CALLEE_RET
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
.endm

/* The patterns: rbx (and xmm0), rbp, r12-r15, rdx, r8-r10. */
.macro LOAD_PATTERNS
	movabs PAT(1), %rbx
	movq %rbx, %xmm0
	movabs PAT(2), %rbp
	movabs PAT(3), %r12
	movabs PAT(4), %r13
	movabs PAT(5), %r14
	movabs PAT(6), %r15
	movabs PAT(7), %rdx
	movabs PAT(8), %r8
	movabs PAT(9), %r9
	movabs PAT(a), %r10
.endm

/* What the registers hold now, into regs_out[0..14] (rax, ..., xmm0, rflags). */
.macro STORE_REGS
	mov %rax, regs_out+0(%rip)
	mov %rbx, regs_out+8(%rip)
	mov %rbp, regs_out+16(%rip)
	mov %r12, regs_out+24(%rip)
	mov %r13, regs_out+32(%rip)
	mov %r14, regs_out+40(%rip)
	mov %r15, regs_out+48(%rip)
	mov %rdx, regs_out+56(%rip)
	mov %r8, regs_out+64(%rip)
	mov %r9, regs_out+72(%rip)
	mov %r10, regs_out+80(%rip)
	mov %rdi, regs_out+88(%rip)
	mov %rsi, regs_out+96(%rip)
	movq %xmm0, %rax
	mov %rax, regs_out+104(%rip)
	pushfq
	popq %rax
	mov %rax, regs_out+112(%rip)
.endm

/* void regs_kill(long pid, long sig): kill(pid, sig) with patterns around it. */
	.globl regs_kill
regs_kill:
	SAVE_CALLEE
	LOAD_PATTERNS
	mov $62, %eax
	syscall
	STORE_REGS
	RESTORE_CALLEE_RET

/* void regs_spin(void): patterns in all registers (rax: spin_rax), spin until spin_flag. */
	.globl regs_spin
	.globl spin_loop
	.globl spin_loop_end
regs_spin:
	SAVE_CALLEE
	LOAD_PATTERNS
	mov spin_rax(%rip), %rax
	movabs PAT(c), %rcx
	movabs PAT(d), %r11
	movabs PAT(e), %rdi
	movabs PAT(f), %rsi
spin_loop:
	cmpl $0, spin_flag(%rip)
	je spin_loop
spin_loop_end:
	STORE_REGS
	mov %rcx, regs_out+120(%rip)
	mov %r11, regs_out+128(%rip)
	RESTORE_CALLEE_RET

/*
 * A handler (sig in rdi, siginfo in rsi, ucontext in rdx) that records
 * the interrupted rip (uc_mcontext.rip, offset 40 + 16 * 8), counts
 * itself, sets spin_flag, and destroys every register but rsp.
 */
	.globl clobber_handler
clobber_handler:
	mov 168(%rdx), %rax
	mov %rax, handler_rip(%rip)
	incl clobber_hits(%rip)
	movl $1, spin_flag(%rip)
	mov $-1, %rax
	mov %rax, %rbx
	mov %rax, %rcx
	mov %rax, %rdx
	mov %rax, %rsi
	mov %rax, %rdi
	mov %rax, %rbp
	mov %rax, %r8
	mov %rax, %r9
	mov %rax, %r10
	mov %rax, %r11
	mov %rax, %r12
	mov %rax, %r13
	mov %rax, %r14
	mov %rax, %r15
	movq %rax, %xmm0
	std
	ret

	.bss
	.align 8
	.globl regs_out
regs_out:	.space 8 * 20
	.globl spin_flag
spin_flag:	.long 0
	.globl clobber_hits
clobber_hits:	.long 0
	.align 8
	.globl handler_rip
handler_rip:	.quad 0

	.data
	.align 8
	.globl spin_rax
spin_rax:	.quad 0xbbbbbbbbbbbbbbbb /* rax while spinning: any value comes back */

	.section .note.GNU-stack, "", @progbits
