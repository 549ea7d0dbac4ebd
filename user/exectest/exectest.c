/*
 * exectest: a static musl program for execve's guest tests
 * (tests/guest/test_exec.c).  The harness starts it from the boot image
 * through PM_START; it execs itself, scripts, busybox and bad files, and
 * the new image checks what it was given.  No VFS yet: every mode reports
 * through its exit status, 0 for success and a distinct number for each
 * check that failed.  Its files are in the root file system's /bin
 * (user/exectest/Makefile.inc), read through VFS; /boot/<module> names a
 * boot module (servers/pm/exec.h).
 *
 *   chain       execs /boot/exectest with a known argv and envp ("check")
 *   chain_again the same, with "again" after them
 *   check ...   checks argc, argv, envp, every auxv entry (values, order),
 *               AT_RANDOM's bytes on the stack, rsp's alignment at entry;
 *               with "again" last, execs itself once more ("differ") with
 *               AT_RANDOM's bytes, which must then differ
 *   errors      execve's error paths: ENOENT, ENAMETOOLONG, EFAULT (path,
 *               argv, a string, envp), E2BIG, ENOEXEC (truncated, corrupt,
 *               not an executable), ELOOP, the #! interpreter missing,
 *               EACCES (a directory, a file without x), ENOTDIR; the caller
 *               survives every one
 *   toscript    execs /bin/xt_script ("#!/bin/exectest scripted")
 *   scripted    checks the interpreter's argv and AT_EXECFN
 *   big         execs itself with a 100 KiB argument and a 60 KiB variable
 *               ("bigcheck" checks them): past PM's small static argument
 *               buffers, into its heap ones; bigscript: the same argument
 *               through the #! script ("scripted" checks it)
 *   bb N        execs busybox with argument set N (see mode_bb)
 *   bbout N     a child execs busybox with argument set N, its stdout a file
 *               in /tmp; the file must then hold what Linux's busybox writes
 *   exe         /proc/self/exe and /proc/<pid>/exe name /bin/exectest, and
 *               an exec of /proc/self/exe runs it again (procfs mounted)
 *   rewrite     a copy of this program in /tmp exec'd, written in place,
 *               rewritten whole: each exec runs the bytes the file holds
 *               (VM's page cache keyed by VFS's file id); mark: its mark
 *   bbtrue N    becomes busybox sh -c with a loop of N `busybox true` (make
 *               bench: busybox_true_insns)
 *   shscript N  ... of N runs of /bin/shell_script.sh (shell_script_insns)
 *   forkexec N  N rounds of fork, the child's execve of busybox true, the
 *               parent's wait4 (make bench: fork_exec_wait_insns)
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;
extern const Elf64_Ehdr __ehdr_start; /* the linker's: our own ELF header, loaded */
extern void _start(void);

/* execve's raw result: -errno, as the kernel gives it. */
static long
raw_execve(const void *path, const void *argv, const void *envp)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(SYS_execve), "D"(path), "S"(argv), "d"(envp)
			 : "rcx", "r11", "memory");
	return r;
}

/* ---- chain / check / differ ----------------------------------------------------- */

static char *const check_argv[] = { "exectest-renamed", "check", "a b", "", "last", NULL };
static char *const again_argv[] = { "exectest-renamed", "check", "a b", "", "last", "again", NULL };
static char *const check_envp[] = { "A=1", "EMPTY=", "PATH=/bin:/boot", NULL };

static int
mode_chain(bool again)
{
	/* The last variable is "" in a heap page nobody touched yet (VM maps it on demand). */
	long heap = syscall(SYS_brk, 0);
	char *untouched = (char *)heap + 4096;
	char *envp[] = { check_envp[0], check_envp[1], check_envp[2], untouched, NULL };
	long r;

	if (heap <= 0 || syscall(SYS_brk, heap + 3 * 4096) != heap + 3 * 4096)
		return 4;
	r = raw_execve("/bin/exectest", again ? again_argv : check_argv, envp);

	return r == 0 ? 2 : 3; /* it returned: failed */
}

