/*
 * linux_bench: the Linux side of Axolotl's instruction-count benchmarks.
 *
 * Runs as a static musl program inside an initramfs under Debian's Linux
 * kernel (tools/linux_twin.py boots it with the same QEMU flags as our own
 * benchmark run).  QEMU's -icount shift=0 makes the guest TSC advance one tick
 * per guest instruction, so an rdtsc difference is an exact instruction count.
 * Each operation is timed on its own; the median over many repetitions (kept
 * in a histogram, so no big sort) drops the rare samples hit by a timer tick.
 * The median of an empty rdtsc pair is subtracted from every figure.
 *
 * Output, on stdout:
 *   linux_pipe_roundtrip_insns N   one byte there and back over two pipes,
 *                                  between two processes
 *   linux_getpid_insns N           one raw getpid system call
 *   linux_fork_exit_wait_insns N   fork, the child's _exit, the parent's
 *                                  wait4 (raw calls, as user/proctest's)
 *   linux_fork_exec_wait_insns N   fork, the child's execve of busybox true,
 *                                  the parent's wait4 (as user/exectest's
 *                                  forkexec); the mean of EXEC_ROUNDS: a round
 *                                  may pass the histogram's range
 *   linux_busybox_true_insns N     `busybox true` in a busybox sh loop (the
 *                                  shell forks and execs /proc/self/exe),
 *                                  per round: n rounds less none, over n
 *   linux_shell_script_insns N     one run of /mnt/bin/shell_script.sh in
 *                                  /mnt/tmp (Axolotl's root image), the same
 *                                  way (tests/bench/shell_script.sh)
 *   linux_open_close_insns N       open and close of /mnt/vt/file
 *   linux_stat_insns N             stat of it
 *   linux_read_4k_cached_insns N   pread of 4 KiB of a cached file
 *   linux_write_4k_insns N         pwrite of 4 KiB over the same 4 KiB
 *   linux_create_unlink_insns N    open(O_CREAT|O_EXCL), close, unlink
 *   linux_signal_roundtrip_insns N kill of itself (raw), its handler (a count),
 *                                  rt_sigreturn through musl's restorer
 * The file figures are taken on /mnt: Axolotl's root image (build/rootfs),
 * a Minix v3 file system, copied onto Linux's RAM disk (brd) and mounted
 * with Linux's minix driver by the initramfs's /init.
 *   linux_page_fault_insns N       the first touch of a page of an anonymous
 *                                  private mapping (PF_PAGES of them)
 *   linux_brk_page_insns N         brk up by a page, its first touch, brk
 *                                  back down: a zeroed page mapped and
 *                                  unmapped, as Axolotl's brk_page_insns
 *   linux_mmap_file_insns N        mmap of a page of /mnt/bin/lxvm (cached),
 *                                  its first touch, munmap, as Axolotl's
 *                                  mmap_file_insns
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WARMUP        1000
#define ROUNDS        100000
#define HBUCKETS      1048576 /* fork rounds run to a few hundred thousand */
#define FORK_WARMUP   20
#define FORK_ROUNDS   2000
#define EXEC_WARMUP   5
#define EXEC_ROUNDS   200
#define SCRIPT_ROUNDS 3 /* linux_shell_script_insns: each round is a whole script */
#define FILE_WARMUP   200
#define FILE_ROUNDS   20000 /* the file figures: enough for a steady median, short enough a run */

/* Samples below HBUCKETS are counted per value; the rest only as overflow. */
static uint32_t hist[HBUCKETS];
static uint32_t overflow;
static uint32_t samples;

static inline uint64_t
tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

