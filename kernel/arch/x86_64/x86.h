/*
 * Interfaces between the files of kernel/arch/x86_64/ (not for generic code,
 * which uses kernel/arch.h).
 */
#ifndef X86_X86_H
#define X86_X86_H

#include <ax/types.h>
#include "trapframe.h"

void gdt_init(void);
void tss_set_rsp0(uint64_t rsp0);
void idt_init(void);
void pic_init(void);
void pic_eoi(int irq);
bool pic_spurious(int irq);
void pit_init(unsigned hz);
void serial_init(void);
void syscall_init(void);
void syscall_entry(void);

extern uint64_t cpu_frame_top; /* entry.S: where syscall_entry saves registers */
extern uint64_t boot_pml4[512];

void arch_return_to_user(struct trapframe *f) __attribute__((noreturn));
void trap_user(struct trapframe *f) __attribute__((noreturn));
void trap_kernel(struct trapframe *f);

#endif
