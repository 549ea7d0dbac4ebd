/*
 * The Linux system-call ABI of user processes (docs/processes.md).
 *
 * A process in the shared user slot that executes `syscall` comes here
 * (syscall_dispatch).  The number is looked up in the table built from
 * include/ax/linux_calls.def: a KERNEL call is done here; a server's call
 * becomes a request message to the server that registered for the class
 * (linuxctl), sent on the caller's behalf as a SENDREC, so the caller
 * waits (MF_LINUX_CALL) for that server's reply alone; anything else is
 * -ENOSYS, logged once per number.
 *
 * The server answers with an ordinary native reply to the caller's
 * endpoint; ipc.c hands it to linux_reply(), which writes the result into
 * rax and no message into user memory.  A reply of the wrong form is
 * refused with -EINVAL and the caller keeps waiting.
 */
#include "linux.h"
#include "authority.h"
#include "ipc.h"
#include "priv.h"
#include "vm.h"
#include <ax/linux.h>
#include <ax/ipc.h>
#include <ax/signal.h>
#include <ax/vm.h>

/* Owner of each Linux number (LX_OWNER_NONE: not served). */
static const uint8_t lx_owner_of[LX_NR_CALLS] = {
#define LINUX_CALL(nr, name, owner) [nr] = LX_OWNER_##owner,
#include <ax/linux_calls.def>
#undef LINUX_CALL
};

/* The registered server of each class; 0 (no endpoint) until one registers. */
static endpoint_t lx_server[LX_NR_OWNERS];
/* The one it took the class over from, while that one lives (RELEASE). */
static endpoint_t lx_previous[LX_NR_OWNERS];

/* Numbers logged once; the last bit stands for every number past the table. */
static uint64_t unknown_logged[BITMAP_WORDS(LX_NR_CALLS + 1)];
static uint32_t unknown_count; /* lines logged: getinfo(RESOURCES) */

uint32_t
linux_unknown_count(void)
{
	return unknown_count;
}

int
linux_unknown(struct proc *p, uint64_t nr)
{
	int bit = nr < LX_NR_CALLS ? (int)nr : LX_NR_CALLS;

	if (!bitmap_test(unknown_logged, bit)) {
		bitmap_set(unknown_logged, bit);
		unknown_count++;
		KDIAG(p, "unknown system call %#llx (logged once)", (unsigned long long)nr);
	}
	return -ENOSYS;
}

/*
 * The live server that owns class `owner`, or NULL.  One that took the
 * class over and died without giving it back (RELEASE) hands it back to
 * the server it took it from, if that one lives.
 */
static struct proc *
lx_owner(int owner)
{
	struct proc *s;

	if (lx_server[owner] && proc_lookup(lx_server[owner], &s) == 0)
		return s;
	if (!lx_previous[owner] || proc_lookup(lx_previous[owner], &s) < 0)
		return NULL;
	lx_server[owner] = lx_previous[owner];
	lx_previous[owner] = 0;
	if (owner == LX_OWNER_PM)
		priv_user()->s_sig_mgr = lx_server[owner];
	return s;
}

static int64_t
lx_kernel_call(struct proc *p, uint64_t nr)
{
	const struct arch_proc *a = &p->p_arch;

	switch (nr) {
	case LX_NR_arch_prctl:
		return arch_linux_prctl(p, arch_syscall_arg(a, 0), arch_syscall_arg(a, 1));
	default:
		return linux_unknown(p, nr);
	}
}

/*
 * Is p the server of class `owner`, or the one a stand-in took it from
 * for a while (a test serving brk: VM keeps its memory calls, vmctl)?
 */
bool
linux_is_owner(const struct proc *p, int owner)
{
	return (lx_server[owner] && lx_server[owner] == p->p_endpoint) ||
	       (lx_previous[owner] && lx_previous[owner] == p->p_endpoint);
}

/*
 * A user process's page fault at addr (error: the CPU's code): when a VM
 * server is registered, p waits (MF_PAGEFAULT) and VM gets VM_PAGEFAULT on
 * p's behalf, by the path of a Linux call; true then, and *handoff may
 * name VM to run next.  false: no VM, the fault is a signal as before.
 */