static void
die(const char *what)
{
	fprintf(stderr, "linux_bench: error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
hist_reset(void)
{
	memset(hist, 0, sizeof(hist));
	overflow = 0;
	samples = 0;
}

static void
hist_add(uint64_t d)
{
	if (d < HBUCKETS)
		hist[d]++;
	else
		overflow++;
	samples++;
}

/* The lower median of the samples so far; exits if it lies in the overflow. */
static uint64_t
hist_median(const char *what)
{
	uint32_t want = (samples - 1) / 2, seen = 0;

	for (uint32_t v = 0; v < HBUCKETS; v++) {
		seen += hist[v];
		if (seen > want)
			return v;
	}
	fprintf(stderr, "linux_bench: error: %s: median above %u (%u of %u samples)\n", what,
		HBUCKETS, overflow, samples);
	exit(1);
}

static uint64_t
bench_empty(void)
{
	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = tsc();
		uint64_t t1 = tsc();
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}
	return hist_median("empty rdtsc pair");
}

static uint64_t
bench_getpid(void)
{
	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = tsc();
		syscall(SYS_getpid);
		uint64_t t1 = tsc();
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}
	return hist_median("getpid");
}

/* fork, _exit in the child, wait4 in the parent: raw calls, as proctest's forkwait. */
static uint64_t
bench_fork_exit_wait(void)
{
	int status;

	hist_reset();
	for (int i = 0; i < FORK_WARMUP + FORK_ROUNDS; i++) {
		uint64_t t0 = tsc();
		long pid = syscall(SYS_fork);

		if (pid == 0)
			syscall(SYS_exit_group, 0);
		if (pid < 0 || syscall(SYS_wait4, pid, &status, 0, NULL) != pid || status != 0)
			die("fork");
		uint64_t t1 = tsc();
		if (i >= FORK_WARMUP)
			hist_add(t1 - t0);
	}
	return hist_median("fork exit wait");
}

/* fork, execve of busybox true in the child, wait4 in the parent: the mean per round. */
static uint64_t
bench_fork_exec_wait(void)
{
	static char *const argv[] = { "true", NULL };
	uint64_t t0 = 0;
	int status;

	for (int i = 0; i < EXEC_WARMUP + EXEC_ROUNDS; i++) {
		if (i == EXEC_WARMUP)
			t0 = tsc();
		long pid = syscall(SYS_fork);

		if (pid == 0) {
			syscall(SYS_execve, "/bin/busybox", argv, NULL);
			syscall(SYS_exit_group, 127);
		}
		if (pid < 0 || syscall(SYS_wait4, pid, &status, 0, NULL) != pid || status != 0)
			die("fork exec");
	}
	return (tsc() - t0) / EXEC_ROUNDS;
}

/*
 * busybox sh -c with a loop that runs cmd n times, in a child: the
 * instructions from fork to wait4 (as Axolotl's bench_user times
 * exectest's bbtrue and shscript).
 */
static uint64_t
run_shloop(int n, const char *cmd)
{
	static char script[256];
	static char *const envp[] = { "A=1", "EMPTY=", "PATH=/bin:/boot", NULL };
	char *const argv[] = { "sh", "-c", script, NULL };
	uint64_t t0;
	int status;

	snprintf(script, sizeof(script),
		 "i=0; while [ $i -lt %d ]; do %s || exit 1; i=$((i + 1)); done", n, cmd);
	t0 = tsc();
	long pid = syscall(SYS_fork);

	if (pid == 0) {
		syscall(SYS_execve, "/bin/busybox", argv, envp);
		syscall(SYS_exit_group, 127);
	}
	if (pid < 0 || syscall(SYS_wait4, pid, &status, 0, NULL) != pid || status != 0)
		die(cmd);
	return tsc() - t0;
}

/* A round of cmd in busybox's shell: (n rounds - none) / n, after a warm-up run. */
static uint64_t
bench_shloop(const char *cmd, int n)
{
	uint64_t none, all;

	run_shloop(1, cmd);
	none = run_shloop(0, cmd);
	all = run_shloop(n, cmd);
	return all > none ? (all - none) / (uint64_t)n : 0;
}

static volatile long handled;

