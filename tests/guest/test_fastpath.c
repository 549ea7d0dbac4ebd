/*
 * The IPC fast path (kernel/ipc_fast.c) against the general path: one fixed
 * sequence of SENDREC, REPLYRECV, SEND and RECEIVE calls (a SENDREC queued
 * on a runnable peer, a RECEIVE that takes a queued sender), error cases
 * included, run once
 * with the fast path on and once with it off (DIAGCTL DIAG_FASTPATH).
 * Every result, status and message must be the same both times, and the
 * fast path must have been taken in the first run and never in the second.
 *
 * The sequence talks to two copies of the peer program at our own priority:
 * a peer that answers us goes on (nothing of higher priority is ready) to
 * its next RECEIVE before we run again, so each call finds the same state
 * in both runs.
 */
#include "guest.h"
#include <ax/signal.h>

#define MAX_STEPS 32

struct outcome {
	int64_t r;
	uint64_t status;
	message m;
};

static struct outcome runs[2][MAX_STEPS];

static void
record(struct outcome *o, int64_t r, uint64_t status, const message *m)
{
	o->r = r;
	o->status = status;
	o->m = *m;
	if (ipc_status_is_notify(status))
		o->m.m_notify.timestamp = 0; /* the clock moved on between the runs */
}

static endpoint_t
stale(endpoint_t e)
{
	return endpoint_make(endpoint_slot(e), endpoint_gen(e) + 1);
}

/*
 * SENDREC (or REPLYRECV receiving from ANY) of m from a buffer 8 bytes off
 * the message's alignment, which the kernel refuses; m gets what the
 * buffer holds afterwards.  The buffer is only bytes to C: a message at a
 * misaligned address is undefined behaviour, and clang's 16-byte moves
 * fault on it.
 */
static int64_t
odd_call(endpoint_t to, bool replyrecv, message *m)
{
	static uint8_t raw[sizeof(message) + 16] __attribute__((aligned(16)));
	uint64_t st;
	int64_t r;

	memcpy(raw + 8, m, sizeof(*m));
	if (replyrecv)
		r = ipc_replyrecv(to, (message *)(raw + 8), ANY, &st);
	else
		r = ipc_sendrec(to, (message *)(raw + 8));
	memcpy(m, raw + 8, sizeof(*m));
	return r;
}

/* The sequence, with a and b idle in RECEIVE(ANY); the number of steps. */
static int
sequence(struct outcome *o, endpoint_t a, endpoint_t b)
{
	message m;
	uint64_t st = 0, nops;
	int n = 0, r; /* a call whose status is recorded runs first: the order of
			   a function's arguments is unspecified */

	command_message(&m, PEER_COUNT, 0, 0);
	ipc_sendrec(b, &m);
	nops = m.m_u64.v[0];

	/* SENDREC to a receiver waiting for ANY: the echo of the request. */
	command_message(&m, PEER_ECHO, 0x1234, 0x5678);
	m.m_u64.v[6] = 0xfeedface;
	record(&o[n++], ipc_sendrec(a, &m), 0, &m);
	/* Errors: odd or unmapped buffer; stale, malformed or kernel endpoint; ourselves. */
	command_message(&m, PEER_ECHO, 1, 2);
	record(&o[n++], odd_call(a, false, &m), 0, &m);
	record(&o[n++], ipc_sendrec(a, (message *)0x10), 0, &m);
	command_message(&m, PEER_ECHO, 3, 4);
	record(&o[n++], ipc_sendrec(stale(a), &m), 0, &m);
	record(&o[n++], ipc_sendrec(-7, &m), 0, &m);
	record(&o[n++], ipc_sendrec(CLOCK, &m), 0, &m);
	record(&o[n++], ipc_sendrec(self_endpoint, &m), 0, &m);
	/* A SENDREC carrying its bound (rdx), and one whose bound is too large. */
	command_message(&m, PEER_ECHO, 5, 6);
	record(&o[n++], ipc_sendrec_bounded(a, &m, CALL_BOUND_MIN), 0, &m);
	command_message(&m, PEER_ECHO, 9, 10);
	record(&o[n++], ipc_sendrec_bounded(a, &m, REPLY_BOUND_MAX + 1), 0, &m);
	/* The IPC mask: restricted may send only to testrun (v5, v6: EPERM). */
	record(&o[n++], peer_call(find("restricted"), PEER_PROBE, 0, 0, &m), 0, &m);

	/* a SENDRECs to us; REPLYRECV answers it and receives a's report. */
	command_message(&m, PEER_SENDREC_TO, (uint64_t)self_endpoint, 0);
	ipc_send(a, &m);
	r = ipc_receive(a, &m, &st);
	record(&o[n++], r, st, &m);
	m.m_type = 0;
	m.m_u64.v[1] = 0x5eed;
	r = ipc_replyrecv(a, &m, ANY, &st);
	record(&o[n++], r, st, &m);
	/* REPLYRECV to a receiver waiting for ANY, which then sends to us. */
	command_message(&m, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE);
	r = ipc_replyrecv(b, &m, ANY, &st);
	record(&o[n++], r, st, &m);
	/* REPLYRECV whose receive finds a notification pending: it does not block. */
	ipc_notify(self_endpoint);
	command_message(&m, PEER_NOP, 0, 0);
	r = ipc_replyrecv(b, &m, ANY, &st);
	record(&o[n++], r, st, &m);
	/* REPLYRECV whose receive names a source (b, busy): its echo, then a's DONE. */
	command_message(&m, PEER_ECHO, 7, 8);
	st = 0;
	ipc_send(b, &m);
	command_message(&m, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE);
	r = ipc_replyrecv(a, &m, b, &st);
	record(&o[n++], r, st, &m);
	r = ipc_receive(a, &m, &st);
	record(&o[n++], r, st, &m);
	/* REPLYRECV errors: nobody waiting, a stale endpoint, an odd buffer. */
	command_message(&m, PEER_NOP, 0, 0);
	record(&o[n++], ipc_replyrecv(self_endpoint, &m, ANY, &st), 0, &m);
	record(&o[n++], ipc_replyrecv(stale(b), &m, ANY, &st), 0, &m);
	command_message(&m, PEER_NOP, 0, 0);
	record(&o[n++], odd_call(b, true, &m), 0, &m);
	/*
	 * SENDREC to a peer that is runnable, not yet back in its RECEIVE: we
	 * wait queued on it, it takes us with RECEIVE(ANY) and answers by SEND.
	 */
	command_message(&m, PEER_NOP, 0, 0);
	ipc_send(b, &m); /* b runs only once we block */
	command_message(&m, PEER_ECHO, 11, 12);
	record(&o[n++], ipc_sendrec(b, &m), 0, &m);
	/* RECEIVE(ANY) that finds a sender queued: b's DONE, sent while we waited for a. */
	command_message(&m, PEER_SEND_TO, (uint64_t)self_endpoint, PEER_DONE);
	ipc_send(b, &m);
	command_message(&m, PEER_ECHO, 13, 14);
	record(&o[n++], ipc_sendrec(a, &m), 0, &m);
	r = ipc_receive(ANY, &m, &st);
	record(&o[n++], r, st, &m);
	/* A SEND to a stale endpoint. */
	command_message(&m, PEER_NOP, 0, 0);
	record(&o[n++], ipc_send(stale(b), &m), 0, &m);
	/* The NOPs that reached b in this run. */
	command_message(&m, PEER_COUNT, 0, 0);
	record(&o[n++], ipc_sendrec(b, &m), 0, &m);
	o[n - 1].m.m_u64.v[0] -= nops;
	return n;
}

