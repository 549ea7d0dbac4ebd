/*
 * SEF, the system event framework: how a service started by RS takes part
 * in self-repair.  A service registers callbacks, calls sef_startup() (the
 * init handshake with RS), and receives with sef_receive(), which answers
 * RS's pings itself and returns only the service's own messages.
 *
 *   sef_setcb_init_fresh     first start, or a restart with a new endpoint
 *   sef_setcb_init_restart   stateful restart (same endpoint); default: fresh
 *   sef_setcb_init_lu        the new version in a live update; default: fresh
 *   sef_setcb_ping_reply     default: NOTIFY RS back
 *   sef_setcb_lu_prepare     is a live-update prepare state reached now?
 *                            Asked at every receive, for WORK_FREE too (a
 *                            service may need more than "between two
 *                            requests": VFS and PM wait until nothing of
 *                            theirs is left in the asynsend table, which
 *                            names their endpoint and would be lost in
 *                            the swap).  Default: only WORK_FREE, reached
 *                            at every receive.
 *   sef_setcb_lu_state_isvalid  may RS ask for this prepare state at all?
 *                            Asked for states 1..SEF_LU_STATE_MAX once, at
 *                            init; the answers go to RS with the init
 *                            result, and RS refuses an update to any other
 *                            state (EINVAL) before it starts anything.
 *                            Default: WORK_FREE and UNREACHABLE (the debug
 *                            state every service accepts).  A service with
 *                            its own states (SEF_LU_STATE_CUSTOM and up)
 *                            registers this and lu_prepare.
 *   sef_setcb_lu_state_save  the prepare state is reached and the swap comes
 *                            next: hand the state the new version needs over
 *                            (MINIX's state save; MFS writes its cache back
 *                            and its mount and references to DS).  An error
 *                            keeps the old version: SEF does not say it is
 *                            ready, and RS rolls back at the deadline.
 *                            Default: none.  State too large for DS
 *                            goes through a grant: the callback names it
 *                            with sef_lu_state_handover(grant, size), for
 *                            the grantee self_endpoint (the new version
 *                            will be there), and the new version's init
 *                            finds it in info->state_grant and copies from
 *                            info->old_endpt.  After a rollback the service
 *                            runs on and takes its grant back itself.
 *   sef_setcb_lu_state_dump  print the service's state (RS_DUMP_STATE);
 *                            gets the prepare state pending, or NULL.
 *                            Default: one line with the name and that state.
 *   sef_setcb_signal_handler a signal for this service (RS forwards the ones
 *                            that do not end it; `down` sends SIGTERM).
 *                            Default: exit on SIGTERM, ignore the others.
 *                            A handler that does not exit on SIGTERM is
 *                            killed when RS's patience runs out.
 *   sef_setcb_signal_manager the service is the signal manager of other
 *                            processes: SEF collects their kernel signals
 *                            (getksig) when SYSTEM notifies, calls this once
 *                            per signal, then lets the process go on
 *                            (endksig), unless the callback returned
 *                            -EDEADEPT (it ended or replaced the process;
 *                            the process's other signals are dropped).
 *                            Default: none; SYSTEM's notification is then
 *                            returned to the caller like any message.
 *   sef_setcb_before_receive called each time SEF is about to wait for the
 *                            next message, whatever the last one was (RS
 *                            writes the records it changed there).
 *
 * Callbacks return 0 or -E; a failing init ends the service (RS decides
 * what next).  A service started by the kernel rather than RS (no RS
 * running, or RS itself) gets its fresh init without a handshake.
 */
#ifndef LIBSYS_SEF_H
#define LIBSYS_SEF_H

#include <ax/rs.h>
#include "libsys.h"

typedef int (*sef_cb_init_t)(int type, const struct msg_rs_init *info);
typedef void (*sef_cb_ping_reply_t)(endpoint_t rs);
typedef bool (*sef_cb_lu_prepare_t)(int state);
typedef bool (*sef_cb_lu_state_isvalid_t)(int state);
typedef void (*sef_cb_lu_state_dump_t)(int state);
typedef int (*sef_cb_lu_state_save_t)(int state);
typedef void (*sef_cb_signal_handler_t)(int signo);
typedef int (*sef_cb_signal_manager_t)(endpoint_t target, int signo);
typedef void (*sef_cb_before_receive_t)(void);

void sef_setcb_init_fresh(sef_cb_init_t cb);
void sef_setcb_init_restart(sef_cb_init_t cb);
void sef_setcb_init_lu(sef_cb_init_t cb);
void sef_setcb_ping_reply(sef_cb_ping_reply_t cb);
void sef_setcb_lu_prepare(sef_cb_lu_prepare_t cb);
void sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_t cb);
void sef_setcb_lu_state_dump(sef_cb_lu_state_dump_t cb);
void sef_setcb_lu_state_save(sef_cb_lu_state_save_t cb);
void sef_lu_state_handover(grant_id_t grant, uint64_t size); /* from the save callback */
void sef_setcb_signal_handler(sef_cb_signal_handler_t cb);
void sef_setcb_signal_manager(sef_cb_signal_manager_t cb);
void sef_setcb_before_receive(sef_cb_before_receive_t cb);

int sef_startup(void);
/*
 * Answer dst, waiting in SENDREC, with m: sent with the next receive, in
 * one system call (REPLYRECV), or on its own before the live-update
 * handshake.  A failure other than a dead client is printed.  Until then
 * send dst nothing that could end its SENDREC (plain send, asynsend
 * without AMF_NOREPLY): it would arrive first and be taken for the reply.
 */
void sef_reply(endpoint_t dst, const message *m);
void sef_flush_reply(void); /* send a reply sef_reply left now, not with the next receive */
int sef_receive_status(endpoint_t src, message *m, uint64_t *status);
endpoint_t sef_rs(void); /* RS's endpoint, or NONE */

static inline int
sef_receive(endpoint_t src, message *m)
{
	uint64_t status;

	return sef_receive_status(src, m, &status);
}

#endif
