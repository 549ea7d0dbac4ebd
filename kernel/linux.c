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

/* Owner of each Linux number (LX_OWNER_NONE: not served). */
static const uint8_t lx_owner_of[LX_NR_CALLS] = {
#define LINUX_CALL(nr, name, owner) [nr] = LX_OWNER_##owner,
#include <ax/linux_calls.def>
#undef LINUX_CALL
};

/* The registered server of each class; 0 (no endpoint) until one registers. */
static endpoint_t lx_server[LX_NR_OWNERS];

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

/* The live server that owns class `owner`, or NULL. */
static struct proc *
lx_owner(int owner)
{
	struct proc *s;

	if (!lx_server[owner] || proc_lookup(lx_server[owner], &s) < 0)
		return NULL;
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
	lx_server[owner] = caller->p_endpoint;
	if (owner == LX_OWNER_PM)
		priv_user()->s_sig_mgr = caller->p_endpoint;
	return 0;
}
