/*
 * hello: the smallest driver, for demonstrating and testing self-repair.
 * It answers a read with a greeting that says how often it was opened, and
 * can be told to crash or to hang (include/ax/hello.h).  It is started by
 * RS and uses SEF; with the argument "crash" it crashes right after its
 * init, over and over (the crash-loop test).
 *
 * The open count is kept in DS under "<label>.opens" (a private entry, so
 * only this service sees it): a stateful restart recovers it, a fresh start
 * begins again at 0.  Like every stateful restart, it also clears its IPC
 * state, so callers blocked on the crashed instance retry.
 */
#include <libsys.h>
#include <sef.h>
#include <stdio.h>
#include <string.h>
#include <ax/hello.h>
#include <ax/ds.h>

#ifndef HELLO_GREETING
#define HELLO_GREETING	"Hello"	/* hello_v2.c, the update, says something else */
#endif

static uint32_t opens;
static bool crash_after_init;
static bool slow_init;		/* "slow-init": 5 ticks of init, for the restart race */
static char opens_key[DS_MAX_KEYLEN];

/*
 * A fresh start: nothing to recover, and no IPC state to clear.  A client
 * may already have sent a request to this new endpoint (it found it before
 * we were done here); clearing would fail that request (the seed's race).
 */
static int
init_fresh(int type, const struct msg_rs_init *info)
{
	(void)type;
	(void)info;
	opens = 0;
	if (slow_init)
		tickdelay(5);
	return 0;
}

/* After a live update: the count is in DS; callers queued on us are served. */
static int
init_lu(int type, const struct msg_rs_init *info)
{
	(void)type;
	(void)info;
	if (ds_retrieve_u32(opens_key, &opens) < 0)
		opens = 0;
	return 0;
}

/* After a stateful restart: the same, and callers of the dead one retry. */
static int
init_restart(int type, const struct msg_rs_init *info)
{
	init_lu(type, info);
	return sys_statectl(STATECTL_CLEAR_IPC_REFS);
}

static int
hello_read(message *m)
{
	char text[96];
	int n = snprintf(text, sizeof(text), HELLO_GREETING " from %s (endpoint %d): opened %u times\n",
			 self_name, self_endpoint, opens);
	size_t len = (size_t)n < m->m_u64.v[1] ? (size_t)n : m->m_u64.v[1];
	int r;

	/* The grant's owner is whoever asked: m_source, never a field. */
	r = sys_safecopyto(m->m_source, (grant_id_t)m->m_u64.v[0], 0, text, len);
	return r < 0 ? r : (int)len;
}

static void
hello_handle(message *m)
{
	int r;

	switch (m->m_type) {
	case HELLO_OPEN:
		m->m_u64.v[0] = ++opens;
		r = ds_publish_u32(opens_key, opens, DSF_OVERWRITE | DSF_PRIVATE);
		break;
	case HELLO_READ:
		r = hello_read(m);
		break;
	case HELLO_CRASH:
		*(volatile int *)0 = 1;
		return;
	case HELLO_HANG:
		for (;;)
			;
	default:
		r = -ENOSYS;
	}
	m->m_type = r;
	ipc_sendnb(m->m_source, m);
}

int
main(int argc, char **argv)
{
	message m;

	crash_after_init = argc > 1 && strcmp(argv[1], "crash") == 0;
	slow_init = argc > 1 && strcmp(argv[1], "slow-init") == 0;
	snprintf(opens_key, sizeof(opens_key), "%s.opens", self_name);
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_restart(init_restart);
	sef_setcb_init_lu(init_lu);
	sef_startup();
	if (crash_after_init)
		*(volatile int *)0 = 1;
	for (;;)
		if (sef_receive(ANY, &m) == 0)
			hello_handle(&m);
}
