/*
 * bench_srv: the other end of the IPC round-trip benchmark.  It answers
 * every request with a SEND of the same message, the way a server replies.
 */
#include <libsys.h>

int
main(int argc, char **argv)
{
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	for (;;) {
		if (ipc_receive(ANY, &m, &status) == 0 && !ipc_status_is_notify(status))
			ipc_send(m.m_source, &m);
	}
}
