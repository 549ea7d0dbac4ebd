/*
 * kernel_call(): a SENDREC to SYSTEM.  The IPC result says whether the call
 * reached the kernel; the kernel's answer is the reply's m_type.  The trap
 * is written here rather than through ipc_sendrec(): every kernel call of
 * every process passes this way, and one call less is a few instructions
 * each time (make bench's kcall_roundtrip_insns).
 */
#include "libsys.h"

int
kernel_call(int type, message *m)
{
	long r;
	uint64_t bound = 0; /* SENDREC's bound (ipc.c): none */

	m->m_type = type;
	__asm__ volatile("syscall"
			 : "=a"(r), "+d"(bound)
			 : "a"((long)IPC_SENDREC), "D"((long)SYSTEM), "S"(m)
			 : "rcx", "r11", "memory");
	return r < 0 ? (int)r : m->m_type;
}
