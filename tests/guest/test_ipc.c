/*
 * IPC scenarios: request/reply, receive from anyone, notification
 * coalescing, deadlock detection, stale endpoints, IPC masks, SENDA, and bad
 * message pointers.  The peers run at lower priority than the runner, so a
 * command sent to a peer runs only once the runner blocks.
 */
#include "guest.h"
#include <ax/signal.h>

TEST(ipc, sendrec, "a SENDREC reaches another address space and the reply comes back whole")
{
	endpoint_t a = find("peer_a"), b = find("peer_b");
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	for (int i = 0; i < 7; i++)
		m.m_u64.v[i] = 0x1111111111111111ull * (i + 1);
	EXPECT_EQ(ipc_sendrec(a, &m), 0);
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ(m.m_source, a);
	for (int i = 0; i < 7; i++)
		EXPECT(m.m_u64.v[i] == 0x1111111111111111ull * (i + 1), "payload word %d changed",
		       i);

	/* A peer's own SENDREC to a third process, relayed back to us. */
	EXPECT_EQ(peer_call(a, PEER_SENDREC_TO, (uint64_t)b, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], 0);
	EXPECT_EQ(m.m_u64.v[1], 0x5eed);
	EXPECT_EQ((endpoint_t)m.m_u64.v[2], b);
}

