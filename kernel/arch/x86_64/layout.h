/*
 * The x86-64 address-space layout and segment selectors, shared by C and
 * assembly.
 *
 *   0x0000000000000000 .. 0x00007fffffffffff   user half (one per process)
 *   0xffff800000000000 ..                     direct map of physical memory
 *   0xffffffff80000000 ..                     the kernel image (-mcmodel=kernel)
 */
#ifndef X86_LAYOUT_H
#define X86_LAYOUT_H

#define KERNEL_VMA 0xffffffff80000000
#define DIRECT_MAP 0xffff800000000000
#define USER_TOP   0x0000800000000000 /* first non-user address */

#define PAGE_SIZE       4096
#define LARGE_PAGE_SIZE 0x200000

/* GDT selectors; the order is what syscall/sysret require. */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x1b /* 0x18 | RPL 3 */
#define SEL_UCODE 0x23 /* 0x20 | RPL 3 */
#define SEL_TSS   0x28

/* Trap vectors. */
#define VEC_IRQ0     32 /* 16 legacy PIC lines */
#define VEC_SPURIOUS 255
#define VEC_SYSCALL  256 /* not a real vector: marks a syscall frame */
#define VEC_RESTORED 257 /* rt_sigreturn's frame: leave by iretq, rcx and r11 kept */

#define BOOT_STACK_SIZE 16384

#endif
