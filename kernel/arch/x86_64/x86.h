/*
 * Interfaces between the files of kernel/arch/x86_64/ (not for generic code,
 * which uses kernel/arch.h).
 */
#ifndef X86_X86_H
#define X86_X86_H

#include <ax/types.h>
#include "trapframe.h"

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

AX_STATIC_ASSERT(sizeof(struct tss) == 104, "TSS layout");

extern struct tss tss; /* gdt.c */

void gdt_init(void);

/* Where the CPU saves the registers of an interrupt from user mode. */
static inline void
tss_set_rsp0(uint64_t rsp0)
{
	tss.rsp[0] = rsp0;
}
void idt_init(void);
void pic_init(void);
void pic_eoi(int irq);
bool pic_spurious(int irq);
void pit_init(unsigned hz);
void serial_init(void);
void syscall_init(void);
void syscall_entry(void);

extern uint64_t boot_pml4[512];

void arch_return_to_user(struct trapframe *f) __attribute__((noreturn));
void trap_user(struct trapframe *f) __attribute__((noreturn));
void trap_kernel(struct trapframe *f);

#endif
