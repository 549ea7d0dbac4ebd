/*
 * Multiboot v1 entry and the 32-to-64-bit trampoline.
 *
 * QEMU (or GRUB) enters boot_entry32 in 32-bit protected mode without paging,
 * with the multiboot magic in eax and the physical address of the multiboot
 * information in ebx.  We zero .bss, build boot page tables that map the first
 * GiB three times (identity, for the switch; the direct map; the kernel image
 * in the top 2 GiB), enable PAE, long mode and paging, and jump to kmain() in
 * the higher half.  kernel/arch/x86_64/paging.c replaces these tables with the
 * real ones, without the identity map.
 */
#include "layout.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-align modules; give memory info */
#define PHYS(x)		((x) - KERNEL_VMA)

	.section .multiboot, "a"
	.align 4
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .boot.text, "ax"
	.code32
	.globl boot_entry32
boot_entry32:
	cli
	movl %eax, %esi			/* multiboot magic; ebx keeps the info */

	/* Zero .bss: it holds the page tables and the boot stack. */
	movl $PHYS(__bss_start), %edi
	movl $PHYS(__bss_end), %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	cld
	rep stosb

	/* boot_pd: 512 large pages covering the first GiB. */
	movl $PHYS(boot_pd), %edi
	movl $0x83, %eax		/* present, writable, large */
	movl $512, %ecx
1:	movl %eax, (%edi)
	addl $LARGE_PAGE_SIZE, %eax
	addl $8, %edi
	loop 1b

	movl $PHYS(boot_pd) + 3, %eax
	movl %eax, PHYS(boot_pdpt_low)		/* [0] -> first GiB */
	movl %eax, PHYS(boot_pdpt_high) + 510*8	/* -2 GiB -> first GiB */
	movl $PHYS(boot_pdpt_low) + 3, %eax
	movl %eax, PHYS(boot_pml4)		/* identity */
	movl %eax, PHYS(boot_pml4) + 256*8	/* direct map */
	movl $PHYS(boot_pdpt_high) + 3, %eax
	movl %eax, PHYS(boot_pml4) + 511*8	/* kernel image */

	movl %cr4, %eax
	orl $0x620, %eax		/* PAE | OSFXSR | OSXMMEXCPT */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $0x901, %eax		/* SCE | LME | NXE */
	wrmsr
	movl %cr0, %eax
	andl $~0x4, %eax		/* clear EM: the FPU is real */
	orl $0x80010022, %eax		/* PG | WP | NE | MP */
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $SEL_KCODE, $boot_entry64

	.code64
boot_entry64:
	movw $SEL_KDATA, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack + BOOT_STACK_SIZE, %rsp
	xorl %ebp, %ebp
	movl %esi, %edi			/* kmain(magic, mbi) */
	movl %ebx, %esi
	movabsq $kmain_entry, %rax
	jmp *%rax

	.section .boot.data, "a"
	.align 16
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* kernel data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt

	.text
kmain_entry:
	call kmain
1:	hlt
	jmp 1b

	.bss
	.align 4096
	.globl boot_pml4
boot_pml4:	.space 4096
boot_pdpt_low:	.space 4096
boot_pdpt_high:	.space 4096
boot_pd:	.space 4096
	.globl boot_stack
boot_stack:	.space BOOT_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
