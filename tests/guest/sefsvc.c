/*
 * sefsvc: a service for the SEF and RS tests (test_sef.c, test_rs_more.c).
 * RS starts it under several labels; it answers sefsvc_proto.h and
 * registers the SEF callbacks the tests watch, leaving traces in DS (keys
 * carry the endpoint, so a trace from an earlier instance never counts):
 *
 *   signal handler   SIGTERM: publish "<label>.term.<endpoint>" = the
 *                    signal, then exit; with the argument "linger" it
 *                    publishes and stays (RS's patience is then tested)
 *   state dump       publish "<label>.dump.<endpoint>" = dumps so far
 *   LU states        the standard ones and SVC_LU_STATE, which it reaches
 *                    at any receive unless held (SVC_HOLD); held, it
 *                    publishes "<label>.held.<endpoint>" = 1 when an
 *                    update waits for that state
 *
 * It answers with sef_reply, so its replies go out with its next receive.
 */
#include <libsys.h>
#include <sef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <ax/ds.h>
#include <ax/signal.h>
#include "sefsvc_proto.h"

static bool linger;
static bool held; /* SVC_HOLD: SVC_LU_STATE is not reached */
static uint32_t dumps;

static void
trace(const char *what, uint32_t value)
{
	char key[DS_MAX_KEYLEN];

	snprintf(key, sizeof(key), "%s.%s.%d", self_name, what, self_endpoint);
	ds_publish_u32(key, value, DSF_OVERWRITE);
}

static void
on_signal(int signo)
{
	trace("term", (uint32_t)signo);
	if (signo == SIGTERM && !linger)
		sys_exit(0);
}

static void
on_dump(int state)
{
	printf("%s: endpoint %d, prepare state %d, %u dumps before\n", self_name, self_endpoint,
	       state, dumps);
	trace("dump", ++dumps);
}

static bool
state_isvalid(int state)
{
	return state == SEF_LU_STATE_WORK_FREE || state == SEF_LU_STATE_UNREACHABLE ||
	       state == SVC_LU_STATE;
}

static bool
state_reached(int state)
{
	if (state == SVC_LU_STATE && held)
		trace("held", 1); /* what sef.reply_before_update waits for */
	return state == SEF_LU_STATE_WORK_FREE || (state == SVC_LU_STATE && !held);
}

static void
handle(message *m)
{
	switch (m->m_type) {
	case SVC_WHO:
		m->m_u64.v[0] = (uint64_t)self_endpoint;
		break;
	case SVC_NOTIFY:
		m->m_u64.v[0] = (uint64_t)(int64_t)ipc_notify((endpoint_t)m->m_u64.v[0]);
		break;
	case SVC_CRASH:
		*(volatile int *)0 = 1;
		return;
	case SVC_HEAP: { /* the break v0 bytes above the heap's first page: brk's answer */
		static uintptr_t base;

		if (!base)
			base = ((uintptr_t)sbrk(0) + 4095) & ~(uintptr_t)4095;
		m->m_u64.v[0] = (uint64_t)(int64_t)brk((char *)(base + m->m_u64.v[0]));
		break;
	}
	case SVC_HOLD:
	case SVC_RELEASE:
		held = m->m_type == SVC_HOLD;
		m->m_u64.v[0] = 0;
		break;
	default:
		return; /* notifications and strangers' messages: no answer */
	}
	m->m_type = 0;
	sef_reply(m->m_source, m);
}

int
main(int argc, char **argv)
{
	message m;
	uint64_t status;

	linger = argc > 1 && strcmp(argv[1], "linger") == 0;
	sef_setcb_signal_handler(on_signal);
	sef_setcb_lu_state_dump(on_dump);
	sef_setcb_lu_state_isvalid(state_isvalid);
	sef_setcb_lu_prepare(state_reached);
	sef_startup();
	for (;;)
		if (sef_receive_status(ANY, &m, &status) == 0 && !ipc_status_is_notify(status))
			handle(&m);
}