static uint32_t
cpuid1_edx(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/* The auxiliary vector: right after envp's NULL. */
static const uint64_t *
auxv_of(char **envp)
{
	while (*envp)
		envp++;
	return (const uint64_t *)(envp + 1);
}

/* Every entry Linux gives a static program, in Linux's order, with its value; 0 if right. */
static int
check_auxv(int argc, char **argv, char **envp, const char *execfn, const uint8_t **random)
{
	static const uint64_t order[] = { AT_HWCAP,  AT_PAGESZ, AT_CLKTCK,   AT_PHDR,   AT_PHENT,
					  AT_PHNUM,  AT_BASE,   AT_FLAGS,    AT_ENTRY,  AT_UID,
					  AT_EUID,   AT_GID,    AT_EGID,     AT_SECURE, AT_RANDOM,
					  AT_HWCAP2, AT_EXECFN, AT_PLATFORM, AT_NULL };
	const uint64_t *v = auxv_of(envp);
	uintptr_t strings = (uintptr_t)argv[0];

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++, v += 2) {
		uint64_t val = v[1];

		if (v[0] != order[i])
			return 40 + (int)i;
		switch (v[0]) {
		case AT_HWCAP:
			if (val != cpuid1_edx())
				return 60;
			break;
		case AT_PAGESZ:
			if (val != 4096)
				return 61;
			break;
		case AT_CLKTCK:
			if (val != 100)
				return 62;
			break;
		case AT_PHDR:
			if (val != (uintptr_t)&__ehdr_start + __ehdr_start.e_phoff)
				return 63;
			break;
		case AT_PHENT:
			if (val != sizeof(Elf64_Phdr))
				return 64;
			break;
		case AT_PHNUM:
			if (val != __ehdr_start.e_phnum)
				return 65;
			break;
		case AT_BASE:
		case AT_FLAGS:
		case AT_SECURE:
		case AT_HWCAP2:
		case AT_NULL:
			if (val != 0)
				return 66;
			break;
		case AT_ENTRY:
			if (val != (uintptr_t)_start)
				return 67;
			break;
		case AT_UID:
			if (val != (uint64_t)getuid())
				return 68;
			break;
		case AT_EUID:
			if (val != (uint64_t)geteuid())
				return 68;
			break;
		case AT_GID:
			if (val != (uint64_t)getgid())
				return 68;
			break;
		case AT_EGID:
			if (val != (uint64_t)getegid())
				return 68;
			break;
		case AT_RANDOM:
			/* On the stack, above the vector, below the strings. */
			if (val <= (uintptr_t)(v + 2) || val + 16 > strings)
				return 69;
			*random = (const uint8_t *)val;
			break;
		case AT_EXECFN:
			if (strcmp((const char *)val, execfn) != 0)
				return 70;
			break;
		case AT_PLATFORM:
			if (strcmp((const char *)val, "x86_64") != 0 || val > strings)
				return 71;
			break;
		}
	}
	/* getauxval (musl's copy of the vector) agrees. */
	if (getauxval(AT_PAGESZ) != 4096 || getauxval(AT_RANDOM) != (uintptr_t)*random)
		return 72;
	(void)argc;
	return 0;
}

