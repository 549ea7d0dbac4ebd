/*
 * arch_probe(kind, addr): one access that the kernel's memory protections
 * must refuse (kernel/system/do_probe.c, enum probe_kind in kcall.h).  It
 * returns 0 if the access went through.  If it faults, trap_kernel() finds
 * probe_recover_rip armed and resumes there, on the stack as it was at the
 * call, with -EFAULT in rax: the fault is the answer, not a kernel bug.
 */
	.text
	.globl arch_probe
arch_probe:
	movq %rsp, probe_recover_rsp(%rip)
	leaq probe_recover(%rip), %rax
	movq %rax, probe_recover_rip(%rip)
	cmpl $1, %edi
	je 1f
	cmpl $2, %edi
	je 2f
	cmpl $3, %edi
	je 3f
	leaq probe_data_ret(%rip), %rax	/* 4: a `ret` in kernel data (NX) */
	call *%rax
	jmp 9f
1:	movb (%rsi), %al		/* a byte of user memory (SMAP) */
	jmp 9f
2:	call *%rsi			/* a `ret` in user memory (SMEP) */
	jmp 9f
3:	leaq arch_probe(%rip), %rdx	/* kernel text, written back unchanged */
	movb (%rdx), %al
	movb %al, (%rdx)
9:	xorl %eax, %eax
probe_recover:			/* trap_kernel sets rax to -EFAULT before coming here */
	movq $0, probe_recover_rip(%rip)
	ret

	.data
probe_data_ret:
	.byte 0xc3
	.align 8
	.globl probe_recover_rip, probe_recover_rsp
probe_recover_rip:	.quad 0		/* armed while a probe runs */
probe_recover_rsp:	.quad 0

	.section .note.GNU-stack, "", @progbits
