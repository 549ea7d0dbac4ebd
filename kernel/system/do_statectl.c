/*
 * STATECTL: a process manages its own IPC state.  Reads:
 * m_sys_statectl.request.
 *
 *   CLEAR_IPC_REFS  release everyone blocked sending to me or receiving
 *                   from me, with EDEADSRCDST so that they retry; drop my
 *                   pending notifications to others and SENDA messages to me.
 *                   A service restarted *statefully* (same endpoint) does
 *                   this; a fresh one must not, or it would cancel requests
 *                   from clients that already found its new endpoint.
 */
#include "system.h"
#include "ipc.h"

int
do_statectl(struct proc *caller, message *m)
{
	switch (m->m_sys_statectl.request) {
	case STATECTL_CLEAR_IPC_REFS:
		ipc_clear_own_refs(caller);
		return 0;
	default:
		return -EINVAL;
	}
}
