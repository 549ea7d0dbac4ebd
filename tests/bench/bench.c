/*
 * bench: the benchmark runner, booted in bench mode under QEMU's
 * -icount shift=0, where the time-stamp counter advances one tick per guest
 * instruction.  Each figure is the median of many individually timed
 * operations, minus the cost of the timing itself, and is printed as
 * "BENCH name value unit" for tools/axrun.py.
 *
 *   ipc_roundtrip_insns    SENDREC to bench_srv (another address space) and
 *                          its reply (SEND, then RECEIVE for the next one)
 *   ipc_replyrecv_roundtrip_insns  the same, bench_srv answering with
 *                          REPLYRECV (reply and next receive in one call)
 *   ipc_replyrecv_roundtrip_200ready_insns  the same with 200 spinners
 *                          (spinners.h) ready at bench_srv's priority: the
 *                          cost must not grow with the ready queue (1% of
 *                          the rounds: should bench_srv's quantum end inside
 *                          the run, it waits behind all 200 of them, and so
 *                          do the services at its priority)
 *   notify_insns           a NOTIFY that leaves a pending bit (the target is
 *                          not waiting), the non-blocking path
 *   kcall_roundtrip_insns  the cheapest kernel call, getinfo(WHOAMI)
 *   restart_insns          hello killed, until its driver-up event reaches a
 *                          client through DS (RS restarts it fresh)
 *   lu_insns               an update request to RS, until its reply
 *   lu_blocked_insns       a request to hello issued right after the update
 *                          request: how long a client waits during an update
 * (the last three: median of SERVICE_ROUNDS)
 *   safecopy_N_insns       sys_safecopyfrom of N bytes (8, 4k, 64k) from a
 *                          grant bench_srv made for bench (page-aligned)
 *   memcpy_64k_insns       a plain 64 KiB memcpy inside bench, the yardstick
 *                          for safecopy_64k_insns
 *   service_brk_page_insns sbrk(4096) then sbrk(-4096) in this service:
 *                          a zeroed page mapped and unmapped again (two
 *                          VM_BRK requests)
 *   malloc_free_64_insns   malloc(64) then free() of it, the heap warm
 *   bdev_read_4k_insns     one bdev_read of 4 KiB from a RAM disk of the
 *                          memory driver: libbdev's grant, the BDEV_READ
 *                          round trip, libblockdriver's checks, the copy
 *   bdev_read_64k_insns    the same for 64 KiB (beside memcpy_64k_insns)
 *   bdev_write_64k_insns   one bdev_write of 64 KiB (the disk not kept)
 *   getpid_insns           a Linux getpid of a static musl program
 *                          (user/lxtest): the kernel's trap, the request to
 *                          PM, PM's reply into rax.  The program cannot
 *                          report (no VFS yet), so this one is the mean,
 *                          not the median: PM runs it with `rounds` calls
 *                          and with none, and the difference of the two
 *                          whole runs (start to the end PM reports) is
 *                          divided by `rounds` (clock ticks included)
 *   fork_exec_wait_insns   fork, the child's execve of busybox true (from the
 *                          root file system) and the parent's wait4
 *                          (user/exectest's forkexec), as fork_exit_wait's
 *   busybox_true_insns     `busybox true` as busybox's shell runs it (fork,
 *                          exec of /proc/self/exe, wait): a loop of them in
 *                          `busybox sh -c`, less the same loop run no times,
 *                          per round (user/exectest's bbtrue)
 *   shell_script_insns     one run of tests/bench/shell_script.sh by
 *                          busybox sh (loops, forks, pipes, a small file tree
 *                          in /tmp), measured the same way (shscript); the
 *                          Linux twin runs the same file from the same image
 *   pipe_roundtrip_insns   one byte there and back over two pipes between
 *                          two processes of a static musl program
 *                          (user/vfsdev pingpong): write, the reader woken
 *                          in VFS, its write back, the first one's read;
 *                          the mean, measured as getpid_insns is (beside
 *                          linux_pipe_roundtrip_insns)
 *   fork_exit_wait_insns   fork, the child's _exit and the parent's wait4 in
 *                          a static musl program (user/proctest), the mean
 *                          over FORK_ROUNDS measured as getpid_insns is
 *   open_close_insns       open and close of a file of the root file system
 *   stat_insns             stat of it
 *   read_4k_cached_insns   pread of 4 KiB that MFS has in its cache
 *   write_4k_insns         pwrite of 4 KiB over the same 4 KiB of a file
 *   create_unlink_insns    open(O_CREAT|O_EXCL), close, unlink in /tmp
 *                          (the five: user/vfstest's bench modes, the mean
 *                          over VFS_ROUNDS measured as getpid_insns is)
 *   signal_roundtrip_insns one kill of itself by a static musl program
 *                          (user/sigtest), its handler (empty but for a
 *                          count) and rt_sigreturn: the kill to PM, PM's
 *                          sigctl FRAME that answers it, the handler, the
 *                          kernel's sigreturn and its message to PM.  The
 *                          mean, as getpid_insns
 *   page_fault_insns       a first touch of an anonymous page of a static
 *                          musl program (user/lxvm): the fault, the kernel's
 *                          message to VM, a zeroed frame mapped, VM's reply,
 *                          the instruction again; measured as getpid_insns is,
 *                          over PF_PAGES pages (each page's share of the
 *                          freeing at exit included)
 *   brk_page_insns         the same program's break up a page, the page's
 *                          first touch and the break back (three calls to
 *                          VM and a fault), as Linux's twin measures it
 *   mmap_file_insns        the same program's mmap of a page of a file
 *                          (/bin/lxvm, in VM's page cache), its first touch
 *                          and munmap: VM asks VFS (asynsend both ways), VFS
 *                          asks the FS for the size, VM maps the cached
 *                          frame; Linux's twin maps /mnt/bin/lxvm
 *
 * The 64 KiB figures run a sixteenth of the rounds: they are long enough
 * that fewer samples settle the median, and the run stays short.
 *
 * The kernel command line after "bench" may give the rounds and
 * "only=P1,P2": only the figures whose names begin with P1 or P2 (make
 * bench ONLY=ipc,kcall), for a quick look while changing a path.
 *
 * Every figure is measured in the one boot, after those before it, so a
 * figure may include state that the earlier ones left (a warm cache, a
 * table in use): with ONLY= it may differ from the full run's.  The
 * instruction count of one build does not depend on the directory it was
 * built in, nor on the run.  restart_insns and lu_insns once rose by 6,500
 * per process death when mmap_file_insns ran first (its mmap made VM
 * register a SENDA table, and the kernel read all 64 entries of every
 * registered table at each death: kernel/ipc_async.c, ipc_async_cancel);
 * the full run gave 127,646 and 282,295, ONLY=restart,lu 121,452 and
 * 269,591, which was taken for an effect of code layout.  Such a gap is
 * worth finding: it is a cost that grows with what the system did before.
 */
