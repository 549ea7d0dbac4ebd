/*
 * LINUXCTL: a server takes a class of Linux calls (docs/processes.md).
 * Reads: m_sys_linuxctl (request, owner).  SERVE makes the caller the
 * owner of class `owner` (PM, VM or VFS): the kernel sends it the calls
 * include/ax/linux_calls.def gives that class, and for PM it is also the
 * signal manager of user processes.  Who may is configuration: the call is
 * in PM's system.conf line.  Errors: EINVAL (request or class); EPERM (the
 * class is served by a live process the caller is not responsible for).
 * RELEASE: the owner gives the class back to the server it took it from
 * (if that one still lives; else nobody serves it).  EPERM if the caller
 * is not the owner.
 */
#include "system.h"
#include "linux.h"

int
do_linuxctl(struct proc *caller, message *m)
{
	struct msg_sys_linuxctl req = m->m_sys_linuxctl;

	if (req.request != LINUXCTL_SERVE && req.request != LINUXCTL_RELEASE)
		return -EINVAL;
	if (req.owner != LX_OWNER_PM && req.owner != LX_OWNER_VM && req.owner != LX_OWNER_VFS)
		return -EINVAL;
	if (req.request == LINUXCTL_RELEASE)
		return linux_release_owner(caller, req.owner);
	return linux_set_owner(caller, req.owner);
}
