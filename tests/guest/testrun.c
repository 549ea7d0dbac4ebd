/*
 * testrun: the in-guest test runner, booted in test mode.  It runs every
 * TEST in the guest_tests section, prints PASS/FAIL lines, and powers the
 * machine off with status 0 if all passed, 1 otherwise (the harness reads
 * the status through isa-debug-exit).
 *
 * Tests share this one process today, so they must leave the peers as they
 * found them; once RS can start processes (issue 4) each test gets its own.
 */
#include "guest.h"

char test_failure[256];

extern const struct guest_test *const __start_guest_tests[], *const __stop_guest_tests[];

endpoint_t
find(const char *name)
{
	endpoint_t e = NONE;

	if (sys_lookup(name, &e) < 0)
		panic("no process named %s", name);
	return e;
}

static void
command_message(message *m, int cmd, uint64_t a0, uint64_t a1)
{
	memset(m, 0, sizeof(*m));
	m->m_type = cmd;
	m->m_u64.v[0] = a0;
	m->m_u64.v[1] = a1;
}

/* Send a command that gets no reply. */
int
peer_command(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1)
{
	message m;

	command_message(&m, cmd, a0, a1);
	return ipc_send(peer, &m);
}

/* Send a command and wait for its reply. */
int
peer_call(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1, message *reply)
{
	int r;

	command_message(reply, cmd, a0, a1);
	if ((r = ipc_sendrec(peer, reply)) < 0)
		return r;
	return reply->m_type;
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	(void)argc;
	(void)argv;
	printf("testrun: %d tests\n", (int)(__stop_guest_tests - __start_guest_tests));
	for (const struct guest_test *const *tp = __start_guest_tests; tp < __stop_guest_tests; tp++) {
		const struct guest_test *t = *tp;

		test_failure[0] = '\0';
		printf("testrun: %s: %s\n", t->name, t->what);
		t->fn();
		if (test_failure[0]) {
			printf("FAIL %s: %s\n", t->name, test_failure);
			failed++;
		} else {
			printf("PASS %s\n", t->name);
			passed++;
		}
	}
	printf("testrun: %d passed, %d failed\n", passed, failed);
	sys_abort(ABORT_POWEROFF, failed ? 1 : 0);
	return 1;
}
