/*
 * Switching to a process: FPU/SSE state, address space, the TSS's rsp0 and
 * syscall_entry's frame pointer, then iretq through arch_return_to_user().
 * FPU state is saved and restored only when the process changes, and saved
 * only while its owner is still the same process (endpoint check), so a
 * dead process's registers never land in its slot's next occupant.
 */
#include "cpu.h"
#include "layout.h"
#include "x86.h"
#include "proc.h"

static struct proc *fpu_owner;
static endpoint_t fpu_owner_ep;

void
arch_switch_to(struct proc *next)
{
	if (fpu_owner != next || fpu_owner_ep != next->p_endpoint) {
		if (fpu_owner && !proc_is_free(fpu_owner) && fpu_owner->p_endpoint == fpu_owner_ep)
			fxsave(&fpu_owner->p_arch.fpu);
		fxrstor(&next->p_arch.fpu);
		fpu_owner = next;
		fpu_owner_ep = next->p_endpoint;
	}
	if (read_cr3() != next->p_arch.cr3)
		write_cr3(next->p_arch.cr3);
	cpu_frame_top = (uint64_t)(&next->p_arch.reg + 1);
	tss_set_rsp0(cpu_frame_top);
	arch_return_to_user(&next->p_arch.reg);
}

/*
 * Back to the process that entered the kernel, when it is still the one to
 * run: its address space, rsp0 and frame pointer are in place, and unless
 * a kernel call replaced its program (or it lost the FPU), only its
 * registers need loading.
 */
void
arch_resume(struct proc *p)
{
	if (read_cr3() == p->p_arch.cr3 && fpu_owner == p && fpu_owner_ep == p->p_endpoint &&
	    cpu_frame_top == (uint64_t)(&p->p_arch.reg + 1))
		arch_return_to_user(&p->p_arch.reg);
	arch_switch_to(p);
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
	a->reg.rflags = 0x202;	/* IF */
	memset(&a->fpu, 0, sizeof(a->fpu));
	*(uint16_t *)&a->fpu.fx[0] = 0x37f;	/* FCW: all exceptions masked */
	*(uint32_t *)&a->fpu.fx[24] = 0x1f80;	/* MXCSR: same for SSE */
}
