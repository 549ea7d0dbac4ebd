/*
 * The scheduler: no starvation at one priority, and IPC with many
 * processes ready.  The peers run below the test process, so everything
 * they do happens while the test waits.  The 200 spinners of many_ready
 * run at the lowest priority, with their own server: at a service's
 * priority they would keep the services from answering RS's pings.
 */
#include "guest.h"
#include "../bench/spinners.h"

#define PEER_PRIO 12     /* the peers' priority (kernel/table.c: USER_Q) */
#define PINGPONGS 500000 /* some 30 clock ticks of hand-offs between peer_a and peer_b */

/*
 * The next message from x or a (no notification): 'x', 'a', or 0 after
 * `ticks` clock ticks; *m holds a's message.
 */
static int
next_of(endpoint_t x, endpoint_t a, message *m, uint64_t ticks)
{
	uint64_t status;
	message in;

	sys_setalarm(ticks, false, NULL);
	for (;;) {
		if (ipc_receive(ANY, &in, &status) < 0)
			continue;
		if (ipc_status_is_notify(status) && in.m_source == CLOCK)
			return 0;
		if (ipc_status_is_notify(status) || (in.m_source != x && in.m_source != a))
			continue;
		sys_setalarm(0, false, NULL);
		if (in.m_source == x)
			return 'x';
		*m = in;
		return 'a';
	}
}

TEST(sched, no_starvation,
     "a client and a server handing off to each other do not starve a third process at their "
     "priority")
{
	endpoint_t a = find("peer_a"), b = find("peer_b"), x = start_peer("starved", PEER_PRIO);
	message m;
	int first, second;
	int64_t taken;

	EXPECT(x != NONE, "could not start the third process");
	taken = fastpath_switch(2);
	/* peer_a (SENDREC) and peer_b (REPLYRECV) hand the processor to each
	 * other on the IPC fast path, never through a scheduler pick, for
	 * some dozens of clock ticks... */
	EXPECT_EQ(peer_command(b, PEER_SERVE, 0, PINGPONGS), 0);
	EXPECT_EQ(peer_command(a, PEER_PINGPONG, (uint64_t)b, PINGPONGS), 0);
	/* ...and x, released now at their priority, must get its turn meanwhile. */
	EXPECT_EQ(peer_command(x, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	first = next_of(x, a, &m, 3000);
	second = first ? next_of(x, a, &m, 3000) : 0;
	sys_kill(x, SIGKILL);
	EXPECT(first && second, "no word from %s", first ? "the pair" : "anyone");
	EXPECT(first == 'x', "the third process ran only after the pair's %d round trips",
	       PINGPONGS);
	EXPECT_EQ(m.m_type, PEER_DONE);
	EXPECT_EQ(m.m_u64.v[0], PINGPONGS);
	EXPECT(fastpath_switch(2) - taken >= PINGPONGS,
	       "the pair did not hand off on the fast path (%lld)",
	       (long long)(fastpath_switch(2) - taken));
}

#define MANY        200
#define LOWEST_PRIO 15 /* below every service, so the spinners starve nobody */

static endpoint_t spinner[MANY];

TEST(sched, many_ready,
     "IPC works, and stays correct, with 200 processes ready at the server's priority")
{
	endpoint_t srv = start_peer("crowded", LOWEST_PRIO);
	message m;
	int r = 0;

	EXPECT(srv != NONE, "could not start the server");
	if ((r = spinners_start(spinner, MANY, LOWEST_PRIO)) < 0)
		sys_kill(srv, SIGKILL);
	EXPECT_EQ(r, 0);
	for (int i = 0; i < 2000 && r == 0; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = PEER_ECHO;
		for (int w = 0; w < 7; w++)
			m.m_u64.v[w] = (uint64_t)i * 7 + w;
		if ((r = ipc_sendrec(srv, &m)) < 0 || m.m_source != srv || m.m_type != 0)
			r = r < 0 ? r : 1;
		for (int w = 0; w < 7 && r == 0; w++)
			if (m.m_u64.v[w] != (uint64_t)i * 7 + w)
				r = 2;
	}
	spinners_kill(spinner, MANY);
	sys_kill(srv, SIGKILL);
	EXPECT_EQ(r, 0);
}

/*
 * SENDREC with our own value in xmm15 around the system call: the peer that
 * runs meanwhile loads another value there.  The FPU/SSE registers are
 * switched lazily (kernel/arch/x86_64/switch.c); each process must still
 * find its own.
 */
static uint64_t
sendrec_keeping_xmm15(endpoint_t to, message *m, uint64_t mine, long *r)
{
	uint64_t after, bound = 0; /* rdx: not bounded */
	long res;

	__asm__ volatile("movq %[mine], %%xmm15\n\t"
			 "syscall\n\t"
			 "movq %%xmm15, %[after]"
			 : "=a"(res), [after] "=r"(after), "+d"(bound)
			 : "a"((long)IPC_SENDREC), "D"((long)to), "S"(m), [mine] "r"(mine)
			 : "rcx", "r11", "xmm15", "memory");
	*r = res;
	return after;
}

TEST(sched, fpu_isolated,
     "FPU/SSE registers stay with their process across IPC switches (lazy FPU)")
{
	endpoint_t a = find("peer_a");
	const uint64_t mine = 0x0123456789abcdefull, theirs = 0xfedcba9876543210ull;
	uint64_t after;
	message m;
	long r;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_FPU_SET;
	m.m_u64.v[0] = theirs;
	after = sendrec_keeping_xmm15(a, &m, mine, &r);
	EXPECT_EQ(r, 0);
	EXPECT(after == mine, "xmm15 is %#llx after the peer ran, expected ours %#llx",
	       (unsigned long long)after, (unsigned long long)mine);
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_FPU_GET;
	after = sendrec_keeping_xmm15(a, &m, ~mine, &r);
	EXPECT_EQ(r, 0);
	EXPECT(m.m_u64.v[0] == theirs, "the peer's xmm15 is %#llx, expected %#llx",
	       (unsigned long long)m.m_u64.v[0], (unsigned long long)theirs);
	EXPECT(after == ~mine, "xmm15 is %#llx, expected %#llx", (unsigned long long)after,
	       (unsigned long long)~mine);
}