TEST(ipc, fastpath_equivalence,
     "SENDREC and REPLYRECV give the same results and messages with the fast path on and off")
{
	endpoint_t a = start_peer("fp_a", -1), b = start_peer("fp_b", -1);
	int64_t before = -1, on = 0, off = 0;
	int n_on = 0, n_off = 0;

	if (a != NONE && b != NONE && (before = fastpath_switch(1)) >= 0) {
		n_on = sequence(runs[0], a, b);
		on = fastpath_switch(0);
		n_off = sequence(runs[1], a, b);
		off = fastpath_switch(1);
	}
	sys_kill(a, SIGKILL);
	sys_kill(b, SIGKILL);
	EXPECT(a != NONE && b != NONE, "could not start the two peers");
	EXPECT(before >= 0, "DIAG_FASTPATH failed: %lld", (long long)before);
	EXPECT_EQ(n_on, n_off);
	for (int i = 0; i < n_on; i++) {
		EXPECT(runs[0][i].r == runs[1][i].r, "step %d: result %lld on, %lld off", i,
		       (long long)runs[0][i].r, (long long)runs[1][i].r);
		EXPECT(runs[0][i].status == runs[1][i].status,
		       "step %d: status %#llx on, %#llx off", i,
		       (unsigned long long)runs[0][i].status,
		       (unsigned long long)runs[1][i].status);
		EXPECT(memcmp(&runs[0][i].m, &runs[1][i].m, sizeof(message)) == 0,
		       "step %d: the messages differ (source %d/%d, type %d/%d, v0 %#llx/%#llx, v1 "
		       "%#llx/%#llx, v2 %#llx/%#llx)",
		       i, runs[0][i].m.m_source, runs[1][i].m.m_source, runs[0][i].m.m_type,
		       runs[1][i].m.m_type, (unsigned long long)runs[0][i].m.m_u64.v[0],
		       (unsigned long long)runs[1][i].m.m_u64.v[0],
		       (unsigned long long)runs[0][i].m.m_u64.v[1],
		       (unsigned long long)runs[1][i].m.m_u64.v[1],
		       (unsigned long long)runs[0][i].m.m_u64.v[2],
		       (unsigned long long)runs[1][i].m.m_u64.v[2]);
	}
	EXPECT(on - before >= 4, "the fast path was taken %lld times, expected 4 or more",
	       (long long)(on - before));
	EXPECT_EQ(off - on, 0);
}
