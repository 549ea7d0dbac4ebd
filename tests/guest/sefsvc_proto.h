/*
 * The requests of sefsvc (sefsvc.c), the service the SEF and RS tests have
 * RS start under several labels (tests/guest/system.conf).  Each is a
 * SENDREC; the reply's m_type is 0 and its results are in m_u64.v[].
 */
#ifndef SEFSVC_PROTO_H
#define SEFSVC_PROTO_H

#include <libsys.h>
#include <string.h>
#include <ax/rs.h>

#define SVC_BASE 0x2500

enum svc_request {
	SVC_WHO = SVC_BASE, /* reply: v0 its endpoint */
	SVC_NOTIFY,         /* v0 a target: NOTIFY it; reply: v0 the result */
	SVC_CRASH,          /* fault (no reply) */
	SVC_HOLD,           /* until SVC_RELEASE, SVC_LU_STATE is not reached; reply: v0 0 */
	SVC_RELEASE,        /* reply: v0 0 */
	SVC_HEAP,           /* v0: its break v0 bytes above the page boundary where its
			       heap began (v0 / 4096 whole pages; brk); reply: v0 0 or -E */
};

#define SVC_LU_STATE SEF_LU_STATE_CUSTOM /* the one custom prepare state it accepts */

/* A request and its reply; v0 of the reply, or the IPC error. */
static inline int64_t
svc_call(endpoint_t svc, int request, uint64_t arg)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = request;
	m.m_u64.v[0] = arg;
	if ((r = ipc_sendrec(svc, &m)) < 0)
		return r;
	return m.m_type < 0 ? m.m_type : (int64_t)m.m_u64.v[0];
}

/* The endpoint RS gives `label` now (NONE: not running), and its clone. */
static inline endpoint_t
svc_lookup(const char *label, endpoint_t *clone, uint32_t *restarts)
{
	struct msg_rs_reply reply;

	if (rs_request(RS_LOOKUP, label, &reply) < 0)
		return NONE;
	if (clone)
		*clone = reply.clone;
	if (restarts)
		*restarts = reply.restarts;
	return reply.endpt;
}

/* Wait up to `ticks` for `label` to run under an endpoint other than `old`. */
static inline endpoint_t
svc_await_new(const char *label, endpoint_t old, int ticks)
{
	for (int i = 0; i < ticks; i++) {
		endpoint_t e = svc_lookup(label, NULL, NULL);

		if (e != NONE && e != old)
			return e;
		tickdelay(1);
	}
	return NONE;
}

#endif
