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
 *   enosys         unknown numbers (500 four times, 501 once): -ENOSYS;
 *                  rseq, not served on purpose: -ENOSYS too
 *   misc           getrandom, prctl (the name, the parent-death signal),
 *                  set_robust_list and get_robust_list
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
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

static long
raw3(long nr, long a0, long a1, long a2)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
			 : "rcx", "r11", "memory");
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
	if (raw(334, 0, 0) != -ENOSYS) /* rseq: known, not served, not logged */
		return 5;
	return 0;
}

static int pdeath_pipe[2];

static void
on_pdeath(int sig)
{
	(void)sig;
	write(pdeath_pipe[1], "k", 1);
	_exit(0);
}

/*
 * PR_SET_PDEATHSIG: a grandchild asks for SIGUSR1 when its parent ends;
 * we kill the parent and read the grandchild's word from the pipe.
 */
static int
check_pdeath(void)
{
	char c = 0;
	int sig = -1;
	pid_t mid;

	if (pipe(pdeath_pipe) != 0)
		return 30;
	if ((mid = fork()) == 0) {
		if (fork() == 0) {
			signal(SIGUSR1, on_pdeath);
			if (syscall(SYS_prctl, PR_GET_PDEATHSIG, &sig) != 0 || sig != 0 ||
			    syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGUSR1) != 0 ||
			    syscall(SYS_prctl, PR_GET_PDEATHSIG, &sig) != 0 || sig != SIGUSR1)
				_exit(1);
			write(pdeath_pipe[1], "r", 1);
			for (int i = 0; i < 50; i++) /* 5 s at most */
				usleep(100000);
			_exit(2);
		}
		for (;;)
			pause();
	}
	alarm(5); /* a read that never ends is a failure, not a hang */
	if (read(pdeath_pipe[0], &c, 1) != 1 || c != 'r')
		return 31;
	kill(mid, SIGKILL);
	waitpid(mid, NULL, 0);
	if (read(pdeath_pipe[0], &c, 1) != 1 || c != 'k')
		return 32;
	alarm(0);
	return 0;
}

static int
check_misc(void)
{
	unsigned char a[64], b[64], big[5000], any = 0;
	char name[16];
	uint64_t head = 0, len = 0;

	/* getrandom: the bytes asked for, different each time; bad input refused. */
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	if (syscall(SYS_getrandom, a, sizeof(a), 0) != sizeof(a) ||
	    syscall(SYS_getrandom, b, sizeof(b), GRND_NONBLOCK) != sizeof(b))
		return 1;
	for (size_t i = 0; i < sizeof(a); i++)
		any |= a[i];
	if (!any || memcmp(a, b, sizeof(a)) == 0)
		return 2;
	if (syscall(SYS_getrandom, big, sizeof(big), 0) != sizeof(big) ||
	    syscall(SYS_getrandom, a, 0, 0) != 0)
		return 3;
	if (raw3(SYS_getrandom, 8, 16, 0) != -EFAULT ||
	    raw3(SYS_getrandom, (long)a, 16, 0x80) != -EINVAL ||
	    raw3(SYS_getrandom, (long)a, 16, GRND_RANDOM | 4 /* GRND_INSECURE */) != -EINVAL)
		return 4;

	/* prctl: the name, 15 bytes of it; unknown options EINVAL. */
	if (syscall(SYS_prctl, PR_SET_NAME, "a-long-name-0123456789") != 0 ||
	    syscall(SYS_prctl, PR_GET_NAME, name) != 0 || strcmp(name, "a-long-name-012") != 0)
		return 10;
	if (raw3(SYS_prctl, PR_SET_NAME, 8, 0) != -EFAULT ||
	    raw3(SYS_prctl, PR_GET_NAME, 8, 0) != -EFAULT ||
	    raw3(SYS_prctl, 9999, 0, 0) != -EINVAL ||
	    raw3(SYS_prctl, PR_SET_PDEATHSIG, 65, 0) != -EINVAL)
		return 11;

	/* The robust list's place, kept and given back. */
	if (raw3(SYS_set_robust_list, 0x1234, 23, 0) != -EINVAL ||
	    raw3(SYS_set_robust_list, 0x1234, 24, 0) != 0)
		return 20;
	if (syscall(SYS_get_robust_list, 0, &head, &len) != 0 || head != 0x1234 || len != 24)
		return 21;
	if (raw3(SYS_get_robust_list, 0, 8, (long)&len) != -EFAULT ||
	    raw3(SYS_get_robust_list, 99999, (long)&head, (long)&len) != -ESRCH)
		return 22;
	return check_pdeath();
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
	if (strcmp(mode, "misc") == 0)
		return check_misc();
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
