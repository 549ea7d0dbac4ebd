/*
 * The scheduler: no starvation at one priority, and IPC with many
 * processes ready.  The peers run at PEER_PRIO, below the test process, so
 * everything they do happens while the test waits.
 */
#include "guest.h"
#include "../bench/spinners.h"

#define PEER_PRIO	12	/* the peers' priority (kernel/table.c: USER_Q) */
#define IMAGE_MAX	(256 * 1024)
#define PINGPONGS	200000	/* some seconds of hand-offs between peer_a and peer_b */

static uint8_t image[IMAGE_MAX];

/* A copy of the peer program at PEER_PRIO with the basic calls; NONE if none. */
static endpoint_t
spawn_peer(const char *name)
{
	struct priv_desc d;
	endpoint_t e = NONE;
	size_t size;

	if (sys_getimage_named("peer", image, sizeof(image), &size) < 0 ||
	    sys_spawn_prio(image, size, name, NULL, PEER_PRIO, &e) < 0)
		return NONE;
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BIT(GETINFO) | KCALL_BIT(EXIT) | KCALL_BIT(SETALARM);
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	if (sys_privctl(e, PRIVCTL_SET, &d, 0, 0) < 0 ||
	    sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0) < 0) {
		sys_kill(e, SIGKILL);
		return NONE;
	}
	return e;
}

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
	endpoint_t a = find("peer_a"), b = find("peer_b"), x = spawn_peer("starved");
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

#define MANY	200

static endpoint_t spinner[MANY];

TEST(sched, many_ready, "IPC works, and stays correct, with 200 processes ready at the server's priority")
{
	endpoint_t a = find("peer_a");
	message m;
	int r = 0;

	EXPECT_EQ(spinners_start(spinner, MANY, PEER_PRIO), 0);
	for (int i = 0; i < 2000; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = PEER_ECHO;
		for (int w = 0; w < 7; w++)
			m.m_u64.v[w] = (uint64_t)i * 7 + w;
		if ((r = ipc_sendrec(a, &m)) < 0 || m.m_source != a)
			break;
		for (int w = 0; w < 7 && r == 0; w++)
			if (m.m_u64.v[w] != (uint64_t)i * 7 + w)
				r = 1;
		if (r)
			break;
	}
	spinners_kill(spinner, MANY);
	EXPECT_EQ(r, 0);
	EXPECT_EQ(m.m_type, 0);
}
