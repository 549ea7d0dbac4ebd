/*
 * Kernel entry and exit.
 *
 * From user mode the registers go into the current process's trapframe (see
 * trapframe.h) and the kernel then runs on its own stack from the top: the kernel
 * never blocks, so it keeps no state on the stack between entries.  It leaves
 * through arch_return_to_user(), which loads whichever process runs next.
 *
 * From kernel mode (only the idle loop runs with interrupts on) the frame is
 * pushed on the kernel stack and the interrupt returns there.
 *
 * Entry points: the trap stubs (vectors 0-47 and the spurious vector, listed
 * in trap_stubs[] for idt.c) and syscall_entry (LSTAR).
 */
#include "layout.h"
#include "asm_offsets.h"

.macro SAVE_GPRS
	movq %rax, TF_RAX(%rsp)
	movq %rbx, TF_RBX(%rsp)
	movq %rcx, TF_RCX(%rsp)
	movq %rdx, TF_RDX(%rsp)
	movq %rsi, TF_RSI(%rsp)
	movq %rdi, TF_RDI(%rsp)
	movq %rbp, TF_RBP(%rsp)
	movq %r8, TF_R8(%rsp)
	movq %r9, TF_R9(%rsp)
	movq %r10, TF_R10(%rsp)
	movq %r11, TF_R11(%rsp)
	movq %r12, TF_R12(%rsp)
	movq %r13, TF_R13(%rsp)
	movq %r14, TF_R14(%rsp)
	movq %r15, TF_R15(%rsp)
.endm

/* All but rcx and r11, which sysretq takes for rip and rflags. */
.macro RESTORE_GPRS_BUT_RCX_R11
	movq TF_RAX(%rsp), %rax
	movq TF_RBX(%rsp), %rbx
	movq TF_RDX(%rsp), %rdx
	movq TF_RSI(%rsp), %rsi
	movq TF_RDI(%rsp), %rdi
	movq TF_RBP(%rsp), %rbp
	movq TF_R8(%rsp), %r8
	movq TF_R9(%rsp), %r9
	movq TF_R10(%rsp), %r10
	movq TF_R12(%rsp), %r12
	movq TF_R13(%rsp), %r13
	movq TF_R14(%rsp), %r14
	movq TF_R15(%rsp), %r15
.endm

.macro RESTORE_GPRS
	RESTORE_GPRS_BUT_RCX_R11
	movq TF_RCX(%rsp), %rcx
	movq TF_R11(%rsp), %r11
.endm

/* Exceptions that push an error code: 8, 10-14, 17, 21, 29, 30. */
.macro TRAP n
	.align 16
trap_stub_\n:
	.if (\n == 8 || (\n >= 10 && \n <= 14) || \n == 17 || \n == 21 || \n == 29 || \n == 30)
	.else
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

	.text
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	TRAP \n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,255
	TRAP \n
	.endr

trap_common:
	subq $TF_VECTOR, %rsp
	SAVE_GPRS
	cld
	movq %rsp, %rdi
	testb $3, TF_CS(%rsp)
	jz 1f
	leaq kernel_stack_top(%rip), %rsp
	call trap_user			/* does not return */
	ud2
1:	call trap_kernel
	RESTORE_GPRS
	addq $TF_VECTOR + 16, %rsp
	iretq

/*
 * syscall: rcx holds the user rip, r11 the user rflags; FMASK has cleared IF
 * and DF.  Build the frame an interrupt would, in the current process (its
 * struct proc begins with it: arch_proc.h), but for cs, ss and the error
 * code: a process's frame only ever holds the user selectors there
 * (arch_proc_init, and every interrupt from user mode pushes them again),
 * and nobody reads a syscall frame's error code.
 */
	.globl syscall_entry
	.align 16
syscall_entry:
	movq %rsp, syscall_user_rsp(%rip)
	movq proc_current(%rip), %rsp
	movq %rcx, TF_RIP(%rsp)
	movq %r11, TF_RFLAGS(%rsp)
	movq $VEC_SYSCALL, TF_VECTOR(%rsp)
	SAVE_GPRS
	movq syscall_user_rsp(%rip), %rcx
	movq %rcx, TF_RSP(%rsp)
	cmpq $NR_IPC_SENDREC, %rax
	jne 1f
	cmpl $EP_SYSTEM, %edi
	jne 1f
	movq %rsp, %rdi			/* a kernel call: straight to its entry */
	leaq kernel_stack_top(%rip), %rsp
	call kernel_call_enter		/* returns only to run the caller on */
	movq proc_current(%rip), %rax
	jmp syscall_quick_exit
1:	movq %rsp, %rdi
	leaq kernel_stack_top(%rip), %rsp
	call ipc_fast_call		/* returns only to run the caller on */
/*
 * The quick exit (syscall.c): rax is the caller's process, whose frame
 * starts it.  The C code kept rbx, rbp and r12-r15 (callee-saved) and
 * changed nothing of the frame but rax and rdx, so only the registers C
 * may clobber are reloaded.  rip is the one syscall saved: canonical.
 */
syscall_quick_exit:
	movq %rax, %rsp
	movq TF_RAX(%rsp), %rax
	movq TF_RDX(%rsp), %rdx
	movq TF_RSI(%rsp), %rsi
	movq TF_RDI(%rsp), %rdi
	movq TF_R8(%rsp), %r8
	movq TF_R9(%rsp), %r9
	movq TF_R10(%rsp), %r10
	movq TF_RIP(%rsp), %rcx
	movq TF_RFLAGS(%rsp), %r11
	movq TF_RSP(%rsp), %rsp
	sysretq

/*
 * void arch_return_to_user(struct trapframe *f): load f and leave.
 *
 * A frame that a syscall saved leaves by sysretq (rip from rcx, rflags from
 * r11, which the syscall instruction had clobbered anyway; the selectors
 * from STAR), which a real CPU runs several times faster than iretq.  Only
 * when rip is a canonical user address: sysretq to a non-canonical one
 * faults in ring 0 on the user's stack on Intel CPUs.  Every other frame
 * (interrupt, exception, a new process) leaves by iretq.
 */
	.globl arch_return_to_user
arch_return_to_user:
	movq %rdi, %rsp
	cmpq $VEC_SYSCALL, TF_VECTOR(%rsp)
	jne 1f
	movq TF_RIP(%rsp), %rcx
	movq %rcx, %r11
	shrq $47, %r11			/* canonical and in the user half */
	jnz 1f
	RESTORE_GPRS_BUT_RCX_R11
	movq TF_RFLAGS(%rsp), %r11
	movq TF_RSP(%rsp), %rsp
	sysretq
1:	RESTORE_GPRS
	addq $TF_VECTOR + 16, %rsp
	iretq

	.section .rodata
	.align 8
	.globl trap_stubs
trap_stubs:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_stub_\n
	.endr
	.irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
	.quad trap_stub_\n
	.endr
	.globl trap_stub_spurious
trap_stub_spurious:
	.quad trap_stub_255

	.data
	.align 8
syscall_user_rsp:	.quad 0

	.bss
	.align 16
kernel_stack:	.space 16384
	.globl kernel_stack_top
kernel_stack_top:

	.section .note.GNU-stack, "", @progbits
