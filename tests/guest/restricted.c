/*
 * restricted: a helper process with narrow privileges (kernel/table.c: it
 * may send only to testrun, and call only getinfo, diagctl and exit).  On
 * PEER_PROBE it tries what it is not allowed and reports each result, so
 * the runner can check that the kernel refused: v0 SEND to peer_a, v1
 * NOTIFY peer_a, v2 setalarm, v3 devio, v4 abort, v5 SENDREC and v6
 * REPLYRECV to peer_a (the IPC fast path's candidates when peer_a waits).
 */
#include <libsys.h>
#include <string.h>
#include "peer_proto.h"

static void
probe(message *m)
{
	endpoint_t peer_a = NONE;
	message x;
	uint32_t v = 0;

	sys_lookup("peer_a", &peer_a);
	memset(&x, 0, sizeof(x));
	x.m_type = PEER_NOP;
	m->m_u64.v[0] = (uint64_t)(int64_t)ipc_send(peer_a, &x);
	m->m_u64.v[1] = (uint64_t)(int64_t)ipc_notify(peer_a);
	m->m_u64.v[2] = (uint64_t)(int64_t)sys_setalarm(1, false, NULL);
	m->m_u64.v[3] = (uint64_t)(int64_t)sys_devio(DIO_IN_BYTE, 0x70, &v);
	m->m_u64.v[4] = (uint64_t)(int64_t)sys_abort(ABORT_POWEROFF, 1);
	m->m_u64.v[5] = (uint64_t)(int64_t)ipc_sendrec(peer_a, &x);
	m->m_u64.v[6] = (uint64_t)(int64_t)ipc_replyrecv(peer_a, &x, ANY, NULL);
	m->m_type = 0;
	ipc_send(m->m_source, m);
}

int
main(int argc, char **argv)
{
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	for (;;) {
		if (ipc_receive(ANY, &m, &status) == 0 && m.m_type == PEER_PROBE)
			probe(&m);
	}
}
