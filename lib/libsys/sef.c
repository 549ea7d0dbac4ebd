/*
 * SEF (see sef.h).  The init handshake is two SENDRECs to RS: RS_INIT asks
 * what kind of start this is, RS_INIT_DONE reports the init callback's
 * result.  Between the two the service is blocked waiting for RS, so RS
 * decides when it goes live.  Pings are NOTIFYs from RS, answered inside
 * sef_receive: a service stuck anywhere else stops answering, which is how
 * RS detects a hang.
 *
 * Live update: RS_LU_PREPARE records a prepare state; at the top of every
 * sef_receive, once the state is reached, SEF sends RS_LU_READY and stays
 * blocked in that SENDREC.  If the update succeeds this program never runs
 * again; if RS rolls back, the SENDREC returns and the service goes on.
 * Which states RS may ask for is declared once, with the init result.
 * What the save callback hands over (sef_lu_state_handover) goes with
 * RS_LU_READY, and RS gives it to the new version with its init.
 *
 * Signals: RS forwards a service's non-lethal signals as RS_SIGNAL messages
 * (the handler callback).  A signal manager (RS, or any service managing
 * processes) gets SYSTEM's notification; SEF collects the signals and
 * hands them to the manager callback one at a time.
 */
#include "sef.h"
#include <ax/signal.h>
#include <stdio.h>
#include <string.h>

static int init_default(int type, const struct msg_rs_init *info);
static void ping_default(endpoint_t rs);

static sef_cb_init_t cb_init_fresh = init_default;
static sef_cb_init_t cb_init_restart;
static sef_cb_init_t cb_init_lu;
static sef_cb_ping_reply_t cb_ping_reply = ping_default;
static sef_cb_lu_prepare_t cb_lu_prepare;
static bool isvalid_default(int state);
static void dump_default(int state);
static void signal_default(int signo);
static sef_cb_lu_state_isvalid_t cb_lu_state_isvalid = isvalid_default;
static sef_cb_lu_state_dump_t cb_lu_state_dump = dump_default;
static sef_cb_lu_state_save_t cb_lu_state_save;
static sef_cb_signal_handler_t cb_signal_handler = signal_default;
static sef_cb_signal_manager_t cb_signal_manager;
static sef_cb_before_receive_t cb_before_receive;
static endpoint_t rs_endpoint = NONE;
static int lu_state;                        /* the prepare state RS asked for, or NULL */
static grant_id_t lu_grant = GRANT_INVALID; /* the state handed over, for RS_LU_READY */
static uint64_t lu_grant_size;

static int
init_default(int type, const struct msg_rs_init *info)
{
	(void)type;
	(void)info;
	return 0;
}

static void
ping_default(endpoint_t rs)
{
	ipc_notify(rs);
}

void
sef_setcb_init_fresh(sef_cb_init_t cb)
{
	cb_init_fresh = cb ? cb : init_default;
}
void
sef_setcb_init_restart(sef_cb_init_t cb)
{
	cb_init_restart = cb;
}
void
sef_setcb_init_lu(sef_cb_init_t cb)
{
	cb_init_lu = cb;
}
void
sef_setcb_ping_reply(sef_cb_ping_reply_t cb)
{
	cb_ping_reply = cb ? cb : ping_default;
}
void
sef_setcb_lu_prepare(sef_cb_lu_prepare_t cb)
{
	cb_lu_prepare = cb;
}
void
sef_setcb_signal_manager(sef_cb_signal_manager_t cb)
{
	cb_signal_manager = cb;
}
void
sef_setcb_before_receive(sef_cb_before_receive_t cb)
{
	cb_before_receive = cb;
}

void
sef_setcb_lu_state_isvalid(sef_cb_lu_state_isvalid_t cb)
{
	cb_lu_state_isvalid = cb ? cb : isvalid_default;
}

void
sef_setcb_lu_state_dump(sef_cb_lu_state_dump_t cb)
{
	cb_lu_state_dump = cb ? cb : dump_default;
}

void
sef_setcb_lu_state_save(sef_cb_lu_state_save_t cb)
{
	cb_lu_state_save = cb;
}

void
sef_lu_state_handover(grant_id_t grant, uint64_t size)
{
	lu_grant = grant;
	lu_grant_size = size;
}

