/*
 * lxtest: a static musl program (an unmodified Linux binary) that the
 * proc.* guest tests start through PM (tests/guest/test_proc.c).  There is
 * no VFS yet, so it cannot print: each mode reports through its exit
 * status, 0 for success and a distinct small number for each check that
 * failed, and the harness compares the status PM reports.
 *
 *   exit N         exit_group(N)
 *   thread_exit N  exit(N) (the thread's exit; one thread: the process's)
 *   pid            exits with getpid(), after checking gettid and
 *                  set_tid_address agree with it
 *   ppid           exits with getppid()
 *   uname          checks every field of uname
 *   enosys         unknown numbers (500 four times, 501 once): -ENOSYS
 *   native         native IPC numbers: -ENOSYS for a user process
 *   badptr         bad pointers to uname and arch_prctl: -EFAULT, -EPERM,
 *                  -EINVAL, and the process goes on
 *   fsbase         arch_prctl: FS and GS bases set, read back, used
 *   segv           a write to address 0 (the status is SIGSEGV's)
 *   spin           getpid for ever, until killed
 *   getpid N       N getpid calls, nothing else (make bench: getpid_insns)
 *   brk            brk(0x1234) must return 0x7777000: the test serving it
 *                  (proc.reply_protocol) answers that, after a wrong reply
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

/* The raw result of a system call: -errno on failure, as the kernel gives it. */
static long
raw(long nr, long a0, long a1)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(nr), "D"(a0), "S"(a1) : "rcx", "r11", "memory");
	return r;
}

static int
check_ids(void)
{
	long pid = getpid();

	if (syscall(SYS_gettid) != pid)
		return 101;
	if (syscall(SYS_set_tid_address, &pid) != pid)
		return 102;
	return (int)(pid & 0xff);
}

static int
check_uname(void)
{
	struct utsname u;

	memset(&u, 'x', sizeof(u));
	if (uname(&u) != 0)
		return 1;
	if (strcmp(u.sysname, "Linux") != 0)
		return 2;
	if (strcmp(u.nodename, "axolotl") != 0)
		return 3;
	if (strcmp(u.release, "6.1.0") != 0)
		return 4;
	if (strncmp(u.version, "#1", 2) != 0)
		return 5;
	if (strcmp(u.machine, "x86_64") != 0)
		return 6;
	if (strcmp(u.domainname, "(none)") != 0)
		return 7;
	return 0;
}

static int
check_enosys(void)
{
	for (int i = 0; i < 3; i++)
		if (raw(500, 0, 0) != -ENOSYS)
			return 1;
	if (raw(501, 0, 0) != -ENOSYS)
		return 2;
	errno = 0;
	if (syscall(500) != -1 || errno != ENOSYS) /* errno lives behind FS */
		return 3;
	if (getpid() <= 0) /* and it still works */
		return 4;
	return 0;
}

/* Native IPC numbers are for system processes: a kernel call, a receive. */
static int
check_native(void)
{
	static uint64_t msg[8] __attribute__((aligned(16)));

	msg[0] = (uint64_t)0x600 << 32;           /* m_type GETINFO */
	if (raw(0xA003, 2, (long)msg) != -ENOSYS) /* SENDREC to SYSTEM */
		return 1;
	if (raw(0xA002, 1023, (long)msg) != -ENOSYS) /* RECEIVE from ANY */
		return 2;
	return getpid() > 0 ? 0 : 3;
}

