/*
 * FORK: a new user process as a copy of a user process (Linux's fork,
 * vfork and clone with fork semantics; docs/processes.md section 4).
 * Reads: m_sys_fork (parent, flags).  Writes: m_sys_fork_reply.endpt.
 *
 * The parent must be a user process waiting in a Linux call (its
 * registers are those of the `syscall` it made), and the caller must be
 * responsible for it (authority.h: the PM that started it).  The child
 * gets a free slot with a new generation, the shared user privileges, the
 * parent's creator and priority, and a copy of its program: registers,
 * FPU/SSE state, FS and GS bases, heap bounds and name, with rax = 0 (what
 * fork returns in the child).  It is in no call and does not run until
 * the caller lets it (privctl ALLOW), once the rest of the system knows it.
 *
 * Memory: flags must be FORK_EMPTY_MEM: the child gets an empty space,
 * which VM fills copy-on-write (VM_FORK).  Every user process's memory is
 * VM's, so the kernel copies none (its copy of a kernel-made space, with
 * the lending that came with it, went when PM's processes moved to VM).
 *
 * Errors: EINVAL (flags), EINVAL/EDEADSRCDST (endpoint), EPERM (not a user
 * process, or not the caller's), EBUSY (not in a Linux call), EAGAIN (no
 * free slot), ENOMEM (no frame for its page tables).
 */
#include "system.h"
#include "priv.h"
#include "vm.h"
#include "authority.h"

/* child, fresh from proc_alloc, becomes a not yet runnable copy of parent's program. */
static void
copy_program(struct proc *child, struct proc *parent)
{
	arch_fpu_save(parent);
	child->p_program = (struct proc_program){
		.p_arch = parent->p_arch,
		.p_rts_flags = RTS_NO_PRIV,
		.p_getfrom_e = NONE,
		.p_heap = parent->p_heap,
	};
	proc_set_name(child, parent->p_name);
	child->p_arch.cr3 = 0; /* vm_create makes its own */
	arch_set_result(&child->p_arch, 0);
	vm_tlb_forget(child);
	child->p_priv = priv_user();
	child->p_creator = parent->p_creator;
	child->p_priority = parent->p_priority;
}

int
do_fork(struct proc *caller, message *m)
{
	struct msg_sys_fork req = m->m_sys_fork;
	struct proc *parent, *child;
	int r;

	if (req.flags != FORK_EMPTY_MEM)
		return -EINVAL;
	if ((r = proc_lookup(req.parent, &parent)) < 0)
		return r;
	if (parent->p_priv != priv_user() || !auth_responsible(caller, parent))
		return -EPERM;
	if (!(parent->p_misc_flags & MF_LINUX_CALL))
		return -EBUSY;
	if (!(child = proc_alloc(-1)))
		return -EAGAIN;
	copy_program(child, parent);
	if ((r = vm_create(child)) < 0) {
		proc_clear(child, "fork: out of memory");
		return r;
	}
	memset(&m->m_sys_fork_reply, 0, sizeof(m->m_sys_fork_reply));
	m->m_sys_fork_reply.endpt = child->p_endpoint;
	return 0;
}
