/*
 * demo: what `make run` shows until there is a shell.  It says hello, shows
 * the process table, and measures a few kernel calls, then waits for alarms
 * so the system stays up (Ctrl-A X leaves QEMU).
 */
#include <libsys.h>

int
main(int argc, char **argv)
{
	struct msg_sys_kinfo ki;
	message m;
	uint64_t status;

	(void)argc;
	printf("%s(%d): hello from user mode\n", argv[0], self_endpoint);
	if (sys_getkinfo(&ki) == 0)
		printf("%s: kernel clock %u Hz, uptime %llu ticks\n", argv[0], ki.hz,
		       (unsigned long long)ki.uptime);
	sys_diag_dump_procs();
	for (int i = 1; i <= 3; i++) {
		sys_setalarm(ki.hz, false, NULL);
		ipc_receive(CLOCK, &m, &status);
		printf("%s: tick %d (alarm from %d)\n", argv[0], i, m.m_source);
	}
	printf("%s: idle; Ctrl-A X quits QEMU\n", argv[0]);
	for (;;)
		ipc_receive(ANY, &m, &status);
}