#include <libsys.h>
#include <sef.h>
#include <ax/ds.h>
#include <cdev_client.h>
#include <bdev.h>
#include <ax/memory.h>
#include <ax/rs.h>
#include <ax/signal.h>
#include <ax/pm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench_proto.h"
#include "spinners.h"

#define ROUNDS        100000 /* default; "bench N" on the kernel command line */
#define FORK_ROUNDS   200    /* fork_exit_wait_insns: each round is a whole process */
#define EXEC_ROUNDS   50     /* fork_exec_wait_insns: each round execs busybox */
#define SCRIPT_ROUNDS 3      /* shell_script_insns: each round is a whole script */
#define VFS_ROUNDS    2000   /* the file benchmarks (user/vfstest's bench modes) */
#define WARMUP        1000
#define HIST_MAX      32768 /* a 64 KiB copy is ~8200 */

static uint32_t hist[HIST_MAX + 1];
static int rounds = ROUNDS;
static char only[32]; /* "only=P1,P2" of the command line: the list, or "" (all) */

static void
hist_reset(void)
{
	memset(hist, 0, sizeof(hist));
}

static void
hist_add(uint64_t v)
{
	hist[v < HIST_MAX ? v : HIST_MAX]++;
}

static uint64_t
hist_median(uint64_t n)
{
	uint64_t seen = 0;

	for (uint64_t v = 0; v <= HIST_MAX; v++)
		if ((seen += hist[v]) > n / 2)
			return v;
	return HIST_MAX;
}

