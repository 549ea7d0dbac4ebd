/*
 * hello: the smallest driver, for demonstrating and testing self-repair.
 * It answers a read with a greeting that says how often it was opened, and
 * can be told to crash or to hang (include/ax/hello.h).  It is started by
 * RS and uses SEF; with the argument "crash" it crashes right after its
 * init, over and over (the crash-loop test).
 *
 * The open count does not yet survive a restart: that needs DS (issue 4).
 */
#include <libsys.h>
#include <sef.h>
#include <stdio.h>
#include <string.h>
#include <ax/hello.h>

static uint64_t opens;
static bool crash_after_init;

static int
hello_read(message *m)
{
	char text[96];
	int n = snprintf(text, sizeof(text), "Hello from %s (endpoint %d): opened %llu times\n",
			 self_name, self_endpoint, (unsigned long long)opens);
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
		r = 0;
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
	sef_startup();
	if (crash_after_init)
		*(volatile int *)0 = 1;
	for (;;)
		if (sef_receive(ANY, &m) == 0)
			hello_handle(&m);
}
