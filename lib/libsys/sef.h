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
 *                            Default: only SEF_LU_STATE_WORK_FREE, which is
 *                            reached at every receive.
 *
 * Callbacks return 0 or -E; a failing init ends the service (RS decides
 * what next).  A service started by the kernel rather than RS (no RS
 * running) gets its fresh init without a handshake.
 */
#ifndef LIBSYS_SEF_H
#define LIBSYS_SEF_H

#include <ax/rs.h>
#include "libsys.h"

typedef int (*sef_cb_init_t)(int type, const struct msg_rs_init *info);
typedef void (*sef_cb_ping_reply_t)(endpoint_t rs);
typedef bool (*sef_cb_lu_prepare_t)(int state);

void sef_setcb_init_fresh(sef_cb_init_t cb);
void sef_setcb_init_restart(sef_cb_init_t cb);
void sef_setcb_init_lu(sef_cb_init_t cb);
void sef_setcb_ping_reply(sef_cb_ping_reply_t cb);
void sef_setcb_lu_prepare(sef_cb_lu_prepare_t cb);

int sef_startup(void);
int sef_receive_status(endpoint_t src, message *m, uint64_t *status);
endpoint_t sef_rs(void);	/* RS's endpoint, or NONE */

static inline int
sef_receive(endpoint_t src, message *m)
{
	uint64_t status;

	return sef_receive_status(src, m, &status);
}

#endif
