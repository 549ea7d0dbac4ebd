/*
 * Start of every system process.  The kernel leaves rsp at argc, followed by
 * argv[] (System V layout).  main's return value becomes sys_exit's status.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	xorl %ebp, %ebp
	movq (%rsp), %rdi		/* argc */
	leaq 8(%rsp), %rsi		/* argv */
	andq $-16, %rsp
	call libsys_start
	ud2

	.section .note.GNU-stack, "", @progbits
