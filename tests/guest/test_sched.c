/*
 * The scheduler: no starvation at one priority, and IPC with many
 * processes ready.  The peers run below the test process, so everything
 * they do happens while the test waits.  The 200 spinners of many_ready
 * run at the lowest priority, with their own server: at a service's
 * priority they would keep the services from answering RS's pings.
 */
#include "guest.h"
#include "../bench/spinners.h"

#define PEER_PRIO	12	/* the peers' priority (kernel/table.c: USER_Q) */
#define PINGPONGS	50000	/* about a second of hand-offs between peer_a and peer_b */

/* A message from `from` (no notification), or 0 after `ticks` clock ticks. */
static int
receive_within(endpoint_t from, message *m, uint64_t ticks)
{
	uint64_t status;

	sys_setalarm(ticks, false, NULL);
	for (;;) {
		if (ipc_receive(ANY, m, &status) < 0)
			continue;
		if (ipc_status_is_notify(status) && m->m_source == CLOCK)
			return 0;
		if (!ipc_status_is_notify(status) && m->m_source == from) {
			sys_setalarm(0, false, NULL);
			return 1;
		}
	}
}

TEST(sched, no_starvation, "a client and a server handing off to each other do not starve a third process at their priority")
{
	endpoint_t a = find("peer_a"), b = find("peer_b"), x = start_peer("starved", PEER_PRIO);
	message m;
	int x_first;

	EXPECT(x != NONE, "could not start the third process");
	/* peer_a and peer_b hand the processor to each other for seconds... */
	EXPECT_EQ(peer_command(a, PEER_PINGPONG, (uint64_t)b, PINGPONGS), 0);
	/* ...and x, released now at their priority, must get its turn meanwhile. */
	EXPECT_EQ(peer_command(x, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE), 0);
	x_first = receive_within(x, &m, 500);
	sys_kill(x, SIGKILL);
	EXPECT(receive_within(a, &m, 3000), "peer_a did not finish its round trips");
	EXPECT(x_first, "the third process did not run while the pair handed off");
	EXPECT_EQ(m.m_type, PEER_DONE);
	EXPECT_EQ(m.m_u64.v[0], PINGPONGS);
}

#define MANY		200
#define LOWEST_PRIO	15	/* below every service, so the spinners starve nobody */

static endpoint_t spinner[MANY];

TEST(sched, many_ready, "IPC works, and stays correct, with 200 processes ready at the server's priority")
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