void
sef_setcb_signal_handler(sef_cb_signal_handler_t cb)
{
	cb_signal_handler = cb ? cb : signal_default;
}

/* The standard states every service reaches without help. */
static bool
isvalid_default(int state)
{
	return state == SEF_LU_STATE_WORK_FREE || state == SEF_LU_STATE_UNREACHABLE;
}

static void
dump_default(int state)
{
	printf("%s: endpoint %d, live-update state %d\n", self_name, self_endpoint, state);
}

/* SIGTERM is RS's "please exit" (down, refresh): there is nothing to save. */
static void
signal_default(int signo)
{
	if (signo == SIGTERM)
		sys_exit(0);
}

/* The prepare states the service accepts, as a mask for RS. */
static uint32_t
valid_lu_states(void)
{
	uint32_t mask = 0;

	for (int state = 1; state <= SEF_LU_STATE_MAX; state++)
		if (cb_lu_state_isvalid(state))
			mask |= 1u << state;
	return mask;
}

endpoint_t
sef_rs(void)
{
	return rs_endpoint;
}

static int
run_init(int type, const struct msg_rs_init *info)
{
	sef_cb_init_t cb = cb_init_fresh;

	/*
	 * A live update swapped our slot with the old version's: our endpoint
	 * is its endpoint now, not the one we started with (grants we make
	 * and copies we ask for name it).
	 */
	if (type == SEF_INIT_LU)
		sys_whoami(&self_endpoint, self_name, sizeof(self_name));
	if (type == SEF_INIT_RESTART && cb_init_restart)
		cb = cb_init_restart;
	else if (type == SEF_INIT_LU && cb_init_lu)
		cb = cb_init_lu;
	return cb(type, info);
}

/*
 * One step of the init handshake.  An RS that died while it held the
 * request releases it with EDEADSRCDST when it comes back in its slot (it
 * adopts this instance as still starting): ask it again, a bounded number
 * of times.
 */
static int
rs_handshake(message *m)
{
	message req = *m;
	int r;

	for (int tries = 0; (r = ipc_sendrec(rs_endpoint, m)) == -EDEADSRCDST && tries < 100;
	     tries++) {
		tickdelay(1);
		*m = req;
	}
	return r;
}

int
sef_startup(void)
{
	struct msg_rs_init info;
	message m;
	int r;

	if (sys_lookup("rs", &rs_endpoint) < 0 || rs_endpoint == self_endpoint) {
		rs_endpoint = NONE; /* no RS above us: we are RS, or there is none */
		memset(&info, 0, sizeof(info));
		info.old_endpt = NONE;
		return run_init(SEF_INIT_FRESH, &info);
	}
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	if ((r = rs_handshake(&m)) < 0)
		panic("init request to RS failed: %d", r);
	info = m.m_rs_init;
	r = (info.flags & SEF_INIT_FAIL) ? -EIO : run_init(info.type, &info);
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT_DONE;
	m.m_rs_init_done.result = r;
	m.m_rs_init_done.lu_states = valid_lu_states();
	rs_handshake(&m);
	if (r < 0)
		sys_exit(r);
	return 0;
}

static bool
lu_state_reached(int state)
{
	if (cb_lu_prepare)
		return cb_lu_prepare(state);    /* WORK_FREE too: the service may need more */
	return state == SEF_LU_STATE_WORK_FREE; /* we are at a receive: nothing in progress */
}

/* Prepared: tell RS and wait.  Returning means RS rolled the update back. */
static void
lu_ready(void)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = RS_LU_READY;
	m.m_rs_lu.state = lu_state;
	m.m_rs_lu.grant = lu_grant;
	m.m_rs_lu.size = lu_grant_size;
	ipc_sendrec(rs_endpoint, &m);
	lu_state = SEF_LU_STATE_NULL;
	sef_lu_state_handover(GRANT_INVALID, 0); /* rolled back: the service takes it back */
}