static void
on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static uint64_t
bench_signal(void)
{
	struct sigaction sa;
	pid_t pid = getpid();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) < 0)
		die("sigaction");
	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = tsc();
		syscall(SYS_kill, pid, SIGUSR1);
		uint64_t t1 = tsc();
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}
	if (handled != WARMUP + ROUNDS) {
		fprintf(stderr, "linux_bench: error: %ld handlers ran\n", handled);
		exit(1);
	}
	return hist_median("signal round trip");
}

#define PF_PAGES 8192

static uint64_t
bench_page_fault(void)
{
	volatile uint8_t *p = mmap(NULL, PF_PAGES * 4096ul, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	hist_reset();
	for (int i = 0; i < PF_PAGES; i++) {
		uint64_t t0 = tsc();
		p[i * 4096ul] = 1;
		uint64_t t1 = tsc();
		hist_add(t1 - t0);
	}
	munmap((void *)p, PF_PAGES * 4096ul);
	return hist_median("page fault");
}

static uint64_t
bench_brk_page(void)
{
	uintptr_t b = (uintptr_t)syscall(SYS_brk, 0);

	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS / 10; i++) {
		uint64_t t0 = tsc();
		if ((uintptr_t)syscall(SYS_brk, b + 4096) != b + 4096)
			die("brk");
		*(volatile uint8_t *)b = 1;
		syscall(SYS_brk, b);
		uint64_t t1 = tsc();
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}
	return hist_median("brk page");
}

/* mmap of a page of a file in the page cache, its first touch, munmap. */
static uint64_t
bench_mmap_file(void)
{
	int fd = open("/mnt/bin/lxvm", O_RDONLY);

	if (fd < 0)
		die("/mnt/bin/lxvm");
	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS / 10; i++) {
		uint64_t t0 = tsc();
		volatile uint8_t *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p == MAP_FAILED || p[0] != 0x7f)
			die("mmap of a file");
		munmap((void *)p, 4096);
		uint64_t t1 = tsc();
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}
	close(fd);
	return hist_median("mmap file");
}

/* The child echoes every byte from `in` back on `out` until end of file. */
static void
echo_child(int in, int out)
{
	char c;
	ssize_t n;

	while ((n = read(in, &c, 1)) == 1) {
		if (write(out, &c, 1) != 1) {
			fprintf(stderr, "linux_bench: error: child write: %s\n", strerror(errno));
			_exit(1);
		}
	}
	if (n < 0) {
		fprintf(stderr, "linux_bench: error: child read: %s\n", strerror(errno));
		_exit(1);
	}
	_exit(0);
}

static uint64_t
bench_pipe(void)
{
	int to_child[2], to_parent[2], status;
	pid_t pid;
	char c = 'x';

	if (pipe(to_child) < 0 || pipe(to_parent) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		echo_child(to_child[0], to_parent[1]);
	}
	close(to_child[0]);
	close(to_parent[1]);

	hist_reset();
	for (int i = 0; i < WARMUP + ROUNDS; i++) {
		uint64_t t0 = tsc();
		if (write(to_child[1], &c, 1) != 1)
			die("write");
		ssize_t n = read(to_parent[0], &c, 1);
		uint64_t t1 = tsc();
		if (n != 1) {
			if (n == 0)
				errno = EPIPE;
			die("read");
		}
		if (i >= WARMUP)
			hist_add(t1 - t0);
	}

	close(to_child[1]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "linux_bench: error: echo child failed (status %#x)\n", status);
		exit(1);
	}
	close(to_parent[0]);
	return hist_median("pipe round trip");
}

/* The file operations of Axolotl's vfstest bench modes, on the Minix image at /mnt. */
enum fop { F_OPEN_CLOSE, F_STAT, F_READ_4K, F_WRITE_4K, F_CREATE_UNLINK };

