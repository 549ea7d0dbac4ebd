/*
 * libsys_start(): called by crt0 before main.  Learns the process's own
 * identity (for panic and log lines), runs main, and exits with its status.
 */
#include "libsys.h"

endpoint_t self_endpoint = NONE;
char self_name[PROC_NAME_LEN] = "?";

void libsys_start(int argc, char **argv) __attribute__((noreturn));

void
libsys_start(int argc, char **argv)
{
	sys_whoami(&self_endpoint, self_name, sizeof(self_name));
	sys_exit(main(argc, argv));
}