TEST(ipc, receive_any, "RECEIVE(ANY) takes messages from any sender; RECEIVE(e) only from e")
{
	endpoint_t a = find("peer_a"), b = find("peer_b");
	message m;
	uint64_t status;
	bool from_a = false, from_b = false;

	EXPECT_EQ(peer_command(a, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(peer_command(b, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(ipc_receive(ANY, &m, &status), 0);
		EXPECT_EQ(m.m_type, PEER_DONE);
		EXPECT_EQ(IPC_STATUS_CALL(status), IPC_SEND - IPC_BASE);
		from_a |= m.m_source == a;
		from_b |= m.m_source == b;
	}
	EXPECT(from_a && from_b, "missing a sender (a %d, b %d)", from_a, from_b);

	/* Both queued: a specific receive picks b although a sent first. */
	EXPECT_EQ(peer_command(a, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(peer_command(b, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(await_ipc(a, PROC_IPC_SENDING, self_endpoint), 0);
	EXPECT_EQ(await_ipc(b, PROC_IPC_SENDING, self_endpoint), 0);
	EXPECT_EQ(ipc_receive(b, &m, &status), 0);
	EXPECT_EQ(m.m_source, b);
	EXPECT_EQ(ipc_receive(ANY, &m, &status), 0);
	EXPECT_EQ(m.m_source, a);
}

TEST(ipc, notify_coalesce, "notifications from one sender coalesce into one message")
{
	endpoint_t a = find("peer_a");
	message m;
	uint64_t status;

	/* While we wait, a notifies us three times, then blocks sending DONE. */
	EXPECT_EQ(peer_command(a, PEER_NOTIFY, (uint64_t)self_endpoint, 3), 0);
	EXPECT_EQ(await_ipc(a, PROC_IPC_SENDING, self_endpoint), 0);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "first message from a is not a notification");
	EXPECT_EQ(m.m_type, NOTIFY_MESSAGE);
	EXPECT_EQ(m.m_source, a);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT(!ipc_status_is_notify(status), "a second notification was not coalesced");
	EXPECT_EQ(m.m_type, PEER_DONE);

	/* A notification to a process already receiving is delivered at once. */
	EXPECT_EQ(peer_command(a, PEER_NOTIFY, (uint64_t)self_endpoint, 1), 0);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "direct notification lost");
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT_EQ(m.m_type, PEER_DONE);
}

TEST(ipc, deadlock, "a send that would close a cycle of blocked senders fails with ELOCKED")
{
	endpoint_t a = find("peer_a"), b = find("peer_b");
	message m;
	uint64_t status;

	/* Two: a blocks sending to us; our send to a would close the cycle. */
	EXPECT_EQ(peer_command(a, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(await_ipc(a, PROC_IPC_SENDING, self_endpoint), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_NOP;
	EXPECT_EQ(ipc_send(a, &m), -ELOCKED);
	EXPECT_EQ(ipc_sendrec(a, &m), -ELOCKED);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0); /* the normal direction works */
	EXPECT_EQ(m.m_type, PEER_DONE);

	/* Three: b blocks sending to us, a blocks sending to b. */
	EXPECT_EQ(peer_command(b, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	EXPECT_EQ(peer_command(a, PEER_SEND_TO, (uint64_t)b, PEER_NOP), 0);
	EXPECT_EQ(await_ipc(b, PROC_IPC_SENDING, self_endpoint), 0);
	EXPECT_EQ(await_ipc(a, PROC_IPC_SENDING, b), 0);
	m.m_type = PEER_NOP;
	EXPECT_EQ(ipc_send(a, &m), -ELOCKED);
	EXPECT_EQ(ipc_receive(b, &m, &status), 0); /* unwinds the chain */
	EXPECT_EQ(m.m_type, PEER_DONE);
	EXPECT_EQ(peer_call(a, PEER_ECHO, 0, 0, &m), 0);

	/* One: blocking on oneself.  A notification to oneself still arrives. */
	m.m_type = PEER_NOP;
	EXPECT_EQ(ipc_send(self_endpoint, &m), -ELOCKED);
	EXPECT_EQ(ipc_sendrec(self_endpoint, &m), -ELOCKED);
	EXPECT_EQ(ipc_receive(self_endpoint, &m, &status), -ELOCKED);
	EXPECT_EQ(ipc_notify(self_endpoint), 0);
	EXPECT_EQ(ipc_receive(self_endpoint, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "not the notification to myself");
}

TEST(ipc, dead_endpoint, "messages to a dead or recycled endpoint fail with EDEADSRCDST")
{
	endpoint_t d = find("doomed"), a = find("peer_a");
	endpoint_t stale = endpoint_make(endpoint_slot(a), endpoint_gen(a) + 1);
	message m;
	uint64_t status;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_NOP;
	EXPECT_EQ(ipc_send(stale, &m), -EDEADSRCDST);
	EXPECT_EQ(ipc_notify(stale), -EDEADSRCDST);
	EXPECT_EQ(ipc_receive(stale, &m, &status), -EDEADSRCDST);
	EXPECT_EQ(ipc_send(endpoint_make(NR_SLOTS + 3, 0), &m), -EINVAL);
	EXPECT_EQ(ipc_send(0, &m), -EINVAL);
	EXPECT_EQ(ipc_send(-5, &m), -EINVAL);

	EXPECT_EQ(peer_command(d, PEER_EXIT, 0, 0), 0);
	EXPECT_EQ(await_gone(d), 0);
	EXPECT_EQ(ipc_send(d, &m), -EDEADSRCDST);
	EXPECT_EQ(ipc_sendrec(d, &m), -EDEADSRCDST);
	EXPECT(sys_lookup("doomed", &d) == -ENOENT, "the dead process can still be found");
	EXPECT_EQ(peer_call(a, PEER_ECHO, 0, 0, &m), 0);
}

TEST(ipc, mask_denied, "a process may send only to the targets in its IPC mask")
{
	endpoint_t r = find("restricted"), a = find("peer_a");
	message m;
	uint64_t before;

	EXPECT_EQ(peer_call(a, PEER_COUNT, 0, 0, &m), 0);
	before = m.m_u64.v[0];
	EXPECT_EQ(peer_call(r, PEER_PROBE, 0, 0, &m), 0); /* testrun is in its mask */
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);         /* SEND to peer_a */
	EXPECT_EQ((int64_t)m.m_u64.v[1], -EPERM);         /* NOTIFY peer_a */
	EXPECT_EQ(peer_call(a, PEER_COUNT, 0, 0, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], before); /* nothing arrived */
}

TEST(ipc, senda, "SENDA delivers now or when the receiver is ready, and reports each entry")
{
	static asynmsg_t table[3] __attribute__((aligned(16)));
	endpoint_t a = find("peer_a"), b = find("peer_b");
	message m;
	uint64_t status, before;

	EXPECT_EQ(peer_call(b, PEER_COUNT, 0, 0, &m), 0);
	before = m.m_u64.v[0];
	/* a is asleep on its alarm, so its entry must wait; b is receiving. */
	EXPECT_EQ(peer_command(a, PEER_SLEEP, 3, 0), 0);
	EXPECT_EQ(await_ipc(a, PROC_IPC_RECEIVING, CLOCK), 0);
	EXPECT_EQ(await_receive(b), 0);
	memset(table, 0, sizeof(table));
	table[0] = (asynmsg_t){ .flags = AMF_VALID | AMF_NOTIFY, .dst = a };
	table[0].msg.m_type = PEER_ECHO;
	table[0].msg.m_u64.v[0] = 0xa5a5;
	table[1] = (asynmsg_t){ .flags = AMF_VALID, .dst = b };
	table[1].msg.m_type = PEER_NOP;
	table[2] = (asynmsg_t){ .flags = AMF_VALID,
				.dst = endpoint_make(endpoint_slot(a), endpoint_gen(a) + 1) };
	EXPECT_EQ(ipc_senda(table, 3), 0);
	EXPECT(table[1].flags & AMF_DONE, "entry to a receiving process not delivered at once");
	EXPECT_EQ(table[1].result, 0);
	EXPECT(table[2].flags & AMF_DONE, "entry to a stale endpoint not finished");
	EXPECT_EQ(table[2].result, -EDEADSRCDST);
	EXPECT(!(table[0].flags & AMF_DONE), "entry to a sleeping process finished early");

	/* a wakes, takes the pending entry and echoes it back to us. */
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT_EQ(m.m_u64.v[0], 0xa5a5);
	EXPECT(table[0].flags & AMF_DONE, "delivered entry not marked done");
	EXPECT_EQ(table[0].result, 0);
	EXPECT_EQ(ipc_receive(ASYNCM, &m, &status), 0); /* AMF_NOTIFY */
	EXPECT(ipc_status_is_notify(status), "no completion notification");
	EXPECT_EQ(peer_call(b, PEER_COUNT, 0, 0, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], before + 1);

	EXPECT_EQ(ipc_senda(table, SENDA_MAX + 1), -EDOM);
	EXPECT_EQ(ipc_senda((asynmsg_t *)((char *)table + 8), 1), -EINVAL);
	EXPECT_EQ(ipc_senda((asynmsg_t *)0x10, 1), -EFAULT);
	EXPECT_EQ(ipc_senda(NULL, 0), 0); /* unregisters the table */
}

TEST(ipc, senda_dead_receiver,
     "a SENDA entry pending for a process fails with EDEADSRCDST when it dies, not when another "
     "does")
{
	static asynmsg_t table[1] __attribute__((aligned(16)));
	endpoint_t x = start_peer("senda_dst", -1), y = start_peer("senda_other", -1);

	EXPECT(x != NONE && y != NONE, "no peers");
	/* x sleeps on its alarm, so the entry to it must wait (the kernel sets our bit in x's). */
	EXPECT_EQ(peer_command(x, PEER_SLEEP, 1000, 0), 0);
	EXPECT_EQ(await_ipc(x, PROC_IPC_RECEIVING, CLOCK), 0);
	memset(table, 0, sizeof(table));
	table[0] = (asynmsg_t){ .flags = AMF_VALID, .dst = x };
	table[0].msg.m_type = PEER_NOP;
	EXPECT_EQ(ipc_senda(table, 1), 0);
	EXPECT(!(table[0].flags & AMF_DONE), "entry to a sleeping process finished early");

	EXPECT_EQ(sys_kill(y, SIGKILL), 0);
	EXPECT_EQ(await_gone(y), 0);
	EXPECT(!(table[0].flags & AMF_DONE), "another process's death finished the entry");

	EXPECT_EQ(sys_kill(x, SIGKILL), 0);
	EXPECT_EQ(await_gone(x), 0);
	EXPECT(table[0].flags & AMF_DONE, "entry to a dead process not finished at its death");
	EXPECT_EQ(table[0].result, -EDEADSRCDST);
	EXPECT_EQ(ipc_senda(NULL, 0), 0);
}

TEST(ipc, bad_pointer, "bad message pointers and call numbers are errors, not crashes")
{
	static const message readonly_msg __attribute__((aligned(16)));
	endpoint_t a = find("peer_a");
	message m __attribute__((aligned(16)));
	long bad[] = { 0,
		       0x10,
		       0x10000000,
		       (long)0x00007ffffffff000 + 0x800,
		       (long)0x0000800000000000,
		       (long)0x8000000000000000,
		       (long)0xffff800000000000,
		       (long)0xffffffff80100000 };

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(ax_syscall(IPC_SEND, a, bad[i]), -EFAULT);
		EXPECT_EQ(ax_syscall(IPC_SENDREC, SYSTEM, bad[i]), -EFAULT);
		EXPECT_EQ(ax_syscall(IPC_RECEIVE, ANY, bad[i]), -EFAULT);
	}
	EXPECT_EQ(ax_syscall(IPC_SEND, a, (long)&m + 8), -EINVAL);
	EXPECT_EQ(ax_syscall(IPC_SEND, a, (long)&m + 1), -EINVAL);
	/* A reply into read-only memory: the kernel call is done, the copy fails. */
	EXPECT_EQ(ax_syscall(IPC_SENDREC, SYSTEM, (long)&readonly_msg), -EFAULT);
	EXPECT_EQ(ax_syscall(IPC_BASE + 50, a, (long)&m), -ENOSYS);
	EXPECT_EQ(ax_syscall(IPC_BASE, a, (long)&m), -ENOSYS);
	EXPECT_EQ(ax_syscall(9999, 0, 0), -ENOSYS);
	EXPECT_EQ(ax_syscall(-1, 0, 0), -ENOSYS);
	EXPECT_EQ(peer_call(a, PEER_ECHO, 0, 0, &m), 0); /* all still well */
}

TEST(ipc, replyrecv,
     "REPLYRECV answers a client in SENDREC and takes the next message in one call; "
     "a reply nobody waits for fails at once")
{
	endpoint_t a = find("peer_a");
	message m;
	uint64_t status;

	/* peer_a asks us (SENDREC), then reports what it got back (SEND). */
	EXPECT_EQ(peer_command(a, PEER_SENDREC_TO, (uint64_t)self_endpoint, 0), 0);
	EXPECT_EQ(ipc_receive(a, &m, &status), 0);
	EXPECT_EQ(m.m_type, PEER_ECHO);
	EXPECT_EQ(IPC_STATUS_CALL(status), IPC_SENDREC - IPC_BASE);
	m.m_u64.v[1] = 0xbeef;
	EXPECT_EQ(ipc_replyrecv(a, &m, a, &status), 0);
	EXPECT_EQ(IPC_STATUS_CALL(status), IPC_SEND - IPC_BASE); /* the report, not our reply */
	EXPECT_EQ((int64_t)m.m_u64.v[0], 0);                     /* its SENDREC's result */
	EXPECT_EQ(m.m_u64.v[1], 0xbeef);                         /* our reply's payload */
	EXPECT_EQ((endpoint_t)m.m_u64.v[2], self_endpoint);

	/* Nobody waits for a reply now: an error at once, and no receive. */
	EXPECT_EQ(ipc_replyrecv(a, &m, ANY, &status), -ENOTREADY);
	EXPECT_EQ(ipc_replyrecv(a, &m, -5, &status), -EINVAL); /* a bad source: nothing sent */
	EXPECT_EQ(ipc_replyrecv(a, (message *)8, ANY, &status), -EINVAL); /* misaligned buffer */
	EXPECT_EQ(ipc_replyrecv(a, (message *)0x1000, ANY, &status), -EFAULT); /* unmapped */
}
