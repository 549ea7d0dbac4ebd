/*
 * The Linux ABI between the kernel and the servers that own Linux calls
 * (docs/processes.md).  A user process's `syscall` with a Linux number
 * becomes a request to the call's owner (include/ax/linux_calls.def):
 * m_source the process, m_type LX_CALL_BASE + number, the six arguments in
 * m_lx_call.  The owner answers the process's endpoint with an ordinary
 * native reply that the kernel turns into rax: m_type LX_REPLY and the
 * 64-bit result in m_lx_reply, or a plain 0 / -E in m_type.
 *
 * Message types: 0x4000 + Linux number (< LX_NR_CALLS) requests; 0x4200 the
 * reply.  The values of everything Linux defines here are Linux's.
 */
#ifndef AX_LINUX_H
#define AX_LINUX_H

#include <ax/types.h>

#define LX_CALL_BASE 0x4000
#define LX_NR_CALLS  512 /* Linux numbers the table may name */
#define LX_REPLY     0x4200
#define LX_ERRNO_MAX 4095 /* results -4095..-1 are errors */

/* Call numbers as constants: LX_NR_getpid... */
enum {
#define LINUX_CALL(nr, name, owner) LX_NR_##name = (nr),
#include <ax/linux_calls.def>
#undef LINUX_CALL
};

/* Who owns a call: linuxctl's class, and the .def's OWNER column. */
enum lx_owner {
	LX_OWNER_NONE = 0,
	LX_OWNER_KERNEL = 1,
	LX_OWNER_PM = 2,
	LX_OWNER_VM = 3,
	LX_OWNER_VFS = 4,
	LX_NR_OWNERS = 5
};

struct msg_lx_call {
	uint64_t arg[6]; /* rdi, rsi, rdx, r10, r8, r9 */
	uint64_t pad;
};

struct msg_lx_reply {
	int64_t result; /* what rax becomes */
	uint8_t pad[48];
};

/* arch_prctl codes (kernel-local). */
#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* uname: struct new_utsname. */
#define LX_UTSNAME_LEN 65
struct lx_utsname {
	char sysname[LX_UTSNAME_LEN];
	char nodename[LX_UTSNAME_LEN];
	char release[LX_UTSNAME_LEN];
	char version[LX_UTSNAME_LEN];
	char machine[LX_UTSNAME_LEN];
	char domainname[LX_UTSNAME_LEN];
};

/* Linux wait statuses, as wait4 reports them. */
#define LX_W_EXITCODE(code) (((code)&0xff) << 8)
#define LX_W_TERMSIG(sig)   ((sig)&0x7f)

#endif
