/*
 * SEF (see sef.h).  The init handshake is two SENDRECs to RS: RS_INIT asks
 * what kind of start this is, RS_INIT_DONE reports the init callback's
 * result.  Between the two the service is blocked waiting for RS, so RS
 * decides when it goes live.  Pings are NOTIFYs from RS, answered inside
 * sef_receive: a service stuck anywhere else stops answering, which is how
 * RS detects a hang.
 */
#include "sef.h"
#include <string.h>

static int init_default(int type, const struct msg_rs_init *info);
static void ping_default(endpoint_t rs);

static sef_cb_init_t cb_init_fresh = init_default;
static sef_cb_init_t cb_init_restart;
static sef_cb_init_t cb_init_lu;
static sef_cb_ping_reply_t cb_ping_reply = ping_default;
static endpoint_t rs_endpoint = NONE;

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

void sef_setcb_init_fresh(sef_cb_init_t cb) { cb_init_fresh = cb ? cb : init_default; }
void sef_setcb_init_restart(sef_cb_init_t cb) { cb_init_restart = cb; }
void sef_setcb_init_lu(sef_cb_init_t cb) { cb_init_lu = cb; }
void sef_setcb_ping_reply(sef_cb_ping_reply_t cb) { cb_ping_reply = cb ? cb : ping_default; }

endpoint_t
sef_rs(void)
{
	return rs_endpoint;
}

static int
run_init(int type, const struct msg_rs_init *info)
{
	sef_cb_init_t cb = cb_init_fresh;

	if (type == SEF_INIT_RESTART && cb_init_restart)
		cb = cb_init_restart;
	else if (type == SEF_INIT_LU && cb_init_lu)
		cb = cb_init_lu;
	return cb(type, info);
}

int
sef_startup(void)
{
	struct msg_rs_init info;
	message m;
	int r;

	if (sys_lookup("rs", &rs_endpoint) < 0) {
		rs_endpoint = NONE;
		memset(&info, 0, sizeof(info));
		info.old_endpt = NONE;
		return run_init(SEF_INIT_FRESH, &info);
	}
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT;
	if ((r = ipc_sendrec(rs_endpoint, &m)) < 0)
		panic("init request to RS failed: %d", r);
	info = m.m_rs_init;
	r = run_init(info.type, &info);
	memset(&m, 0, sizeof(m));
	m.m_type = RS_INIT_DONE;
	m.m_rs_init_done.result = r;
	ipc_sendrec(rs_endpoint, &m);
	if (r < 0)
		sys_exit(r);
	return 0;
}

int
sef_receive_status(endpoint_t src, message *m, uint64_t *status)
{
	int r;

	for (;;) {
		if ((r = ipc_receive(src, m, status)) < 0)
			return r;
		if (m->m_source == rs_endpoint && rs_endpoint != NONE && ipc_status_is_notify(*status)) {
			cb_ping_reply(rs_endpoint);
			continue;
		}
		return 0;
	}
}
