/*
 * The IDT: 32 exception vectors, 16 PIC lines (32-47) and the spurious
 * vector, all pointing at the stubs in entry.S.  Every gate is an interrupt
 * gate (interrupts off on entry) usable only from ring 0, except the
 * breakpoint, which user code may raise with int3.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};

AX_STATIC_ASSERT(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct idt_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

extern const uint64_t trap_stubs[49]; /* vectors 0-47, then 255 */
static struct idt_gate idt[256];

static void
idt_set(int vec, uint64_t handler, int dpl, int ist)
{
	idt[vec] = (struct idt_gate){
		.offset_low = handler & 0xffff,
		.selector = SEL_KCODE,
		.ist = ist,
		.type_attr = 0x8e | (dpl << 5), /* present, 64-bit interrupt gate */
		.offset_mid = (handler >> 16) & 0xffff,
		.offset_high = handler >> 32,
	};
}

void
idt_init(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	for (int v = 0; v < 48; v++)
		idt_set(v, trap_stubs[v], v == 3 ? 3 : 0, v == 8 ? 1 : 0);
	idt_set(VEC_SPURIOUS, trap_stubs[48], 0, 0);
	__asm__ volatile("lidt %0" : : "m"(p));
}
