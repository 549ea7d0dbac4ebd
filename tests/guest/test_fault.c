/*
 * A fault or a panic in a user-mode process ends only that process: whoever
 * was waiting for it is released with EDEADSRCDST and everything else keeps
 * working.
 */
#include "guest.h"

TEST(fault, user_process, "a process that faults is killed alone; its callers get EDEADSRCDST")
{
	endpoint_t v = find("victim"), a = find("peer_a");
	message m;

	/* The victim faults instead of replying to our SENDREC. */
	EXPECT_EQ(peer_call(v, PEER_FAULT, 0, 0, &m), -EDEADSRCDST);
	EXPECT(sys_lookup("victim", &v) == -ENOENT, "the faulted process is still there");
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(ipc_send(v, &m), -EDEADSRCDST);
	EXPECT_EQ(peer_call(a, PEER_ECHO, 0, 0, &m), 0);
	EXPECT_EQ(m.m_source, a);
}

TEST(panic, process, "panic() in a process prints who and why with a stack trace, then ends it")
{
	endpoint_t p = find("panicky"), a = find("peer_a");
	message m;

	/* The console shows the line; tools/axrun.py checks its stack trace resolves. */
	EXPECT_EQ(peer_call(p, PEER_PANIC, 0, 0, &m), -EDEADSRCDST);
	EXPECT(sys_lookup("panicky", &p) == -ENOENT, "the panicked process is still there");
	EXPECT_EQ(peer_call(a, PEER_ECHO, 0, 0, &m), 0);
}
