/*
 * The machine around the CPU: the PIT (the clock), the 16550 serial console
 * (written by polling; its receiver polled for the dump key),
 * port I/O for devio, shutdown, the time-stamp counter and stack traces,
 * and arch_init(), which brings all of the x86-64 layer up.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "kernel.h"
#include "arch.h"
#include <ax/kcall.h>

#define COM1       0x3f8
#define PIT_HZ     1193182
#define DEBUG_EXIT 0xf4 /* QEMU isa-debug-exit: exit status (v << 1) | 1 */

void
serial_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts: the clock polls for the dump key (dump.c) */
	outb(COM1 + 3, 0x80); /* DLAB */
	outb(COM1 + 0, 0x01); /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFO on */
	outb(COM1 + 4, 0x03);
}

void
arch_console_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

int
arch_console_irq(void)
{
	return 4; /* COM1's */
}

bool
arch_console_sends(uint32_t port, uint32_t value)
{
	static bool dlab; /* the divisor latch is switched in: COM1 + 0 is not the THR */

	if (port == COM1 + 3)
		dlab = value & 0x80;
	return port == COM1 && !dlab;
}

int
arch_console_getc(void)
{
	if (!(inb(COM1 + 5) & 0x01))
		return -1;
	return inb(COM1);
}

void
pit_init(unsigned hz)
{
	unsigned divisor = PIT_HZ / hz;

	outb(0x43, 0x34); /* channel 0, lo/hi, rate generator */
	outb(0x40, divisor & 0xff);
	outb(0x40, divisor >> 8);
}

void
syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)(SEL_UDATA - 8) << 48) | ((uint64_t)SEL_KCODE << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, 0x47700); /* clear IF, DF, TF, AC, NT on entry */
}

/*
 * SMEP and SMAP: the kernel never runs user code and never touches user
 * memory through user addresses (vm.c copies through the direct map), so
 * both go on when the CPU has them; a user page executed or read by the
 * kernel then faults (authority.smep_smap_nx).  NX (EFER.NXE, boot.S) and
 * the kernel image's rights (paging.c) are set up before this.
 */
static void
protection_init(void)
{
	uint32_t r[4];
	uint64_t cr4 = read_cr4();

	cpuid(0, 0, r);
	if (r[0] >= 7)
		cpuid(7, 0, r);
	else
		r[1] = 0;
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	else
		printf("kernel: this CPU has no SMEP: the kernel could run user code\n");
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	else
		printf("kernel: this CPU has no SMAP: the kernel could touch user memory "
		       "directly\n");
	write_cr4(cr4);
}

/*
 * Meltdown (rogue data cache load): on an affected CPU a process can read
 * any supervisor mapping speculatively, and every address space maps all
 * physical memory for the kernel (docs/kernel.md, "Hardening").  Axolotl
 * has no page-table isolation yet, so it says so at boot when the CPU does
 * not declare itself immune (RDCL_NO) and is not an AMD one.
 */
static void
meltdown_check(void)
{
	uint32_t r[4];
	bool amd, rdcl_no = false;

	cpuid(0, 0, r);
	amd = r[1] == 0x68747541; /* "Auth"enticAMD */
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[3] & (1u << 29)) /* IA32_ARCH_CAPABILITIES exists */
			rdcl_no = rdmsr(0x10a) & 1;
	}
	if (!amd && !rdcl_no)
		printf("kernel: this CPU may be open to Meltdown, and all physical memory is "
		       "mapped "
		       "in every address space (docs/kernel.md)\n");
}

void
arch_init(unsigned hz)
{
	serial_init();
	gdt_init();
	idt_init();
	pic_init();
	pit_init(hz);
	syscall_init();
	protection_init();
	meltdown_check();
}

uint64_t
arch_read_tsc(void)
{
	return rdtsc();
}

/* Wait for one interrupt with interrupts enabled; the handler runs inside. */
void
arch_idle(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

int
arch_devio(int request, uint32_t port, uint32_t *value)
{
	switch (request) {
	case DIO_IN_BYTE:
		*value = inb(port);
		return 0;
	case DIO_IN_WORD:
		*value = inw(port);
		return 0;
	case DIO_IN_LONG:
		*value = inl(port);
		return 0;
	case DIO_OUT_BYTE:
		outb(port, *value);
		return 0;
	case DIO_OUT_WORD:
		outw(port, *value);
		return 0;
	case DIO_OUT_LONG:
		outl(port, *value);
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Stop the machine.  Under QEMU with isa-debug-exit the exit status tells
 * the harness what happened: 33 success, 35 failure, 37 kernel panic.
 * Otherwise ACPI power-off (QEMU's PIIX4), and failing that, halt.  A
 * restart resets through the PCI reset control register (0xcf9: a hard
 * reset), then the keyboard controller's reset line.
 */
void
arch_shutdown(int how, int status)
{
	if (how == ABORT_RESTART) {
		outb(0xcf9, 0x02);
		outb(0xcf9, 0x06);
		outb(0x64, 0xfe);
	}
	if (how == ABORT_POWEROFF) {
		outb(DEBUG_EXIT, status == 0 ? 0x10 : status == SHUTDOWN_PANIC ? 0x12 : 0x11);
		outw(0x604, 0x2000);
	}
	printf("kernel: halted\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}

uint64_t
arch_frame_pointer(void)
{
	return (uint64_t)__builtin_frame_address(0);
}

/* Follow the rbp chain inside the kernel image; stop at anything odd. */
void
arch_stacktrace(const char *who, uint64_t rbp)
{
	printf("%s: stacktrace:", who);
	for (int depth = 0; depth < 16 && rbp >= KERNEL_VMA && (rbp & 7) == 0; depth++) {
		uint64_t *frame = (uint64_t *)rbp;

		printf(" %#llx", (unsigned long long)frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	printf("\n");
}
