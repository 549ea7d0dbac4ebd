/*
 * Slot swapping and IPC-state control: sys_update moves a program to another
 * endpoint with everything that belongs to the endpoint (queued messages
 * among it); statectl lets a service release callers blocked on it.
 */
#include "guest.h"

TEST(update, swap, "after a swap, messages to the endpoint (queued ones too) reach the new program")
{
	endpoint_t o = find("upd_old"), n = find("upd_new"), b = find("peer_b");
	char name[PROC_NAME_LEN];
	grant_id_t gid;
	message m;
	uint64_t status;

	/* n grants us its name: its grant table lives in its memory. */
	EXPECT_EQ(peer_call(n, PEER_GRANT, (uint64_t)self_endpoint, 0, &m), 0);
	gid = (grant_id_t)m.m_u64.v[0];
	EXPECT(gid >= 0, "grant failed: %d", gid);

	/* n waits in SENDREC for our reply; o sleeps; b queues a message for o. */
	EXPECT_EQ(peer_command(n, PEER_SENDREC_TO, (uint64_t)self_endpoint, 0), 0);
	EXPECT_EQ(ipc_receive(n, &m, &status), 0);
	EXPECT_EQ(m.m_type, PEER_ECHO);
	EXPECT_EQ(peer_command(o, PEER_SLEEP, 100000, 0), 0);
	EXPECT_EQ(peer_command(b, PEER_SEND_TO, (uint64_t)o, PEER_NOP), 0);
	EXPECT_EQ(await_ipc(o, PROC_IPC_RECEIVING, CLOCK), 0); /* asleep */
	EXPECT_EQ(await_ipc(b, PROC_IPC_SENDING, o), 0);       /* queued */

	EXPECT_EQ(sys_update(o, n, 0), 0);

	/* Our reply to o's endpoint reaches the program that was n. */
	memset(&m, 0, sizeof(m));
	m.m_u64.v[1] = 0x77;
	EXPECT_EQ(ipc_send(o, &m), 0);
	EXPECT_EQ(ipc_receive(o, &m, &status), 0); /* its report of the SENDREC */
	EXPECT_EQ((int64_t)m.m_u64.v[0], 0);
	EXPECT_EQ(m.m_u64.v[1], 0x77);
	EXPECT_EQ(peer_call(o, PEER_WHO, 0, 0, &m), 0);
	EXPECT(strcmp(m.m_text.text, "upd_new") == 0, "o runs %s", m.m_text.text);
	EXPECT_EQ(peer_call(o, PEER_COUNT, 0, 0, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], 1); /* b's message, queued before the swap */

	/* The grant table moved with the program: n's grant now belongs to o. */
	memset(name, 0, sizeof(name));
	EXPECT_EQ(sys_safecopyfrom(o, gid, 0, name, sizeof(name)), 0);
	EXPECT(strcmp(name, "upd_new") == 0, "copied \"%s\"", name);
	EXPECT_EQ(sys_safecopyfrom(n, gid, 0, name, sizeof(name)), -EPERM);

	/* Refusals: the same process, the caller, a process that is sending. */
	EXPECT_EQ(sys_update(o, o, 0), -EINVAL);
	EXPECT_EQ(sys_update(o, self_endpoint, 0), -EPERM);
	EXPECT_EQ(sys_update(o, SYSTEM, 0), -EPERM);
	EXPECT_EQ(peer_command(b, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(await_ipc(b, PROC_IPC_SENDING, self_endpoint), 0);
	EXPECT_EQ(sys_update(b, n, 0), -EBUSY);
	EXPECT_EQ(ipc_receive(b, &m, &status), 0);
	EXPECT_EQ(sys_update(o, n, 0x40), -EINVAL);
}

TEST(statectl, unblock,
     "statectl(CLEAR_IPC_REFS) releases callers blocked on the service with EDEADSRCDST")
{
	endpoint_t svc = find("svc"), b = find("peer_b");
	message m;
	uint64_t status;
	int64_t svc_result = 1, b_result = 1;

	/* svc sleeps, then clears; meanwhile b blocks in SENDREC to svc. */
	EXPECT_EQ(peer_command(svc, PEER_CLEAR_AFTER, 3, 0), 0);
	EXPECT_EQ(peer_command(b, PEER_SENDREC_TO, (uint64_t)svc, 0), 0);
	for (int i = 0; i < 2; i++) { /* ANY: a receive from svc itself would be released too */
		EXPECT_EQ(ipc_receive(ANY, &m, &status), 0);
		if (m.m_source == svc)
			svc_result = (int64_t)m.m_u64.v[0];
		else if (m.m_source == b)
			b_result = (int64_t)m.m_u64.v[0];
	}
	EXPECT_EQ(svc_result, 0);
	EXPECT_EQ(b_result, -EDEADSRCDST);
	EXPECT_EQ(peer_call(svc, PEER_ECHO, 0, 0, &m), 0); /* both carry on */
	EXPECT_EQ(peer_call(b, PEER_SENDREC_TO, (uint64_t)svc, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], 0);
	EXPECT_EQ(sys_statectl(99), -EINVAL);
}
