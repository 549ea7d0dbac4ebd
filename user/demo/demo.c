/*
 * demo: what `make run` shows until there is a shell.  It reads the hello
 * driver's greeting, makes hello crash, waits for RS to bring it back under
 * a new endpoint, reads the greeting again, then has RS live-update hello
 * to its second version, saying what happens at each step.  Then it idles
 * (Ctrl-A X leaves QEMU).
 */
#include <libsys.h>
#include <ax/hello.h>
#include <ax/rs.h>
#include <string.h>

static endpoint_t
hello_endpoint(uint32_t *restarts)
{
	struct msg_rs_reply reply;

	if (rs_request(RS_LOOKUP, "hello", &reply) < 0)
		return NONE;
	*restarts = reply.restarts;
	return reply.endpt;
}

static void
greet(endpoint_t h)
{
	char buf[96] = "";
	grant_id_t g = cpf_grant_direct(h, buf, sizeof(buf) - 1, GRANT_WRITE);
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = HELLO_READ;
	m.m_u64.v[0] = (uint64_t)g;
	m.m_u64.v[1] = sizeof(buf) - 1;
	if (ipc_sendrec(h, &m) == 0 && m.m_type > 0) {
		buf[m.m_type] = '\0';
		printf("demo: hello says: %s", buf);
	}
	cpf_revoke(g);
}

/* Wait until RS runs hello under an endpoint other than `old`. */
static endpoint_t
await_restart(endpoint_t old, uint32_t *restarts)
{
	endpoint_t e;

	for (int i = 0; i < 200; i++) {
		if ((e = hello_endpoint(restarts)) != NONE && e != old)
			return e;
		tickdelay(1);
	}
	return NONE;
}

int
main(int argc, char **argv)
{
	uint32_t restarts = 0;
	endpoint_t h, h2;
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	printf("demo: hello from user mode; the process table:\n");
	sys_diag_dump_procs();
	if ((h = await_restart(NONE, &restarts)) == NONE)
		panic("RS did not start hello");
	printf("demo: RS runs hello at endpoint %d\n", h);
	greet(h);
	printf("demo: telling hello to crash...\n");
	memset(&m, 0, sizeof(m));
	m.m_type = HELLO_CRASH;
	ipc_send(h, &m);
	if ((h2 = await_restart(h, &restarts)) == NONE)
		panic("hello did not come back");
	printf("demo: RS restarted hello at endpoint %d (restarts: %u); the old endpoint %d "
	       "now gives %d\n", h2, restarts, h, ipc_send(h, &m));
	greet(h2);
	m.m_type = HELLO_OPEN;
	ipc_sendrec(h2, &m);
	printf("demo: opened hello once; asking RS to live-update it to hello_v2...\n");
	printf("demo: the update returned %d\n", rs_update("hello", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0));
	greet(h2);
	printf("demo: same endpoint, new code, count kept.  Idle now; Ctrl-A X quits QEMU\n");
	for (;;)
		ipc_receive(ANY, &m, &status);
}
