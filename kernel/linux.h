/*
 * The Linux system-call ABI of user processes (kernel/linux.c,
 * docs/processes.md): the trap, the reply that resumes the caller, and the
 * owners' registration.
 */
#ifndef KERNEL_LINUX_H
#define KERNEL_LINUX_H

#include "proc.h"
#include "priv.h"
#include <ax/linux.h>

int linux_syscall(struct proc *p, struct proc **handoff);
int linux_reply(struct proc *from, struct proc *to, const message *m);
int linux_unknown(struct proc *p, uint64_t nr);
int linux_set_owner(struct proc *caller, int owner);
int linux_release_owner(struct proc *caller, int owner);
uint32_t linux_unknown_count(void);
bool linux_is_owner(const struct proc *p, int owner);    /* the registered server of a class */
bool linux_vm_request(struct proc *caller);              /* system.c, after an EFAULT */
int linux_vm_answer(struct proc *from, struct proc *to); /* VM's reply to it */
bool linux_pagefault(struct proc *p, uint64_t addr, uint64_t error, uint64_t ip,
		     struct proc **handoff);

/*
 * The result a server's reply m gives a Linux call (*result), if m has a
 * reply's form: LX_REPLY with its result, or an m_type of 0 or -errno.
 */
static inline bool
linux_reply_result(const message *m, int64_t *result)
{
	if (m->m_type == LX_REPLY)
		*result = m->m_lx_reply.result;
	else if (m->m_type <= 0 && m->m_type >= -LX_ERRNO_MAX)
		*result = m->m_type;
	else
		return false;
	return true;
}

/* Signals of user processes (linux_signal.c). */
int linux_sigctl(struct proc *caller, message *m);
int64_t linux_call_result(struct proc *p, int64_t result);
void linux_call_ended(struct proc *p);
int linux_sigreturn(struct proc *p, struct proc *pm, struct proc **handoff);

/* Is p in the shared user slot (Linux ABI, no native IPC)? */
static inline bool
linux_is_user(const struct proc *p)
{
	return p->p_priv && !(p->p_priv->s_flags & PRIV_SYS_PROC);
}

#endif
