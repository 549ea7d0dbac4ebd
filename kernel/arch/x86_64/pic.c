/*
 * The two 8259 interrupt controllers, remapped to vectors 32-47.  A line is
 * unmasked only while some driver is attached to it (and the timer's, always).
 * IRQ 7 and 15 can be spurious; the in-service register tells.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "kernel.h"
#include "arch.h"

#define PIC1         0x20
#define PIC2         0xa0
#define PIC_EOI      0x20
#define PIC_READ_ISR 0x0b

static uint16_t pic_mask = 0xffff & ~(1 << 0 | 1 << 2); /* timer and cascade open */

static void
pic_write_mask(void)
{
	outb(PIC1 + 1, pic_mask & 0xff);
	outb(PIC2 + 1, pic_mask >> 8);
}

void
pic_init(void)
{
	outb(PIC1, 0x11); /* ICW1: edge, cascade, ICW4 follows */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, VEC_IRQ0); /* ICW2: vector base */
	outb(PIC2 + 1, VEC_IRQ0 + 8);
	outb(PIC1 + 1, 4); /* ICW3: slave on line 2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1); /* ICW4: 8086 mode */
	outb(PIC2 + 1, 1);
	pic_write_mask();
}

void
arch_irq_mask(int irq)
{
	pic_mask |= 1 << irq;
	pic_write_mask();
}

void
arch_irq_unmask(int irq)
{
	pic_mask &= ~(1 << irq);
	pic_write_mask();
}

/* The timer and the cascade belong to the kernel. */
bool
arch_irq_reserved(int irq)
{
	return irq == 0 || irq == 2;
}

void
pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, PIC_EOI);
	outb(PIC1, PIC_EOI);
}

bool
pic_spurious(int irq)
{
	if (irq != 7 && irq != 15)
		return false;
	outb(irq == 7 ? PIC1 : PIC2, PIC_READ_ISR);
	if (inb(irq == 7 ? PIC1 : PIC2) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1, PIC_EOI); /* the master did see the cascade */
	return true;
}
