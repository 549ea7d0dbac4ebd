/*
 * bench_srv: the other end of the IPC round-trip benchmark.  It answers
 * every request with a SEND of the same message, or, for BENCH_REPLYRECV,
 * with REPLYRECV, which also takes the next request.
 * On BENCH_GRANT (bench_proto.h) it grants the sender its buffer instead,
 * the source of the safecopy benchmarks.
 */
#include <libsys.h>
#include <sef.h>
#include <string.h>
#include "bench_proto.h"

static uint8_t buffer[BENCH_GRANT_SIZE] __attribute__((aligned(4096)));

static void
grant_buffer(message *m)
{
	grant_id_t g;

	memset(buffer, 0x5a, sizeof(buffer));
	g = cpf_grant_direct(m->m_source, buffer, sizeof(buffer), GRANT_READ);
	m->m_type = g == GRANT_INVALID ? -ENOSPC : 0;
	m->m_u64.v[0] = (uint64_t)(int64_t)g;
}

int
main(int argc, char **argv)
{
	message m;
	uint64_t status;
	bool have = false; /* REPLYRECV brought the next request */

	(void)argc;
	(void)argv;
	sef_startup(); /* RS started it (tests/bench/system.conf) */
	for (;;) {
		if (!have && (ipc_receive(ANY, &m, &status) < 0 || ipc_status_is_notify(status)))
			continue;
		have = false;
		if (m.m_type == BENCH_GRANT)
			grant_buffer(&m);
		if (m.m_type == BENCH_REPLYRECV)
			have = ipc_replyrecv(m.m_source, &m, ANY, &status) == 0 &&
			       !ipc_status_is_notify(status);
		else
			ipc_send(m.m_source, &m);
	}
}