static void
hex(const uint8_t *b, char *out)
{
	for (int i = 0; i < 16; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static int
mode_check(int argc, char **argv)
{
	char **envp = environ;
	const uint8_t *random = NULL;
	static uint8_t zero[16];
	int r;

	/* musl's _start hands main the stack as the kernel left it: argv at rsp + 8. */
	if (((uintptr_t)argv - 8) % 16 != 0)
		return 10;
	if (argc != 5 && argc != 6)
		return 11;
	for (int i = 0; i < 5; i++)
		if (strcmp(argv[i], check_argv[i]) != 0)
			return 12 + i;
	if (argv[argc] != NULL)
		return 17;
	for (int i = 0; i < 3; i++)
		if (!envp[i] || strcmp(envp[i], check_envp[i]) != 0)
			return 20 + i;
	if (!envp[3] || envp[3][0] != '\0')
		return 23;
	if (envp[4] != NULL)
		return 24;
	if ((r = check_auxv(argc, argv, envp, "/bin/exectest", &random)))
		return r;
	if (memcmp(random, zero, 16) == 0)
		return 30;
	if (argc == 6 && strcmp(argv[5], "again") == 0) {
		char h[33];
		char *again[] = { "exectest", "differ", h, NULL };

		hex(random, h);
		return raw_execve("/bin/exectest", again, check_envp) == 0 ? 31 : 32;
	}
	return 0;
}

/* Exec'd by check: AT_RANDOM's bytes are not the previous image's. */
static int
mode_differ(int argc, char **argv)
{
	const uint8_t *random = (const uint8_t *)getauxval(AT_RANDOM);
	char h[33];

	if (argc != 3 || !random)
		return 33;
	hex(random, h);
	return strcmp(h, argv[2]) == 0 ? 34 : 0;
}

/* ---- errors ------------------------------------------------------------------------ */

static int
expect(long got, long want, int code)
{
	return got == want ? 0 : code;
}

static int
mode_errors(void)
{
	static char longpath[5000], big[200 * 1024], mid[100 * 1024];
	char *argv[] = { "x", NULL };
	char *bad_string[] = { "x", (char *)0x10, NULL };
	char *too_long[] = { "x", big, NULL };
	char *too_many[] = { "x", mid, mid, mid, NULL };
	char *unmapped[] = { "x", (char *)0x10000000, NULL };
	int r;

	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	memset(big, 'b', sizeof(big) - 1);
	memset(mid, 'm', sizeof(mid) - 1);
	if ((r = expect(raw_execve("/boot/nosuch", argv, NULL), -ENOENT, 101)) ||
	    (r = expect(raw_execve("", argv, NULL), -ENOENT, 102)) ||
	    (r = expect(raw_execve((void *)1, argv, NULL), -EFAULT, 103)) ||
	    (r = expect(raw_execve((void *)0xffff800000000000ULL, argv, NULL), -EFAULT, 104)) ||
	    (r = expect(raw_execve(longpath, argv, NULL), -ENAMETOOLONG, 105)) ||
	    (r = expect(raw_execve("/bin/exectest", (void *)1, NULL), -EFAULT, 106)) ||
	    (r = expect(raw_execve("/bin/exectest", bad_string, NULL), -EFAULT, 107)) ||
	    (r = expect(raw_execve("/bin/exectest", unmapped, NULL), -EFAULT, 108)) ||
	    (r = expect(raw_execve("/bin/exectest", argv, (void *)-4096L), -EFAULT, 109)) ||
	    (r = expect(raw_execve("/bin/exectest", too_long, NULL), -E2BIG, 110)) ||
	    (r = expect(raw_execve("/bin/exectest", argv, too_many), -E2BIG, 111)) ||
	    (r = expect(raw_execve("/bin/xt_trunc", argv, NULL), -ENOEXEC, 112)) ||
	    (r = expect(raw_execve("/bin/xt_corrupt", argv, NULL), -ENOEXEC, 113)) ||
	    (r = expect(raw_execve("/bin/xt_text", argv, NULL), -ENOEXEC, 114)) ||
	    (r = expect(raw_execve("/bin/xt_loop", argv, NULL), -ELOOP, 115)) ||
	    (r = expect(raw_execve("/bin/xt_noint", argv, NULL), -ENOENT, 116)) ||
	    (r = expect(raw_execve("/boot/", argv, NULL), -ENOENT, 117)) ||
	    /* VFS's answers: a missing file, a directory, no execute permission, ENOTDIR. */
	    (r = expect(raw_execve("/bin/nosuch", argv, NULL), -ENOENT, 118)) ||
	    (r = expect(raw_execve("/bin", argv, NULL), -EACCES, 119)) ||
	    (r = expect(raw_execve("/bin/xt_noexec", argv, NULL), -EACCES, 120)) ||
	    (r = expect(raw_execve("/bin/exectest/x", argv, NULL), -ENOTDIR, 121)) ||
	    (r = expect(raw_execve("/boot/nosuch/x", argv, NULL), -ENOENT, 122)))
		return r;
	return 0; /* still here, after every one */
}

/* ---- scripts and busybox ---------------------------------------------------------- */

static int
mode_toscript(void)
{
	char *argv[] = { "xt_script", "one", NULL };

	return raw_execve("/bin/xt_script", argv, check_envp) == 0 ? 80 : 81;
}

/* ---- big arguments -------------------------------------------------------------- */

#define BIG_ARG (100 * 1024) /* NUL included */
#define BIG_ENV (60 * 1024)

/* s is `len` bytes of c. */
static bool
is_big(const char *s, char c, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] != c)
			return false;
	return true;
}

