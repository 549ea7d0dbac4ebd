/*
 * Trap dispatch on x86-64: what entry.S calls once the registers are saved.
 *
 *   trap_user     an interrupt or exception in user mode: an IRQ is
 *                 handled; an exception is the process's fault.
 *   trap_kernel   the same in kernel mode: an IRQ while idling, or an
 *                 exception, which is a kernel bug and panics.
 * (The syscall instruction goes from entry.S straight to kernel_call_enter or
 * ipc_fast_call.)
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "proc.h"
#include "interrupt.h"
#include "timer.h"
#include "linux.h"
#include <ax/signal.h>

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 error",
	"alignment check",
	"machine check",
	"SIMD error",
	"virtualization",
	"control protection",
};

/* The signal a user-mode exception becomes. */
static int
exception_signal(uint64_t v)
{
	switch (v) {
	case 0:
	case 16:
	case 19:
		return SIGFPE;
	case 1:
	case 3:
		return SIGTRAP;
	case 6:
		return SIGILL;
	case 17:
		return SIGBUS;
	default:
		return SIGSEGV;
	}
}

static const char *
exception_name(uint64_t v)
{
	return v < 32 && exception_names[v] ? exception_names[v] : "reserved exception";
}

static void
dump_frame(const struct trapframe *f)
{
	printf("  rip %016llx  rsp %016llx  rflags %08llx  cs %llx  ss %llx\n",
	       (unsigned long long)f->rip, (unsigned long long)f->rsp,
	       (unsigned long long)f->rflags, (unsigned long long)f->cs, (unsigned long long)f->ss);
	printf("  rax %016llx  rbx %016llx  rcx %016llx  rdx %016llx\n", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	printf("  rsi %016llx  rdi %016llx  rbp %016llx  r8  %016llx\n", (unsigned long long)f->rsi,
	       (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	printf("  r9  %016llx  r10 %016llx  r11 %016llx  r12 %016llx\n", (unsigned long long)f->r9,
	       (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	printf("  r13 %016llx  r14 %016llx  r15 %016llx  cr2 %016llx\n", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15,
	       (unsigned long long)read_cr2());
	printf("  vector %llu  error %#llx\n", (unsigned long long)f->vector,
	       (unsigned long long)f->error);
}

void
arch_dump_frame(const struct arch_proc *a)
{
	dump_frame(&a->reg);
}

/* An IRQ from the PIC; false if it was spurious. */
static void
handle_irq(int irq, bool from_user)
{
	if (pic_spurious(irq))
		return;
	pic_eoi(irq);
	if (irq == 0)
		clock_tick(from_user);
	else
		irq_handle(irq);
}

void
trap_user(struct trapframe *f)
{
	struct proc *p = proc_current;
	struct proc *handoff = NULL;
	char what[96];

	if (f->vector >= VEC_IRQ0 && f->vector < VEC_IRQ0 + 16) {
		handle_irq((int)f->vector - VEC_IRQ0, true);
		switch_to_user();
	}
	if (f->vector == VEC_SPURIOUS)
		switch_to_user();
	snprintf(what, sizeof(what), "%s at rip %#llx", exception_name(f->vector),
		 (unsigned long long)f->rip);
	if (f->vector == 14 && linux_pagefault(p, read_cr2(), f->error, f->rip, &handoff)) {
		if (handoff)
			sched_handoff(handoff);
		sched_resume(p);
	}
	if (f->vector == 14)
		snprintf(what, sizeof(what), "page fault at %#llx (rip %#llx, error %#llx)",
			 (unsigned long long)read_cr2(), (unsigned long long)f->rip,
			 (unsigned long long)f->error);
	user_fault(p, exception_signal(f->vector), what);
}

/*
 * A fault inside arch_probe (probe.S) is the answer the probe waits for:
 * resume at its recovery point, on its stack as it was, with -EFAULT.
 */
static bool
probe_fixup(struct trapframe *f)
{
	extern uint64_t probe_recover_rip, probe_recover_rsp;

	if (!probe_recover_rip || (f->vector != 14 && f->vector != 13))
		return false;
	printf("kernel: probe: %s at %#llx (error %#llx, rip %#llx), as it must\n",
	       exception_name(f->vector), (unsigned long long)read_cr2(),
	       (unsigned long long)f->error, (unsigned long long)f->rip);
	f->rip = probe_recover_rip;
	f->rsp = probe_recover_rsp;
	f->rax = (uint64_t)-EFAULT;
	return true;
}

void
trap_kernel(struct trapframe *f)
{
	if (f->vector >= VEC_IRQ0 && f->vector < VEC_IRQ0 + 16) {
		handle_irq((int)f->vector - VEC_IRQ0, false);
		return;
	}
	if (f->vector == VEC_SPURIOUS || probe_fixup(f))
		return;
	printf("kernel: %s in kernel mode\n", exception_name(f->vector));
	dump_frame(f);
	arch_stacktrace("kernel", f->rbp);
	panic("%s at %#llx", exception_name(f->vector), (unsigned long long)f->rip);
}