static uint64_t
bench_file(enum fop op, const char *what)
{
	static char page[4096];
	struct stat st;
	int fd = -1;

	if (op == F_READ_4K || op == F_WRITE_4K) {
		fd = open("/mnt/tmp/bench4k", O_CREAT | O_RDWR | O_TRUNC, 0644);
		if (fd < 0 || pwrite(fd, page, 4096, 0) != 4096)
			die(what);
	}
	hist_reset();
	for (int i = 0; i < FILE_WARMUP + FILE_ROUNDS; i++) {
		uint64_t t0 = tsc();
		long r = 0;

		switch (op) {
		case F_OPEN_CLOSE:
			r = open("/mnt/vt/file", O_RDONLY);
			if (r >= 0)
				close((int)r);
			break;
		case F_STAT:
			r = stat("/mnt/vt/file", &st);
			break;
		case F_READ_4K:
			r = pread(fd, page, 4096, 0) == 4096 ? 0 : -1;
			break;
		case F_WRITE_4K:
			r = pwrite(fd, page, 4096, 0) == 4096 ? 0 : -1;
			break;
		case F_CREATE_UNLINK:
			r = open("/mnt/tmp/benchcu", O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (r >= 0) {
				close((int)r);
				r = unlink("/mnt/tmp/benchcu");
			}
			break;
		}
		uint64_t t1 = tsc();
		if (r < 0)
			die(what);
		if (i >= FILE_WARMUP)
			hist_add(t1 - t0);
	}
	if (fd >= 0) {
		close(fd);
		unlink("/mnt/tmp/bench4k");
	}
	return hist_median(what);
}

int
main(void)
{
	uint64_t empty = bench_empty();
	uint64_t pipe_rt = bench_pipe();
	uint64_t getpid_c = bench_getpid();
	uint64_t fork_c = bench_fork_exit_wait();
	uint64_t exec_c = bench_fork_exec_wait();
	uint64_t bbtrue = bench_shloop("busybox true", EXEC_ROUNDS);
	uint64_t script =
		bench_shloop("busybox sh /mnt/bin/shell_script.sh /mnt/tmp", SCRIPT_ROUNDS);
	uint64_t signal_rt = bench_signal();
	static const char *const fnames[] = { "open_close", "stat", "read_4k_cached", "write_4k",
					      "create_unlink" };
	uint64_t fc[5];

	for (int op = 0; op < 5; op++)
		fc[op] = bench_file((enum fop)op, fnames[op]);
	uint64_t fault = bench_page_fault();
	uint64_t brk_page = bench_brk_page();
	uint64_t mmap_file = bench_mmap_file();

	if (pipe_rt < empty || getpid_c < empty || fork_c < empty || exec_c < empty ||
	    signal_rt < empty || fault < empty || brk_page < empty || mmap_file < empty) {
		fprintf(stderr, "linux_bench: error: figure below the empty rdtsc pair (%llu)\n",
			(unsigned long long)empty);
		return 1;
	}
	printf("linux_pipe_roundtrip_insns %llu\n", (unsigned long long)(pipe_rt - empty));
	printf("linux_getpid_insns %llu\n", (unsigned long long)(getpid_c - empty));
	printf("linux_fork_exit_wait_insns %llu\n", (unsigned long long)(fork_c - empty));
	printf("linux_fork_exec_wait_insns %llu\n", (unsigned long long)(exec_c - empty));
	printf("linux_busybox_true_insns %llu\n", (unsigned long long)bbtrue);
	printf("linux_shell_script_insns %llu\n", (unsigned long long)script);
	for (int op = 0; op < 5; op++)
		printf("linux_%s_insns %llu\n", fnames[op],
		       (unsigned long long)(fc[op] > empty ? fc[op] - empty : 0));
	printf("linux_signal_roundtrip_insns %llu\n", (unsigned long long)(signal_rt - empty));
	printf("linux_page_fault_insns %llu\n", (unsigned long long)(fault - empty));
	printf("linux_brk_page_insns %llu\n", (unsigned long long)(brk_page - empty));
	printf("linux_mmap_file_insns %llu\n", (unsigned long long)(mmap_file - empty));
	if (fflush(stdout) != 0)
		die("stdout");
	return 0;
}
