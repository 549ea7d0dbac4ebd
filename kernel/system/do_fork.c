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
 * Memory: FORK_COPY_MEM copies every page now (a parent whose memory the
 * kernel made); FORK_EMPTY_MEM gives the child an empty space, which VM
 * then fills copy-on-write (VM_FORK: PM's fork of a process whose memory
 * is VM's).  The copy is checked against
 * the user memory limit and lent out of the parent's lender's limit, as a
 * spawned program is (quota.h), so forking cannot multiply memory.
 *
 * Errors: EINVAL (flags), EINVAL/EDEADSRCDST (endpoint), EPERM (not a user
 * process, or not the caller's), EBUSY (not in a Linux call), EAGAIN (no
 * free slot), ENOMEM (the limit, the lender's limit, or no frames).
 */
#include "system.h"
#include "priv.h"
#include "vm.h"
#include "authority.h"
#include "quota.h"

/* The process that lent parent its memory, if it still lives, or NULL. */
static struct proc *
lender_of(const struct proc *parent)
{
	struct proc *l;

	if (parent->p_mem_lender == NONE || proc_lookup(parent->p_mem_lender, &l) < 0)
		return NULL;
	return l;
}

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
	child->p_arch.cr3 = 0; /* vm_fork_copy makes its own */
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
	struct proc *parent, *child, *lender;
	uint64_t bytes;
	int r;

	if (req.flags != FORK_COPY_MEM && req.flags != FORK_EMPTY_MEM)
		return -EINVAL;
	if ((r = proc_lookup(req.parent, &parent)) < 0)
		return r;
	if (parent->p_priv != priv_user() || !auth_responsible(caller, parent))
		return -EPERM;
	if (!(parent->p_misc_flags & MF_LINUX_CALL))
		return -EBUSY;
	bytes = (uint64_t)parent->p_pages * PAGE_BYTES;
	lender = lender_of(parent);
	if (lender && quota_may_lend(lender, NULL, bytes) < 0)
		return -ENOMEM;
	if (!(child = proc_alloc(-1)))
		return -EAGAIN;
	copy_program(child, parent);
	if (req.flags == FORK_EMPTY_MEM) {
		if ((r = vm_create(child)) < 0) {
			proc_clear(child, "fork: out of memory");
			return r;
		}
		bytes = 0; /* VM's memory, not the kernel's */
	} else if ((r = quota_may_map(child, parent->p_pages, false)) < 0 ||
		   (r = vm_fork_copy(child, parent)) < 0) {
		proc_clear(child, "fork: out of memory");
		return r;
	}
	if (lender)
		quota_lend(lender, child, bytes);
	memset(&m->m_sys_fork_reply, 0, sizeof(m->m_sys_fork_reply));
	m->m_sys_fork_reply.endpt = child->p_endpoint;
	return 0;
}
