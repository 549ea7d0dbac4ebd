/*
 * The GDT and the TSS.  The GDT's order is fixed by syscall/sysret (see
 * layout.h).  The TSS holds rsp0, which always points just past the running
 * process's trapframe (set by arch_switch_to), and IST1, a separate stack for
 * double faults so that even a kernel stack overflow gets a register dump.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct tss tss; /* x86.h: arch_switch_to sets rsp0 */
static uint64_t gdt[7];
static uint8_t df_stack[4096] __attribute__((aligned(16)));

#define SEG_KCODE 0x00af9a000000ffffULL /* present, ring 0, code, long mode */
#define SEG_KDATA 0x00cf92000000ffffULL
#define SEG_UDATA 0x00cff2000000ffffULL /* ring 3 */
#define SEG_UCODE 0x00affa000000ffffULL

static void
gdt_set_tss(int i, uint64_t base, uint32_t limit)
{
	gdt[i] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 ((uint64_t)(limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
	gdt[i + 1] = base >> 32;
}

void
gdt_init(void)
{
	struct gdt_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[SEL_KCODE / 8] = SEG_KCODE;
	gdt[SEL_KDATA / 8] = SEG_KDATA;
	gdt[SEL_UDATA / 8] = SEG_UDATA;
	gdt[SEL_UCODE / 8] = SEG_UCODE;
	tss.ist[0] = (uint64_t)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 gets no ports */
	gdt_set_tss(SEL_TSS / 8, (uint64_t)&tss, sizeof(tss) - 1);
	__asm__ volatile("lgdt %0" : : "m"(p));
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w1, %%ds\n\t"
			 "movw %w1, %%es\n\t"
			 "movw %w1, %%ss\n\t"
			 :
			 : "i"(SEL_KCODE), "r"(SEL_KDATA)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}