typedef void (*bench_op)(void *arg);

/* Median instructions of op over n timed runs, after a warm-up. */
static uint64_t
measure_n(bench_op op, void *arg, int n)
{
	for (int i = 0; i < WARMUP && i < n; i++)
		op(arg);
	hist_reset();
	for (int i = 0; i < n; i++) {
		uint64_t t0 = read_tsc();

		op(arg);
		hist_add(read_tsc() - t0);
	}
	return hist_median(n);
}

static uint64_t
measure(bench_op op, void *arg)
{
	return measure_n(op, arg, rounds);
}

static void
op_nothing(void *arg)
{
	(void)arg;
}

static void
op_roundtrip(void *arg)
{
	message m;

	m.m_type = 1;
	ipc_sendrec(*(endpoint_t *)arg, &m);
}

static void
op_roundtrip_replyrecv(void *arg)
{
	message m;

	m.m_type = BENCH_REPLYRECV;
	ipc_sendrec(*(endpoint_t *)arg, &m);
}

static void
op_notify(void *arg)
{
	(void)arg;
	ipc_notify(self_endpoint);
}

static void
op_kcall(void *arg)
{
	message m;

	(void)arg;
	memset(&m, 0, 16);
	m.m_sys_getinfo.what = GETINFO_WHOAMI;
	kernel_call(KCALL_GETINFO, &m);
}

static void
op_brk_page(void *arg)
{
	(void)arg;
	sbrk(4096);
	sbrk(-4096);
}

static void
op_malloc_free(void *arg)
{
	(void)arg;
	free(malloc(64));
}

/* A safecopy from bench_srv's grant: what the driver side of a read costs. */
struct copy_job {
	endpoint_t owner;
	grant_id_t grant;
	size_t bytes;
};

static uint8_t copy_dst[BENCH_GRANT_SIZE] __attribute__((aligned(4096)));
static uint8_t copy_src[BENCH_GRANT_SIZE] __attribute__((aligned(4096)));

static void
op_safecopy(void *arg)
{
	struct copy_job *job = arg;

	if (sys_safecopyfrom(job->owner, job->grant, 0, copy_dst, job->bytes) < 0)
		panic("safecopy of %zu bytes failed", job->bytes);
}

static void
op_memcpy(void *arg)
{
	(void)arg;
	memcpy(copy_dst, copy_src, sizeof(copy_dst));
	__asm__ volatile("" : : : "memory"); /* keep the copy */
}

static grant_id_t
ask_grant(endpoint_t srv)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = BENCH_GRANT;
	if (ipc_sendrec(srv, &m) < 0 || m.m_type < 0)
		panic("bench_srv made no grant");
	return (grant_id_t)m.m_u64.v[0];
}

#define SERVICE_ROUNDS 100

static uint64_t samples[SERVICE_ROUNDS], samples2[SERVICE_ROUNDS];

