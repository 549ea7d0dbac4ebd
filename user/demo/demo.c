/*
 * demo: what `make run` shows until there is a shell.  It reads the hello
 * driver's greeting, makes hello crash, waits for RS to bring it back under
 * a new endpoint, reads the greeting again, has RS live-update hello to
 * its second version, and finally kills RS itself and then DS, which RS's
 * replica brings back, saying what happens at each step.  Then it idles (Ctrl-A X leaves
 * QEMU).
 */
#include <libsys.h>
#include <sef.h>
#include <ax/hello.h>
#include <cdev_client.h>
#include <ax/rs.h>
#include <ax/signal.h>
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

/* Print hello's greeting; a restarted hello wants to be opened again. */
static void
greet(endpoint_t h)
{
	char buf[96] = "";
	int64_t r = cdev_read(h, 0, 0, buf, sizeof(buf) - 1, 0);

	if (r == -ERESTART && cdev_open(h, 0, CDEV_R_BIT) == 0)
		r = cdev_read(h, 0, 0, buf, sizeof(buf) - 1, 0);
	if (r > 0) {
		buf[r] = '\0';
		printf("demo: hello says: %s", buf);
	}
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
	endpoint_t h, h2, rs, ds;
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	sef_startup(); /* RS started it (user/demo/system.conf) */
	printf("demo: hello from user mode; the process table:\n");
	sys_diag_dump_procs();
	if ((h = await_restart(NONE, &restarts)) == NONE)
		panic("RS did not start hello");
	printf("demo: RS runs hello at endpoint %d\n", h);
	cdev_open(h, 0, CDEV_R_BIT);
	greet(h);
	printf("demo: telling hello to crash (an ioctl it never answers)...\n");
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.request = HELLO_IOC_CRASH;
	m.m_cdev.grant = GRANT_INVALID;
	ipc_send(h, &m);
	if ((h2 = await_restart(h, &restarts)) == NONE)
		panic("hello did not come back");
	printf("demo: RS restarted hello at endpoint %d (restarts: %u); the old endpoint %d "
	       "now gives %d\n",
	       h2, restarts, h, ipc_send(h, &m));
	greet(h2);
	cdev_open(h2, 0, CDEV_R_BIT);
	printf("demo: opened hello once; asking RS to live-update it to hello_v2...\n");
	printf("demo: the update returned %d\n",
	       rs_update("hello", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0));
	greet(h2);
	printf("demo: same endpoint, new code, count kept.  Now RS itself crashes...\n");
	sys_lookup("rs", &rs);
	sys_kill(rs, SIGSEGV);
	while (hello_endpoint(&restarts) == NONE) /* our request died with RS: ask again */
		tickdelay(1);
	printf("demo: RS is back at endpoint %d and still runs hello at endpoint %d "
	       "(restarts: %u)\n",
	       rs, hello_endpoint(&restarts), restarts);
	greet(h2);
	printf("demo: and now the data store, DS, crashes...\n");
	sys_lookup("ds", &ds);
	sys_kill(ds, SIGSEGV);
	while (ds_retrieve_label("hello", &h) < 0) /* until RS has published it again */
		tickdelay(1);
	printf("demo: DS is back at endpoint %d, and it knows hello at endpoint %d again\n", ds, h);
	printf("demo: idle now; Ctrl-A X quits QEMU\n");
	for (;;)
		ipc_receive(ANY, &m, &status);
}