static int
check_badptr(void)
{
	uint64_t v;

	if (raw(SYS_uname, 0, 0) != -EFAULT)
		return 1;
	if (raw(SYS_uname, 16, 0) != -EFAULT)
		return 2;
	if (raw(SYS_uname, (long)0xffff800000000000ull, 0) != -EFAULT)
		return 3;
	if (raw(SYS_uname, (long)check_badptr, 0) != -EFAULT) /* read-only text */
		return 4;
	if (raw(SYS_uname, (long)0x00007ffffffff000ull - 100, 0) != -EFAULT) /* past the stack */
		return 5;
	if (raw(SYS_uname, -1, 0) != -EFAULT)
		return 6;
	if (raw(SYS_arch_prctl, ARCH_GET_FS, 0) != -EFAULT)
		return 7;
	if (raw(SYS_arch_prctl, ARCH_GET_FS, (long)0xffffffff80000000ull) != -EFAULT)
		return 8;
	if (raw(SYS_arch_prctl, ARCH_SET_FS, (long)0xffff800000000000ull) != -EPERM)
		return 9;
	if (raw(SYS_arch_prctl, ARCH_SET_GS, (long)0x0000800000000000ull) != -EPERM)
		return 10;
	if (raw(SYS_arch_prctl, 0x9999, 0) != -EINVAL)
		return 11;
	if (raw(SYS_arch_prctl, ARCH_GET_FS, (long)&v) != 0 || v == 0)
		return 12;                  /* the base survived the refused SET */
	return check_uname() == 0 ? 0 : 13; /* and the process goes on */
}

static int
check_fsbase(void)
{
	static uint64_t block[4] = { 0, 0x1234, 0x5678, 0 };
	uint64_t old, got, val;

	if (raw(SYS_arch_prctl, ARCH_GET_FS, (long)&old) != 0 || old == 0)
		return 1;
	if (raw(SYS_arch_prctl, ARCH_SET_FS, (long)block) != 0)
		return 2;
	__asm__ volatile("movq %%fs:8, %0" : "=r"(val));
	if (val != 0x1234)
		return 3;
	if (raw(SYS_arch_prctl, ARCH_GET_FS, (long)&got) != 0 || got != (uint64_t)block)
		return 4;
	raw(SYS_getpid, 0, 0); /* a round trip through PM keeps it */
	__asm__ volatile("movq %%fs:16, %0" : "=r"(val));
	if (val != 0x5678)
		return 5;
	if (raw(SYS_arch_prctl, ARCH_SET_FS, (long)old) != 0)
		return 6;
	if (raw(SYS_arch_prctl, ARCH_SET_GS, (long)(block + 1)) != 0)
		return 7;
	raw(SYS_getppid, 0, 0);
	__asm__ volatile("movq %%gs:8, %0" : "=r"(val));
	if (val != 0x5678)
		return 8;
	if (raw(SYS_arch_prctl, ARCH_GET_GS, (long)&got) != 0 || got != (uint64_t)(block + 1))
		return 9;
	errno = 0;
	if (uname(NULL) != -1 || errno != EFAULT) /* musl's TLS after the restore */
		return 10;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int n = argc > 2 ? atoi(argv[2]) : 0;

	if (strcmp(mode, "exit") == 0)
		_exit(n);
	if (strcmp(mode, "thread_exit") == 0)
		syscall(SYS_exit, n);
	if (strcmp(mode, "pid") == 0)
		return check_ids();
	if (strcmp(mode, "ppid") == 0)
		return (int)(getppid() & 0xff);
	if (strcmp(mode, "uname") == 0)
		return check_uname();
	if (strcmp(mode, "enosys") == 0)
		return check_enosys();
	if (strcmp(mode, "native") == 0)
		return check_native();
	if (strcmp(mode, "badptr") == 0)
		return check_badptr();
	if (strcmp(mode, "fsbase") == 0)
		return check_fsbase();
	if (strcmp(mode, "segv") == 0)
		*(volatile int *)0 = 1;
	if (strcmp(mode, "getpid") == 0) {
		for (int i = 0; i < n; i++)
			raw(SYS_getpid, 0, 0);
		return 0;
	}
	if (strcmp(mode, "brk") == 0)
		return raw(SYS_brk, 0x1234, 0) == 0x7777000 ? 0 : 1;
	if (strcmp(mode, "spin") == 0)
		for (;;)
			getpid();
	return 99;
}
