/*
 * A fault in a user-mode process ends only that process: whoever was waiting
 * for it is released with EDEADSRCDST and everything else keeps working.
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
