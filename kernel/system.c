/*
 * Kernel calls: a SENDREC to SYSTEM.  kernel_call() reads the request from
 * the caller, checks the call number (ENOSYS) and the caller's call mask
 * (EPERM), runs the handler from the table, and writes the reply back into
 * the caller's buffer with m_source SYSTEM and the status in m_type.
 * The table is generated from include/ax/kcall.def.
 *
 * A copy that fails at a page of a user process that VM has not made
 * present (demand-zero, copy-on-write) is not the caller's error: the
 * kernel asks VM for the range on the caller's behalf (VM_MEMREQ; the
 * caller waits as in a SENDREC) and, once VM answers, the caller runs the
 * same kernel call again (idempotent up to its copies; a bounded copy
 * resumes where it stopped).  Only once per page: if the call fails there
 * again, the EFAULT is the caller's (linux_vm_request).
 */
#include "ipc.h"
#include "priv.h"
#include "system.h"
#include "vm.h"
#include "linux.h"
#include <ax/ipc.h>

typedef int (*kcall_handler)(struct proc *caller, message *m);

static const kcall_handler kcall_table[KCALL_COUNT] = {
#define KCALL(nr, NAME, name) [nr] = do_##name,
#include <ax/kcall.def>
#undef KCALL
};

static const char *const kcall_names[KCALL_COUNT] = {
#define KCALL(nr, NAME, name) [nr] = #name,
#include <ax/kcall.def>
#undef KCALL
};

/*
 * What follows a handler that returned r, shared by both paths: a copy that
 * stopped at a page VM has not made present (the call runs again once VM
 * answers), a bounded share done (it runs again at once), no reply.
 * IPC_SUSPEND in those cases, else r for the reply.
 */
static inline __attribute__((always_inline)) int
kcall_after(struct proc *caller, int r)
{
	if (r == 0) { /* the usual case first: one compare */
		caller->p_vmreq_e = NONE;
		caller->p_resume.r_call = 0;
		return 0;
	}
	if (r == -EFAULT && !proc_is_free(caller) && linux_vm_request(caller)) {
		arch_syscall_restart(&caller->p_arch); /* again once VM answers */
		return IPC_SUSPEND;
	}
	caller->p_vmreq_e = NONE;
	if (r == EKCALL_AGAIN && !proc_is_free(caller)) {
		arch_syscall_restart(&caller->p_arch); /* its share is done (system.h) */
		return IPC_SUSPEND;
	}
	caller->p_resume.r_call = 0;
	return r == EDONTREPLY ? IPC_SUSPEND : r;
}

/* A call starts (or resumes, same number and buffer: system.h). */
static inline __attribute__((always_inline)) void
kcall_begins(struct proc *caller, int nr, vir_addr_t msgbuf)
{
	if (caller->p_resume.r_call != nr + 1 || caller->p_resume.r_msgbuf != msgbuf)
		caller->p_resume = (struct kcall_resume){ nr + 1, msgbuf, 0 };
	vm_fault_note.e = NONE;
}

/*
 * The calls whose handlers may run on the caller's message where it lies:
 * they change neither the caller's memory map (so the page stays the
 * caller's), nor its slot, program, FPU state or scheduling, nor anybody's
 * readiness, and they read every field of the request before they write
 * any of the reply (or return an error that the caller gets whatever the
 * message then holds, as on the general path).  One that stops part-way
 * (EKCALL_AGAIN, a VM request) has written nothing into the message, so
 * it runs again on the same request.
 */
#define KCALL_IN_PLACE                                                                             \
	(KCALL_BIT(GETINFO) | KCALL_BIT(TIMES) | KCALL_BIT(SAFECOPYFROM) | KCALL_BIT(SAFECOPYTO) | \
	 KCALL_BIT(VSAFECOPY))
/* Those of them that work in shares (p_resume, system.h); the rest never look at it. */
#define KCALL_RESUMABLE (KCALL_BIT(SAFECOPYFROM) | KCALL_BIT(SAFECOPYTO) | KCALL_BIT(VSAFECOPY))

