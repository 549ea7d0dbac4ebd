/*
 * Who decides that a service hung (docs/self-repair.md "Bounded calls"):
 * the service's own configuration (replybound=, priv_desc.reply_bound),
 * never a client alone.  A client that may send to a service whose
 * requests legitimately wait (cdevpipe's reads wait for a write; it has no
 * replybound) bounds a read as short as the kernel allows: the service must
 * be neither signalled nor restarted, and the read ends normally when the
 * data comes.  repair.dropped_request shows the other half: a service that
 * declares a bound and breaks it is still restarted.
 */
#include "guest.h"
#include <ax/rs.h>
#include <cdev_client.h>
#include "peer_proto.h"

#define CLAIM_BOUND CALL_BOUND_MIN    /* ticks: the client's bound, the shortest there is */
#define CLAIM_WAIT  (5 * CLAIM_BOUND) /* how long the read is left waiting */

TEST(authority, hung_claim,
     "a client's bounded call cannot get a service without a declared bound called hung")
{
	struct msg_rs_reply before, after;
	endpoint_t client = find("peer_a"), pipe;
	uint64_t status;
	message m;

	EXPECT_EQ(rs_request(RS_LOOKUP, "pipe", &before), 0);
	pipe = before.endpt;
	EXPECT(pipe != NONE, "the pipe driver is not running");

	/* The client reads the empty pipe, bounded by CLAIM_BOUND ticks. */
	memset(&m, 0, sizeof(m));
	m.m_type = PEER_CDEV_READ;
	m.m_u64.v[0] = (uint64_t)pipe;
	m.m_u64.v[1] = CLAIM_BOUND;
	EXPECT_EQ(ipc_send(client, &m), 0);
	EXPECT_EQ(await_ipc(client, PROC_IPC_RECEIVING, pipe), 0);
	/* Its bound passes several times over while the read waits for data. */
	EXPECT_EQ(tickdelay(CLAIM_WAIT), 0);
	EXPECT_EQ(rs_request(RS_LOOKUP, "pipe", &after), 0);
	EXPECT(after.restarts == before.restarts && after.hangs == before.hangs,
	       "the pipe driver was restarted: restarts %u -> %u, hangs %u -> %u", before.restarts,
	       after.restarts, before.hangs, after.hangs);
	EXPECT(after.endpt == pipe, "the pipe driver was replaced: endpoint %d, now %d", pipe,
	       after.endpt);
	EXPECT_EQ(await_ipc(client, PROC_IPC_RECEIVING, pipe), 0); /* the read still waits */

	/* A write ends the read as usual: the client gets its byte. */
	EXPECT_EQ(cdev_open(pipe, 0, CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_write(pipe, 0, 0, "z", 1, 0), 1);
	EXPECT_EQ(ipc_receive(client, &m, &status), 0);
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ((int64_t)m.m_u64.v[0], 1);
	EXPECT_EQ(m.m_u64.v[1], 'z');
	EXPECT_EQ(cdev_close(pipe, 0), 0);
}
