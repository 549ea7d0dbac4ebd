/*
 * Switching to a process: FPU/SSE state, FS and GS bases, address space,
 * the TSS's rsp0 (syscall_entry finds the frame at proc_current), then
 * sysretq or iretq through arch_return_to_user().  FPU state is saved and
 * restored only when the process changes, and saved only for a live owner
 * (fpu_owner), so a dead process's registers never land in its slot's next
 * occupant.  The FS and GS bases (arch_prctl, below) are written
 * whenever the process changes, unless both the base the kernel wrote last
 * and the next process's are 0 (load_base): a process can change the CPU's
 * copy behind the kernel's back by loading a segment selector, but only to
 * a descriptor's base, and every descriptor's base is 0 (gdt.c; no LDT,
 * FSGSBASE off), so the CPU then holds the base written last or 0.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "proc.h"
#include "vm.h"
#include <ax/linux.h>

/*
 * The live process whose FPU/SSE state the CPU holds (its slot's copy is
 * stale), or NULL.  Only a process that runs becomes the owner, so a
 * program is replaced (exec, update, a restart in place) only while
 * another process owns the FPU; a process cleared while it still owns it
 * (it ended itself, or was ended while the kernel idled) gives it up
 * (arch_proc_released), so the owner is never a dead slot or its next
 * occupant.
 */
static struct proc *fpu_owner;
static uint64_t cpu_fs_base, cpu_gs_base; /* what the kernel wrote last */

/* The CPU holds *cpu or 0 (see the top): write base unless both are 0. */
static inline void
load_base(uint32_t msr, uint64_t *cpu, uint64_t base)
{
	if (base | *cpu) {
		wrmsr(msr, base);
		*cpu = base;
	}
}

/* The kernel changed p's FPU state in its slot: the CPU takes it if p owns the FPU. */
void
arch_fpu_load(struct proc *p)
{
	if (fpu_owner == p)
		fxrstor(&p->p_arch.fpu);
}

void
arch_switch_to(struct proc *next)
{
	if (fpu_owner != next) {
		if (fpu_owner)
			fxsave(&fpu_owner->p_arch.fpu);
		fxrstor(&next->p_arch.fpu);
		fpu_owner = next;
		load_base(MSR_FS_BASE, &cpu_fs_base, next->p_arch.fs_base);
		load_base(MSR_GS_BASE, &cpu_gs_base, next->p_arch.gs_base);
	}
	if (read_cr3() != next->p_arch.cr3)
		write_cr3(next->p_arch.cr3);
	tss_set_rsp0((uint64_t)(&next->p_arch.reg + 1));
	arch_return_to_user(&next->p_arch.reg);
}

/*
 * Back to the process that entered the kernel, when it is still the one to
 * run: its address space and rsp0 are in place, and unless a kernel call
 * replaced its program (or it lost the FPU), only its registers need
 * loading.
 */
void
arch_resume(struct proc *p)
{
	if (read_cr3() == p->p_arch.cr3 && fpu_owner == p)
		arch_return_to_user(&p->p_arch.reg);
	arch_switch_to(p);
}

/*
 * Bring p's FPU/SSE state in p_arch up to date: the CPU holds the state of
 * the last process that ran, saved only at the next switch.  For reading
 * it from another process's kernel call (fork's copy).
 */
void
arch_fpu_save(struct proc *p)
{
	if (fpu_owner == p)
		fxsave(&p->p_arch.fpu);
}

/* p's FPU state was replaced: the CPU's copy must be loaded again. */
void
arch_fpu_forget(const struct proc *p)
{
	if (fpu_owner == p)
		fpu_owner = NULL;
}

/* p's slot is released: the CPU's FPU state is nobody's any more. */
void
arch_proc_released(const struct proc *p)
{
	arch_fpu_forget(p);
}

/* A new process: entry point, stack, one argument in rdi, clean FPU state. */
void
arch_proc_init(struct arch_proc *a, vir_addr_t entry, vir_addr_t sp, uint64_t arg)
{
	memset(&a->reg, 0, sizeof(a->reg));
	a->reg.rip = entry;
	a->reg.rsp = sp;
	a->reg.rdi = arg;
	a->reg.cs = SEL_UCODE;
	a->reg.ss = SEL_UDATA;
	a->reg.rflags = 0x202; /* IF */
	memset(&a->fpu, 0, sizeof(a->fpu));
	*(uint16_t *)&a->fpu.fx[0] = 0x37f;   /* FCW: all exceptions masked */
	*(uint32_t *)&a->fpu.fx[24] = 0x1f80; /* MXCSR: same for SSE */
	a->fs_base = 0;
	a->gs_base = 0;
}

/*
 * Linux's arch_prctl for a user process (kernel/linux.c): the FS and GS
 * bases are per-thread CPU state, kept beside the registers.  A base must be
 * a user address (EPERM, as Linux); GET writes it to the caller's addr
 * (EFAULT).  Only the running process changes its own base, so the MSR is
 * written at once as well.
 */
int64_t
arch_linux_prctl(struct proc *p, uint64_t code, uint64_t addr)
{
	uint64_t *base = (code == ARCH_SET_FS || code == ARCH_GET_FS) ? &p->p_arch.fs_base
								      : &p->p_arch.gs_base;

	switch (code) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (addr >= ARCH_USER_TOP - PAGE_BYTES)
			return -EPERM;
		*base = addr;
		if (code == ARCH_SET_FS)
			wrmsr(MSR_FS_BASE, cpu_fs_base = addr);
		else
			wrmsr(MSR_GS_BASE, cpu_gs_base = addr);
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		return vm_copy_to_user(p, addr, base, sizeof(*base));
	default:
		return -EINVAL;
	}
}