bool
linux_pagefault(struct proc *p, uint64_t addr, uint64_t error, uint64_t ip, struct proc **handoff)
{
	struct proc *vm = lx_owner(LX_OWNER_VM);
	message m;

	if (!vm || !linux_is_user(p))
		return false;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_PAGEFAULT;
	m.m_vm_fault.addr = addr;
	m.m_vm_fault.error = error;
	m.m_vm_fault.ip = ip;
	p->p_misc_flags |= MF_PAGEFAULT;
	if (ipc_sendrec_msg(p, vm, &m, 0, 0, handoff) < 0) {
		p->p_misc_flags &= ~MF_PAGEFAULT;
		return false;
	}
	return true;
}

/*
 * VM's answer to a page fault: 0 resumes p at the faulting instruction
 * (rax untouched); -ENOMEM ends it with SIGKILL, -EIO with SIGBUS (a
 * file mapping's page past the file's end), any other error with SIGSEGV, raised to its signal manager (PM) as a fault is.
 */
static int
pagefault_reply(struct proc *to, const message *m)
{
	if (m->m_type > 0 || m->m_type < -LX_ERRNO_MAX)
		return -EINVAL;
	to->p_misc_flags &= ~(MF_PAGEFAULT | MF_REPLY_PEND);
	to->p_getfrom_e = NONE;
	proc_unblock(to, RTS_RECEIVING);
	if (m->m_type == -EIO)
		sig_raise(to, SIGBUS, "page fault past the end of a mapped file");
	else if (m->m_type < 0)
		sig_raise(to, m->m_type == -ENOMEM ? SIGKILL : SIGSEGV,
			  m->m_type == -ENOMEM ? "out of memory in a page fault"
					       : "page fault outside its memory");
	return 0;
}

/*
 * caller's kernel call failed at a page of a user process (vm_fault_note):
 * ask VM to make [va, va+len) present (writable, for a write) on the
 * caller's behalf, VM_MEMREQ by the send-on-behalf path; the caller waits
 * (MF_VMREQ) and runs its call again when VM answers (system.c).  Not for
 * VM itself, not without a VM, and only once per page: false then.
 */
bool
linux_vm_request(struct proc *caller)
{
	const struct vm_fault_note *f = &vm_fault_note;
	struct proc *vm = lx_owner(LX_OWNER_VM), *handoff = NULL;
	message m;

	if (f->e == NONE || !vm || vm == caller ||
	    (caller->p_vmreq_e == f->e && caller->p_vmreq_va == (f->va & ~(vir_addr_t)4095)))
		return false;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_MEMREQ;
	m.m_vm_request.endpt = f->e;
	m.m_vm_request.addr = f->va;
	m.m_vm_request.len = f->len;
	m.m_vm_request.flags = f->write ? VM_POP_WRITE : 0;
	caller->p_vmreq_e = f->e;
	caller->p_vmreq_va = f->va & ~(vir_addr_t)4095;
	caller->p_misc_flags |= MF_VMREQ;
	if (ipc_sendrec_msg(caller, vm, &m, 0, 0, &handoff) < 0) {
		caller->p_misc_flags &= ~MF_VMREQ;
		return false;
	}
	return true;
}

/* VM's answer to a VM_MEMREQ: the caller is released to run its kernel call again. */
int
linux_vm_answer(struct proc *from, struct proc *to)
{
	if (!ipc_is_reply(from, to))
		return -EPERM;
	to->p_misc_flags &= ~(MF_VMREQ | MF_REPLY_PEND);
	to->p_getfrom_e = NONE;
	proc_unblock(to, RTS_RECEIVING);
	return 0;
}

/*
 * The trap: p's result (rax), or IPC_SUSPEND when p waits for a server;
 * *handoff may name the server to run next (it was waiting).
 */