/* The strings from the heap: in bss they would be part of every fork of this program (make bench's). */
static int
mode_big(bool script)
{
	char *big_arg = calloc(1, BIG_ARG), *big_env = calloc(1, BIG_ENV);
	char *argv[] = { "exectest", "bigcheck", big_arg, NULL };
	char *sargv[] = { "xt_script", "one", big_arg, NULL };
	char *envp[] = { "A=1", big_env, NULL };

	if (!big_arg || !big_env)
		return 135;
	memset(big_arg, 'g', BIG_ARG - 1);
	memcpy(big_env, "BIG=", 4);
	memset(big_env + 4, 'e', BIG_ENV - 5);
	if (script)
		return raw_execve("/bin/xt_script", sargv, envp) == 0 ? 130 : 131;
	return raw_execve("/bin/exectest", argv, envp) == 0 ? 130 : 131;
}

static int
mode_bigcheck(int argc, char **argv)
{
	if (argc != 3 || !is_big(argv[2], 'g', BIG_ARG - 1))
		return 132;
	if (!environ[0] || strcmp(environ[0], "A=1") != 0 || !environ[1] ||
	    strncmp(environ[1], "BIG=", 4) != 0 || !is_big(environ[1] + 4, 'e', BIG_ENV - 5) ||
	    environ[2])
		return 133;
	return 0;
}

/* Run as the interpreter of /bin/xt_script: "#!/bin/exectest scripted" (bigscript: one more, big). */
static int
mode_scripted(int argc, char **argv)
{
	const uint8_t *random;

	if ((argc != 4 && argc != 5) || strcmp(argv[0], "/bin/exectest") != 0 ||
	    strcmp(argv[1], "scripted") || strcmp(argv[2], "/bin/xt_script") ||
	    strcmp(argv[3], "one"))
		return 82;
	if (argc == 5 && !is_big(argv[4], 'g', BIG_ARG - 1))
		return 134;
	if (strcmp((const char *)getauxval(AT_EXECFN), "/bin/xt_script") != 0)
		return 83;
	random = (const uint8_t *)getauxval(AT_RANDOM);
	return random ? 0 : 84;
}

/* The busybox command lines the harness asks for, by number. */
static int
mode_bb(const char *which)
{
	static char *const sets[][6] = {
		{ "busybox", "true", NULL },
		{ "busybox", "false", NULL },
		{ "busybox", "sh", "-c", "a=$((6*7)); exit $a", NULL },
		{ "busybox", "sh", "-c", "a=$((6*7)); echo $a; exit $((a + 1))", NULL },
		{ "sh", "-c", "exit 7", NULL }, /* applet by argv[0] */
	};
	int n = atoi(which);

	if (n < 0 || n >= (int)(sizeof(sets) / sizeof(sets[0])))
		return 90;
	return raw_execve("/bin/busybox", sets[n], check_envp) == 0 ? 91 : 92;
}

/* Set N of bbout: busybox's argv and what it must write to stdout. */
static const struct {
	char *argv[6];
	const char *out;
} bbout_sets[] = {
	{ { "busybox", "echo", "hello", "world", NULL }, "hello world\n" },
	{ { "busybox", "sh", "-c", "a=$((6*7)); echo $a", NULL }, "42\n" },
};

/* A child runs busybox with its stdout on a file; the file holds the expected bytes. */
static int
mode_bbout(const char *which)
{
	char path[64], buf[64];
	int n = atoi(which), fd, st;
	long pid, got;

	if (n < 0 || n >= (int)(sizeof(bbout_sets) / sizeof(bbout_sets[0])))
		return 93;
	snprintf(path, sizeof(path), "/tmp/exectest.%ld", (long)getpid());
	if ((fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600)) < 0)
		return 94;
	if ((pid = syscall(SYS_fork)) == 0) {
		if (dup2(fd, 1) != 1)
			syscall(SYS_exit_group, 126);
		raw_execve("/bin/busybox", bbout_sets[n].argv, check_envp);
		syscall(SYS_exit_group, 127);
	}
	if (pid < 0 || syscall(SYS_wait4, pid, &st, 0, NULL) != pid)
		return 95;
	if (st != 0)
		return 96;
	got = pread(fd, buf, sizeof(buf) - 1, 0);
	close(fd);
	unlink(path);
	if (got < 0)
		return 97;
	buf[got] = '\0';
	return strcmp(buf, bbout_sets[n].out) == 0 ? 0 : 98;
}

