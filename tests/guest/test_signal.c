/*
 * Signal managers and slot management: kernel signals (faults, sys_kill,
 * sys_exit) go to the process's signal manager, which collects them
 * (getksig), and either lets the process go on (endksig) or releases its
 * slot (clear).  The runner makes itself the manager of its subjects.
 */
#include "guest.h"
#include <ax/signal.h>

static int
manage(endpoint_t e)
{
	struct priv_desc d;

	memset(&d, 0, sizeof(d));
	d.call_mask = (1ull << (KCALL_GETINFO - KCALL_BASE)) | (1ull << (KCALL_EXIT - KCALL_BASE)) |
		      (1ull << (KCALL_DIAGCTL - KCALL_BASE)) |
		      (1ull << (KCALL_SETALARM - KCALL_BASE));
	d.sig_mgr = self_endpoint;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	return sys_privctl(e, PRIVCTL_SET, &d, 0, 0);
}

/* Wait for SYSTEM's notification, then collect one process's signals. */
static int
collect(endpoint_t *e, uint64_t *sigs)
{
	message m;
	uint64_t status;
	int r = ipc_receive(SYSTEM, &m, &status);

	if (r < 0)
		return r;
	if (!ipc_status_is_notify(status))
		return -EINVAL;
	return sys_getksig(e, sigs);
}

TEST(signal, manager, "a fault in a process reaches its signal manager, not the process")
{
	endpoint_t s = find("sigsub"), e = NONE;
	uint64_t sigs = 0, status;
	message m;

	EXPECT_EQ(await_receive(s), 0); /* frozen in its receive below */
	EXPECT_EQ(manage(s), 0);
	EXPECT_EQ(sys_kill(s, SIGTERM), 0);
	EXPECT_EQ(collect(&e, &sigs), 0);
	EXPECT_EQ(e, s);
	EXPECT_EQ(sigs, sig_bit(SIGTERM));
	EXPECT_EQ(sys_getksig(&e, &sigs), 0);
	EXPECT_EQ(e, NONE); /* nothing else pending */

	/* Frozen: a request is delivered but not served until endksig. */
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	EXPECT_EQ(ipc_sendnb(s, &m), 0);
	EXPECT_EQ(sys_setalarm(3, false, NULL), 0);
	EXPECT_EQ(ipc_receive(ANY, &m, &status), 0);
	EXPECT_EQ(m.m_source, CLOCK); /* no answer from s meanwhile */
	EXPECT_EQ(sys_endksig(s), 0);
	EXPECT_EQ(ipc_receive(s, &m, &status), 0); /* now it runs */
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ(sys_endksig(s), -EINVAL); /* nothing collected */

	/* A fault: the manager hears of it; the process is frozen, not gone. */
	EXPECT_EQ(peer_command(s, PEER_FAULT, 0, 0), 0);
	EXPECT_EQ(collect(&e, &sigs), 0);
	EXPECT_EQ(e, s);
	EXPECT_EQ(sigs, sig_bit(SIGSEGV));
	EXPECT(sys_lookup("sigsub", &e) == 0 && e == s, "the faulted process is already gone");
	EXPECT_EQ(sys_clear(s), 0); /* the manager decides: end it */
	EXPECT(sys_lookup("sigsub", &e) == -ENOENT, "cleared process still there");
	EXPECT_EQ(ipc_send(s, &m), -EDEADSRCDST);
	EXPECT_EQ(sys_kill(SYSTEM, SIGKILL), -EPERM);
	EXPECT_EQ(sys_kill(find("peer_a"), 0), -EINVAL);
	EXPECT_EQ(sys_kill(find("peer_a"), 65), -EINVAL);
}

TEST(signal, exit_clear,
     "sys_exit becomes a signal to the manager; the slot lives on until sys_clear")
{
	endpoint_t x = find("exiter"), e = NONE;
	uint64_t sigs = 0;

	EXPECT_EQ(manage(x), 0);
	EXPECT_EQ(peer_command(x, PEER_EXIT, 0, 0), 0);
	EXPECT_EQ(collect(&e, &sigs), 0);
	EXPECT_EQ(e, x);
	EXPECT_EQ(sigs, sig_bit(SIGABRT));
	EXPECT(sys_lookup("exiter", &e) == 0 && e == x, "exited process released before clear");
	EXPECT_EQ(sys_clear(find("peer_a")), -EPERM); /* not ours to clear */
	EXPECT_EQ(sys_clear(self_endpoint), -EPERM);
	EXPECT_EQ(sys_clear(SYSTEM), -EPERM);
	EXPECT_EQ(sys_clear(x), 0);
	EXPECT(sys_lookup("exiter", &e) == -ENOENT, "cleared process still there");
	EXPECT_EQ(sys_clear(x), -EDEADSRCDST);
}