static uint64_t
median_of(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Kill hello; wait for the driver-up event naming its new endpoint.  Rounds
 * are spaced so each is a first death (no backoff). */
static uint64_t
bench_restart(void)
{
	endpoint_t ds = NONE, h = NONE, owner;
	char key[DS_MAX_KEYLEN];
	uint64_t status;
	message m;
	int type;

	if (sys_lookup("ds", &ds) < 0 || ds_subscribe("hello", 0) < 0)
		panic("no DS");
	for (int i = 0; i < SERVICE_ROUNDS; i++) {
		tickdelay(6);
		if (ds_retrieve_label("hello", &h) < 0)
			panic("hello is not in DS");
		uint64_t t0 = read_tsc();
		endpoint_t now = h;

		sys_kill(h, SIGKILL);
		while (now == h) { /* a notification may be left from before */
			ipc_receive(ds, &m, &status);
			while (ds_check(key, &type, &owner) == 0)
				;
			if (ds_retrieve_label("hello", &now) < 0)
				now = h;
		}
		samples[i] = read_tsc() - t0;
	}
	return median_of(samples, SERVICE_ROUNDS);
}

/* Update hello back and forth between its two builds. */
static void
bench_update(uint64_t *total, uint64_t *blocked)
{
	endpoint_t rs = NONE, h = NONE;
	uint64_t status;
	message m, req;

	if (sys_lookup("rs", &rs) < 0 || ds_retrieve_label("hello", &h) < 0)
		panic("no RS or no hello");
	for (int i = 0; i < SERVICE_ROUNDS; i++) {
		memset(&req, 0, sizeof(req));
		req.m_type = RS_UPDATE;
		strlcpy(req.m_rs_update.label, "hello", sizeof(req.m_rs_update.label));
		strlcpy(req.m_rs_update.program, i % 2 ? "hello" : "hello_v2", PROC_NAME_LEN);
		req.m_rs_update.state = SEF_LU_STATE_WORK_FREE;
		req.m_rs_update.maxtime = 100;
		uint64_t t0 = read_tsc();
		asynsend(rs, &req);
		uint64_t t1 = read_tsc();
		if (cdev_open(h, 0, CDEV_R_BIT) < 0)
			panic("hello refused an open during update %d", i);
		samples2[i] = read_tsc() - t1;
		ipc_receive(rs, &m, &status);
		samples[i] = read_tsc() - t0;
		if (m.m_type != 0)
			panic("update %d failed: %d", i, m.m_type);
	}
	*total = median_of(samples, SERVICE_ROUNDS);
	*blocked = median_of(samples2, SERVICE_ROUNDS);
}

/*
 * Is the figure `name` wanted?  "only=P1,P2" on the kernel command line
 * (make bench ONLY=P1,P2) measures only the figures whose names begin with
 * one of the prefixes: a quick look at a few while changing the code.
 */
static bool
want(const char *name)
{
	const char *p = only, *next;

	if (!*p)
		return true;
	for (; *p; p = next) {
		size_t n = 0;

		while (p[n] && p[n] != ',' && p[n] != ' ')
			n++;

		next = p[n] == ',' ? p + n + 1 : p + n;
		if (n && strncmp(name, p, n) == 0)
			return true;
		if (p[n] == ' ')
			break;
	}
	return false;
}

static void
report(const char *name, uint64_t value, const char *unit)
{
	printf("BENCH %s %llu %s\n", name, (unsigned long long)value, unit);
}

#define SRV_PRIO    12 /* bench_srv's priority (kernel/table.c: USER_Q) */
#define NR_SPINNERS 200

static endpoint_t spinner[NR_SPINNERS];

static void
bench_many_ready(endpoint_t srv, uint64_t overhead)
{
	int n = rounds / 100 > 0 ? rounds / 100 : 1;

	if (!want("ipc_replyrecv_roundtrip_200ready_insns"))
		return;
	if (spinners_start(spinner, NR_SPINNERS, SRV_PRIO) < 0)
		panic("could not start %d spinners", NR_SPINNERS);
	report("ipc_replyrecv_roundtrip_200ready_insns",
	       measure_n(op_roundtrip_replyrecv, &srv, n) - overhead, "insns");
	spinners_kill(spinner, NR_SPINNERS);
}

static void
copy_benchmarks(endpoint_t srv, uint64_t overhead)
{
	struct copy_job job = { srv, ask_grant(srv), 8 };
	int big_rounds = rounds / 16 > 0 ? rounds / 16 : 1;

	if (want("safecopy_8_insns"))
		report("safecopy_8_insns", measure(op_safecopy, &job) - overhead, "insns");
	job.bytes = 4096;
	if (want("safecopy_4k_insns"))
		report("safecopy_4k_insns", measure(op_safecopy, &job) - overhead, "insns");
	job.bytes = BENCH_GRANT_SIZE;
	if (want("safecopy_64k_insns"))
		report("safecopy_64k_insns", measure_n(op_safecopy, &job, big_rounds) - overhead,
		       "insns");
	if (want("memcpy_64k_insns"))
		report("memcpy_64k_insns", measure_n(op_memcpy, NULL, big_rounds) - overhead,
		       "insns");
}

struct bdev_job {
	bdev_t dev;
	size_t bytes;
};

static void
op_bdev_read(void *arg)
{
	struct bdev_job *job = arg;

	if (bdev_read(job->dev, 0, copy_dst, job->bytes, 0) != (int64_t)job->bytes)
		panic("bdev_read of %zu bytes failed", job->bytes);
}

static void
op_bdev_write(void *arg)
{
	struct bdev_job *job = arg;

	if (bdev_write(job->dev, 0, copy_src, job->bytes, 0) != (int64_t)job->bytes)
		panic("bdev_write of %zu bytes failed", job->bytes);
}

/* A request from libbdev to a RAM disk of the memory driver and back. */
static void
bdev_benchmarks(uint64_t overhead)
{
	int big_rounds = rounds / 16 > 0 ? rounds / 16 : 1;
	uint64_t size = sizeof(copy_dst);
	struct bdev_job job;
	int d, wait;

	/* We run above RS's services: the driver starts when we first wait. */
	for (wait = 0; (d = bdev_driver("memory")) < 0 && wait < 100; wait++)
		tickdelay(1);
	job = (struct bdev_job){ bdev_dev(d, MEMORY_RAM(0)), 4096 };
	if (d < 0 || bdev_open(job.dev, BDEV_R_BIT | BDEV_W_BIT) < 0 ||
	    bdev_ioctl(job.dev, MIOCRAMSIZE, &size) < 0)
		panic("no RAM disk from the memory driver");
	if (want("bdev_read_4k_insns"))
		report("bdev_read_4k_insns", measure(op_bdev_read, &job) - overhead, "insns");
	job.bytes = sizeof(copy_dst);
	if (want("bdev_read_64k_insns"))
		report("bdev_read_64k_insns", measure_n(op_bdev_read, &job, big_rounds) - overhead,
		       "insns");
	if (want("bdev_write_64k_insns"))
		report("bdev_write_64k_insns",
		       measure_n(op_bdev_write, &job, big_rounds) - overhead, "insns");
	bdev_close(job.dev);
}

/* Instructions from PM_START of a user program with args until PM_WAIT returns, or 0. */
static uint64_t
user_run(endpoint_t pm, const char *program, const char *args)
{
	uint64_t t0 = read_tsc();
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = PM_START;
	strlcpy(m.m_pm_request.program, program, sizeof(m.m_pm_request.program));
	strlcpy(m.m_pm_request.args, args, sizeof(m.m_pm_request.args));
	if (ipc_sendrec(pm, &m) < 0 || m.m_type != 0)
		return 0;
	m.m_pm_request.pid = m.m_pm_reply.pid;
	m.m_type = PM_WAIT;
	if (ipc_sendrec(pm, &m) < 0 || m.m_type != 0 || m.m_pm_reply.status != 0)
		return 0;
	return read_tsc() - t0;
}

/*
 * The mean cost of one round of a user program's mode (`program mode N`):
 * a run with n rounds less a run with none, over n (see the top).
 */
static void
bench_user(const char *name, const char *program, const char *mode, int n)
{
	char args[PM_ARGS_LEN];
	endpoint_t pm;
	uint64_t none, all;

	if (!want(name))
		return;
	if (sys_lookup("pm", &pm) < 0)
		panic("no pm");
	/*
	 * Warm with one round: PM's table, the image, and what the rounds use
	 * (busybox's pages in VM's page cache, as Linux's twin has them in its
	 * page cache before it measures).
	 */
	snprintf(args, sizeof(args), "%s 1", mode);
	user_run(pm, program, args);
	snprintf(args, sizeof(args), "%s 0", mode);
	none = user_run(pm, program, args);
	snprintf(args, sizeof(args), "%s %d", mode, n);
	all = user_run(pm, program, args);
	if (!none || all <= none)
		panic("%s %s did not run (%llu, %llu)", program, mode, (unsigned long long)none,
		      (unsigned long long)all);
	report(name, (all - none) / (uint64_t)n, "insns");
}

#define PF_PAGES 8192 /* page_fault_insns: 32 MiB fit VM's part of the bench machine */

int
main(int argc, char **argv)
{
	endpoint_t srv = NONE;
	uint64_t overhead, status;
	struct msg_sys_kinfo ki;
	message m;

	(void)argc;
	(void)argv;
	sef_startup(); /* RS started it (tests/bench/system.conf) */
	if (sys_getkinfo(&ki) == 0) {
		const char *o = strstr(ki.args, "only=");

		if (atoi(ki.args) > 0)
			rounds = atoi(ki.args);
		if (o)
			strlcpy(only, o + 5, sizeof(only));
	}
	if (sys_lookup("bench_srv", &srv) < 0)
		panic("no bench_srv");
	overhead = measure(op_nothing, NULL);
	if (want("ipc_roundtrip_insns"))
		report("ipc_roundtrip_insns", measure(op_roundtrip, &srv) - overhead, "insns");
	if (want("ipc_replyrecv_roundtrip_insns"))
		report("ipc_replyrecv_roundtrip_insns",
		       measure(op_roundtrip_replyrecv, &srv) - overhead, "insns");
	bench_many_ready(srv, overhead);
	if (want("notify_insns")) {
		report("notify_insns", measure(op_notify, NULL) - overhead, "insns");
		ipc_receive(self_endpoint, &m, &status); /* take the coalesced notification */
	}
	if (want("kcall_roundtrip_insns"))
		report("kcall_roundtrip_insns", measure(op_kcall, NULL) - overhead, "insns");
	copy_benchmarks(srv, overhead);
	/* brk first: once malloc has run, it owns the break. */
	if (want("service_brk_page_insns"))
		report("service_brk_page_insns", measure(op_brk_page, NULL) - overhead, "insns");
	if (want("malloc_free_64_insns"))
		report("malloc_free_64_insns", measure(op_malloc_free, NULL) - overhead, "insns");
	if (want("bdev_read_4k_insns") || want("bdev_read_64k_insns") ||
	    want("bdev_write_64k_insns"))
		bdev_benchmarks(overhead);
	bench_user("getpid_insns", "lxtest", "getpid", rounds);
	bench_user("fork_exit_wait_insns", "proctest", "forkwait", FORK_ROUNDS);
	bench_user("fork_exec_wait_insns", "exectest", "forkexec", EXEC_ROUNDS);
	bench_user("busybox_true_insns", "exectest", "bbtrue", EXEC_ROUNDS);
	bench_user("shell_script_insns", "exectest", "shscript", SCRIPT_ROUNDS);
	bench_user("open_close_insns", "vfstest", "open_close", VFS_ROUNDS);
	bench_user("stat_insns", "vfstest", "stat", VFS_ROUNDS);
	bench_user("read_4k_cached_insns", "vfstest", "read_4k", VFS_ROUNDS);
	bench_user("write_4k_insns", "vfstest", "write_4k", VFS_ROUNDS);
	bench_user("create_unlink_insns", "vfstest", "create_unlink", VFS_ROUNDS);
	bench_user("signal_roundtrip_insns", "sigtest", "roundtrip", rounds);
	bench_user("page_fault_insns", "lxvm", "touch", rounds < PF_PAGES ? rounds : PF_PAGES);
	bench_user("brk_page_insns", "lxvm", "brkpage", rounds);
	bench_user("mmap_file_insns", "lxvm", "mmapfile", rounds);
	bench_user("pipe_roundtrip_insns", "vfsdev", "pingpong", rounds);
	report("timing_overhead_insns", overhead, "insns");
	if (want("restart_insns"))
		report("restart_insns", bench_restart(), "insns");
	if (want("lu_insns") || want("lu_blocked_insns")) {
		uint64_t lu, blocked;

		bench_update(&lu, &blocked);
		report("lu_insns", lu, "insns");
		report("lu_blocked_insns", blocked, "insns");
	}
	sys_abort(ABORT_POWEROFF, 0);
	return 1;
}