/*
 * A kernel call (SENDREC to SYSTEM), straight from syscall_entry (entry.S),
 * without a detour: when the message is already translated (vm_msgbuf: the
 * buffer the caller received into last, or in its cached message page) and
 * the call is one of KCALL_IN_PLACE that the caller may make, the handler
 * runs on the message where it lies (no copy in or out), the reply's
 * m_source and m_type are written into it, and this function returns:
 * syscall_entry reloads the caller's registers and leaves.  No scheduling
 * check is needed: such a call changes nobody's readiness (the caller's
 * neither), and while a process runs nothing of higher priority is ready
 * (every exit that releases one runs it at once: sched.c).  Nor does it
 * change anything else arch_resume would check.  The buffer is recorded as
 * the one the caller received into last, so that its next call finds it
 * with a compare.  Anything else: kernel_call(), then sched_resume(),
 * which does not return.
 */
void
kernel_call_enter(struct proc *caller)
{
	vir_addr_t va = arch_syscall_arg(&caller->p_arch, 1);
	message *m;
	int r, nr;

	if (!caller->p_priv || !(caller->p_priv->s_flags & PRIV_SYS_PROC)) {
		syscall_dispatch(caller); /* a user process's number: not a kernel call */
		return;
	}
	if ((m = vm_msgbuf(caller, va)) != NULL) {
		nr = m->m_type - KCALL_BASE;
		if ((unsigned)nr < KCALL_COUNT && ((KCALL_IN_PLACE >> nr) & 1) &&
		    priv_may_call(caller, nr)) {
			ipc_wait_into(caller, va, m);
			if ((KCALL_RESUMABLE >> nr) & 1)
				kcall_begins(caller, nr, va);
			else
				vm_fault_note.e = NONE;
			r = kcall_after(caller, kcall_table[nr](caller, m));
			if (r == IPC_SUSPEND)
				sched_resume(caller);
			m->m_source = SYSTEM;
			m->m_type = r;
			arch_set_status(&caller->p_arch, CALL_NR(SENDREC));
			arch_set_result(&caller->p_arch, 0);
			return; /* syscall_entry's quick exit */
		}
	}
	r = (va & 15) ? -EINVAL : kernel_call(caller, va);
	if (r != IPC_SUSPEND && !proc_is_free(caller))
		arch_set_result(&caller->p_arch, r);
	sched_resume(caller);
}

/*
 * The caller's message buffer must be readable and writable before the call
 * runs (validate, then act); a buffer that crosses a page takes the general
 * copy path.
 *
 * After the handler the caller may not be what it was.  A call can end its
 * own caller (kill of itself without a live signal manager clears the
 * slot): the reply goes only to the same, live process.  A call can change
 * the caller's memory (brk shrinking the heap under the buffer frees that
 * frame): the buffer is translated again for the reply, so an unmapped one
 * is EFAULT instead of a write into a freed frame.  A changed page table
 * dropped the cached translation (vm.c); when nothing changed, the second
 * translation is a compare.
 */
int
kernel_call(struct proc *caller, vir_addr_t msgbuf)
{
	message *um = vm_user_ptr(caller, msgbuf, sizeof(message), true);
	endpoint_t self = caller->p_endpoint;
	message m;
	int r, nr;

	if (um)
		arch_copy_message(&m, um);
	else if ((r = vm_check_user(caller, msgbuf, sizeof(m), true)) < 0 ||
		 (r = vm_copy_from_user(caller, &m, msgbuf, sizeof(m))) < 0)
		return r;
	nr = m.m_type - KCALL_BASE;
	if (nr < 0 || nr >= KCALL_COUNT || !kcall_table[nr]) {
		r = -ENOSYS;
	} else if (!priv_may_call(caller, nr)) {
		KDIAG(caller, "kernel call %s denied", kcall_names[nr]);
		r = -EPERM;
	} else {
		TRACE(KCALL, "kcall: %s(%d) %s\n", caller->p_name, caller->p_endpoint,
		      kcall_names[nr]);
		kcall_begins(caller, nr, msgbuf);
		if ((r = kcall_after(caller, kcall_table[nr](caller, &m))) == IPC_SUSPEND)
			return r;
	}
	if (proc_is_free(caller) || caller->p_endpoint != self)
		return IPC_SUSPEND; /* it ended itself: nobody to answer */
	m.m_source = SYSTEM;
	m.m_type = r;
	arch_set_status(&caller->p_arch, CALL_NR(SENDREC));
	if ((um = vm_user_ptr(caller, msgbuf, sizeof(m), true)) == NULL)
		return vm_copy_to_user(caller, msgbuf, &m, sizeof(m));
	arch_copy_message(um, &m); /* the usual case: the same page, still cached */
	return 0;
}