/* fork, execve("/bin/busybox", {"true"}), wait4: raw calls, as linux_bench's twin. */
static int
mode_forkexec(int n)
{
	static char *const argv[] = { "true", NULL };

	for (int i = 0; i < n; i++) {
		long pid = syscall(SYS_fork);
		int st;

		if (pid == 0) {
			raw_execve("/bin/busybox", argv, NULL);
			syscall(SYS_exit_group, 127);
		}
		if (pid < 0 || syscall(SYS_wait4, pid, &st, 0, NULL) != pid || st != 0)
			return 1;
	}
	return 0;
}

/* ---- rewrite / mark: an executable written after its exec ------------------------ */

/*
 * The mark: a digit in this program's read-only data that `rewrite`
 * changes in a copy of the file.  mode_mark returns it; the key that finds
 * it is built at run time, so the file holds the marked string once.
 */
static const char mark[] = "EXECTEST_MARK=0";

static int
mode_mark(void)
{
	return *(volatile const char *)&mark[sizeof(mark) - 2] - '0';
}

/* fork, execve(path, {path, "mark"}), wait4: the child's exit code, or 100+. */
static int
run_mark(const char *path)
{
	char *const argv[] = { (char *)path, "mark", NULL };
	long pid = syscall(SYS_fork);
	int st;

	if (pid == 0) {
		raw_execve(path, argv, check_envp);
		syscall(SYS_exit_group, 127);
	}
	if (pid < 0 || syscall(SYS_wait4, pid, &st, 0, NULL) != pid || (st & 0x7f))
		return 100;
	return (st >> 8) & 0xff;
}

/* Where the mark's digit (a '0') is in the file image buf[0..len): its offset, or -1. */
static long
find_mark(const char *buf, long len)
{
	char key[sizeof(mark)];
	size_t klen = sizeof(mark) - 2;

	for (size_t i = 0; i < klen; i++)
		key[i] = (char)(mark[i] ^ 1) ^ 1; /* a copy made here, not a literal */
	for (long i = 0; i + (long)klen < len; i++)
		if (!memcmp(buf + i, key, klen) && buf[i + (long)klen] == '0')
			return i + (long)klen;
	return -1;
}

/*
 * VM's page cache of executables (servers/vm/cache.c) is keyed by VFS's
 * file id, which changes when the file is written: a copy of this program
 * in /tmp runs with mark 0, is patched in place (pwrite) to 1 and run
 * again, rewritten whole (O_TRUNC) with 2 and run again, each exec seeing
 * the bytes the file holds now, not the cached ones.
 */
static int
mode_rewrite(void)
{
	static char img[1 << 20];
	const char *path = "/tmp/exectest.rewrite";
	long len, at;
	int fd, r = 0;

	if ((fd = open("/bin/exectest", O_RDONLY)) < 0)
		return 80;
	len = read(fd, img, sizeof(img));
	close(fd);
	if (len <= 0 || len == (long)sizeof(img) || (at = find_mark(img, len)) < 0)
		return 81;
	if ((fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0755)) < 0 || write(fd, img, len) != len)
		return 82;
	close(fd);
	if (run_mark(path) != 0 || run_mark(path) != 0)
		r = 83;
	if (!r && ((fd = open(path, O_WRONLY)) < 0 || pwrite(fd, "1", 1, at) != 1))
		r = 84;
	close(fd);
	if (!r && run_mark(path) != 1)
		r = 85;
	img[at] = '2';
	if (!r && ((fd = open(path, O_TRUNC | O_WRONLY)) < 0 || write(fd, img, len) != len))
		r = 86;
	close(fd);
	if (!r && run_mark(path) != 2)
		r = 87;
	unlink(path);
	return r;
}

/* ---- bbtrue / shscript: busybox's shell, for make bench ---------------------------- */