/* A message from RS that SEF handles itself; true if it was one. */
static bool
sef_from_rs(const message *m, uint64_t status)
{
	if (m->m_source != rs_endpoint || rs_endpoint == NONE)
		return false;
	if (ipc_status_is_notify(status)) {
		cb_ping_reply(rs_endpoint);
		return true;
	}
	switch (m->m_type) {
	case RS_LU_PREPARE:
		/* RS checked the state against our mask; a stale one is ignored. */
		if (m->m_rs_lu.state == SEF_LU_STATE_NULL || cb_lu_state_isvalid(m->m_rs_lu.state))
			lu_state = m->m_rs_lu.state;
		return true;
	case RS_SIGNAL:
		cb_signal_handler(m->m_rs_signal.signo);
		return true;
	case RS_DUMP_STATE:
		cb_lu_state_dump(lu_state);
		return true;
	default:
		return false;
	}
}

/*
 * SYSTEM notified a signal manager: collect each managed process's signals
 * and hand them over one by one, lowest number first, so a lethal signal
 * is seen before a SIGTERM that came with it.
 */
static void
manage_signals(void)
{
	endpoint_t e;
	uint64_t sigs;

	while (sys_getksig(&e, &sigs) == 0 && e != NONE) {
		int r = 0;

		for (int signo = 1; signo <= NSIG_AX && r != -EDEADEPT; signo++)
			if (sigs & sig_bit(signo))
				r = cb_signal_manager(e, signo);
		if (r != -EDEADEPT)
			sys_endksig(e);
	}
}

/* A message SEF handles itself; true if it was one. */
static bool
sef_consumes(const message *m, uint64_t status)
{
	if (m->m_source == SYSTEM && ipc_status_is_notify(status) && cb_signal_manager) {
		manage_signals();
		return true;
	}
	return sef_from_rs(m, status);
}

/*
 * A reply left with SEF (sef_reply) goes out with the next receive from
 * ANY, in the same system call (REPLYRECV).  Before anything else (the
 * live-update handshake, a receive from one endpoint, another reply) it is
 * sent on its own.
 */
static struct {
	endpoint_t dst; /* NONE: no reply waiting */
	message m;
} pending = { .dst = NONE };

/*
 * A client that died meanwhile needs no answer; one that did not wait for
 * it (it sent instead of SENDREC: ENOTREADY, or EPERM where only the reply
 * exception would let the answer through) chose so.  Neither is the
 * server's fault, and printing them would let any client fill the console.
 */
static void
reply_failed(endpoint_t dst, int r)
{
	if (r != -EDEADSRCDST && r != -ENOTREADY && r != -EPERM)
		printf("%s: reply to %d failed: %d\n", self_name, dst, r);
}

/* The reply sef_reply left goes now, not with the next receive (also for a server's own use). */
void
sef_flush_reply(void)
{
	int r;

	if (pending.dst != NONE && (r = ipc_sendnb(pending.dst, &pending.m)) < 0)
		reply_failed(pending.dst, r);
	pending.dst = NONE;
}

void
sef_reply(endpoint_t dst, const message *m)
{
	sef_flush_reply();
	pending.dst = dst;
	pending.m = *m;
}

/* One receive, carrying the pending reply.  From ANY, an error is the reply's. */
static int
receive(endpoint_t src, message *m, uint64_t *status)
{
	endpoint_t dst = pending.dst;
	int r;

	if (dst == NONE || src != ANY) {
		sef_flush_reply();
		return ipc_receive(src, m, status);
	}
	*m = pending.m;
	pending.dst = NONE;
	if ((r = ipc_replyrecv(dst, m, ANY, status)) == 0)
		return 0;
	reply_failed(dst, r);
	return ipc_receive(ANY, m, status);
}

int
sef_receive_status(endpoint_t src, message *m, uint64_t *status)
{
	int r;

	for (;;) {
		if (lu_state != SEF_LU_STATE_NULL && lu_state_reached(lu_state)) {
			sef_flush_reply();
			/* A failed save keeps this version: RS rolls back at its deadline. */
			if (!cb_lu_state_save || cb_lu_state_save(lu_state) == 0) {
				lu_ready();
			} else {
				lu_state = SEF_LU_STATE_NULL;
				sef_lu_state_handover(GRANT_INVALID, 0);
			}
		}
		if (cb_before_receive)
			cb_before_receive();
		if ((r = receive(src, m, status)) < 0)
			return r;
		if (!sef_consumes(m, *status))
			return 0;
	}
}