int
linux_syscall(struct proc *p, struct proc **handoff)
{
	const struct arch_proc *a = &p->p_arch;
	uint64_t nr = arch_syscall_nr(a);
	int owner = nr < LX_NR_CALLS ? lx_owner_of[nr] : LX_OWNER_NONE;
	struct proc *server;
	message m;
	int r;

	p->p_lx_nr = nr;
	p->p_lx_restart = 0;
	if (nr == LX_NR_rt_sigreturn)
		return linux_sigreturn(p, lx_owner(LX_OWNER_PM), handoff);
	if (owner == LX_OWNER_KERNEL) {
		arch_set_result(&p->p_arch, lx_kernel_call(p, nr));
		return IPC_SUSPEND; /* the result is written: nothing more */
	}
	if (owner == LX_OWNER_ENOSYS)
		return -ENOSYS;
	if (owner == LX_OWNER_NONE || !(server = lx_owner(owner)))
		return linux_unknown(p, nr);
	if (ipc_fastpath_on) /* returns only if not taken */
		ipc_fast_linux_call(p, server, LX_CALL_BASE + (int32_t)nr);
	memset(&m, 0, sizeof(m));
	m.m_type = LX_CALL_BASE + (int32_t)nr;
	for (int i = 0; i < 6; i++)
		m.m_lx_call.arg[i] = arch_syscall_arg(a, i);
	m.m_lx_call.sp = arch_user_sp(a);
	p->p_misc_flags |= MF_LINUX_CALL;
	if ((r = ipc_sendrec_msg(p, server, &m, 0, 0, handoff)) < 0) {
		p->p_misc_flags &= ~MF_LINUX_CALL;
		return -EIO; /* no native error reaches a Linux program */
	}
	return r;
}

/*
 * `from` sends m to the user process `to`: only the reply to to's Linux
 * call, from the server it waits for, now.  0 when to is resumed; -EPERM
 * when to does not wait for from; -EINVAL for a message that is no reply
 * (to keeps waiting).  A server's REPLYRECV usually takes the fast path
 * instead (fast_linux_reply, ipc_fast.c), which must do the same; so must
 * ipc_fast_linux_call for the trap's request.
 */
int
linux_reply(struct proc *from, struct proc *to, const message *m)
{
	int64_t result;

	if ((to->p_misc_flags & MF_PAGEFAULT) && ipc_is_reply(from, to))
		return pagefault_reply(to, m);
	if (!(to->p_misc_flags & MF_LINUX_CALL) || !ipc_is_reply(from, to))
		return -EPERM;
	if (!linux_reply_result(m, &result))
		return -EINVAL;
	arch_set_result(&to->p_arch, linux_call_result(to, result));
	to->p_misc_flags &= ~(MF_LINUX_CALL | MF_REPLY_PEND);
	to->p_getfrom_e = NONE;
	proc_unblock(to, RTS_RECEIVING);
	linux_call_ended(to);
	return 0;
}

/*
 * caller serves class `owner` from now on (linuxctl, kernel/system/
 * do_linuxctl.c).  Registering as PM also makes it the signal manager of
 * the shared user slot: user processes' faults and kills go to it, and it
 * may release their slots (clear).  A class served by a live process
 * passes only to one responsible for that process (authority.h: RS, or a
 * new instance in the same slot); otherwise any holder of linuxctl could
 * take PM's calls and its user processes.  0 or -EPERM.
 */
int
linux_set_owner(struct proc *caller, int owner)
{
	struct proc *cur;

	if (lx_server[owner] && proc_lookup(lx_server[owner], &cur) == 0 && cur != caller &&
	    !auth_responsible(caller, cur))
		return -EPERM;
	lx_previous[owner] = lx_server[owner] != caller->p_endpoint ? lx_server[owner] : 0;
	lx_server[owner] = caller->p_endpoint;
	if (owner == LX_OWNER_PM)
		priv_user()->s_sig_mgr = caller->p_endpoint;
	return 0;
}

/*
 * The owner of class `owner` gives it back to the server it took it from,
 * if that one still lives (a test that stood in for VM or PM); otherwise
 * nobody serves the class.  0 or -EPERM (the caller is not the owner).
 */
int
linux_release_owner(struct proc *caller, int owner)
{
	struct proc *prev;
	endpoint_t back = lx_previous[owner];

	if (lx_server[owner] != caller->p_endpoint)
		return -EPERM;
	if (!back || proc_lookup(back, &prev) < 0)
		back = 0;
	lx_server[owner] = back;
	lx_previous[owner] = 0;
	if (owner == LX_OWNER_PM && back)
		priv_user()->s_sig_mgr = back;
	return 0;
}