/*
 * This program becomes `busybox sh -c` with a loop that runs cmd n times
 * (its status is the loop's: 0 when every round succeeded).  make bench
 * times it with n rounds and with none (tests/bench/bench.c's bench_user);
 * linux_bench runs the same command line on Linux.
 */
static int
mode_shloop(int n, const char *cmd)
{
	static char script[256];
	char *const argv[] = { "sh", "-c", script, NULL };

	snprintf(script, sizeof(script),
		 "i=0; while [ $i -lt %d ]; do %s || exit 1; i=$((i + 1)); done", n, cmd);
	raw_execve("/bin/busybox", argv, check_envp);
	return 127;
}

/* ---- exe: /proc/self/exe ---------------------------------------------------------- */

/* readlink(path) is "/bin/exectest": 0, else 1. */
static int
exe_is_ours(const char *path)
{
	char buf[64];
	ssize_t n = readlink(path, buf, sizeof(buf));

	return n == 13 && memcmp(buf, "/bin/exectest", 13) == 0 ? 0 : 1;
}

/*
 * Run from /bin/exectest (mode exe execs it): with procfs on /proc, our
 * exe link and our pid's name /bin/exectest; a child that execs
 * /proc/self/exe (as busybox's shell runs its applets) runs this program
 * again and its link names the file, not itself.
 */
static int
mode_exe2(void)
{
	char path[64];
	char *const argv[] = { "exectest", "exe3", NULL };
	bool mounted = mount("proc", "/proc", "proc", 0, NULL) == 0;
	long pid;
	int st, r = 0;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)getpid());
	if (exe_is_ours("/proc/self/exe") || exe_is_ours(path))
		r = 60;
	if (!r && (pid = syscall(SYS_fork)) == 0) {
		long e = raw_execve("/proc/self/exe", argv, check_envp);

		syscall(SYS_exit_group, e < 0 && e > -100 ? 100 - e : 127); /* 101..199: -errno */
	}
	if (!r && (pid < 0 || syscall(SYS_wait4, pid, &st, 0, NULL) != pid))
		r = 61;
	if (!r && st != 0)
		r = (st & 0x7f)     ? 64
		    : st >> 8 > 100 ? st >> 8
				    : 65; /* killed, exec's errno, check */
	if (mounted)
		umount("/proc");
	return r;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "chain") || !strcmp(mode, "chain_again"))
		return mode_chain(!strcmp(mode, "chain_again"));
	if (!strcmp(mode, "check"))
		return mode_check(argc, argv);
	if (!strcmp(mode, "differ"))
		return mode_differ(argc, argv);
	if (!strcmp(mode, "errors"))
		return mode_errors();
	if (!strcmp(mode, "toscript"))
		return mode_toscript();
	if (!strcmp(mode, "scripted"))
		return mode_scripted(argc, argv);
	if (!strcmp(mode, "big") || !strcmp(mode, "bigscript"))
		return mode_big(!strcmp(mode, "bigscript"));
	if (!strcmp(mode, "bigcheck"))
		return mode_bigcheck(argc, argv);
	if (!strcmp(mode, "bb") && argc > 2)
		return mode_bb(argv[2]);
	if (!strcmp(mode, "bbout") && argc > 2)
		return mode_bbout(argv[2]);
	if (!strcmp(mode, "exe")) {
		char *const exe_argv[] = { "exectest", "exe2", NULL };

		raw_execve("/bin/exectest", exe_argv, check_envp);
		return 62;
	}
	if (!strcmp(mode, "exe2"))
		return mode_exe2();
	if (!strcmp(mode, "exe3"))
		return exe_is_ours("/proc/self/exe") ? 63 : 0;
	if (!strcmp(mode, "mark"))
		return mode_mark();
	if (!strcmp(mode, "rewrite"))
		return mode_rewrite();
	if (!strcmp(mode, "bbtrue") && argc > 2)
		return mode_shloop(atoi(argv[2]), "busybox true");
	if (!strcmp(mode, "shscript") && argc > 2)
		return mode_shloop(atoi(argv[2]), "busybox sh /bin/shell_script.sh /tmp");
	if (!strcmp(mode, "forkexec") && argc > 2)
		return mode_forkexec(atoi(argv[2]));
	return 99;
}
