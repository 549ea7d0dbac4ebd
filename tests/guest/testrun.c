/*
 * testrun: the in-guest test runner, booted in test mode.  Without
 * arguments it is the runner (runner.c): it starts every TEST of the
 * guest_tests section in a process of its own and powers the machine off
 * with status 0 if all passed, 1 otherwise (the harness reads the status
 * through isa-debug-exit).  With a test's index as its argument it is that
 * test's process: it runs the test, prints PASS or FAIL, and reports to the
 * runner.  This file also holds the helpers the tests share.
 *
 * A test that names a helper process (peer_a, victim, driver, ...) gets
 * its own instance (helpers.c), which the runner ends after the test.
 */
#include "guest.h"
#include <sef.h>
#include <stdlib.h>
#include <ax/signal.h>
#include <ax/vm.h>
#include <vm_build.h>

char test_failure[256];

/* The process called `name`: a running one, or a new instance of a test helper (helpers.c). */
endpoint_t
find(const char *name)
{
	endpoint_t e = NONE;

	if (sys_lookup(name, &e) == 0 || (e = helper_start(name)) != NONE)
		return e;
	panic("no process named %s", name);
}

/* Kill RS with signal sig; wait until it answers again.  Its endpoint, or NONE. */
endpoint_t
kill_rs(int sig)
{
	if (sys_kill(find("rs"), sig) < 0)
		return NONE;
	for (int i = 0; i < 200; i++) {
		if (rs_request(RS_LOOKUP, "hello", NULL) ==
		    0) /* callers of the dead RS get an error */
			return find("rs");
		tickdelay(1);
	}
	return NONE;
}

/*
 * image's program built through VM into a new process `name` (VM must run
 * and libexec take the image: -ENOSYS otherwise, and the kernel builds
 * it): an empty slot, privileges d but with us as its signal manager
 * while we build (VM and the kernel call exec ask that of a builder),
 * libsys's vm_build_image, then d itself.  0 or -E (a half-made process
 * is ended, its space freed).
 */
static int
spawn_through_vm(const void *image, size_t size, const char *name, const char *args, int priority,
		 const struct priv_desc *d, endpoint_t *e)
{
	static const struct priv_desc unmanaged = { .sig_mgr = NONE };
	struct priv_desc building = *d;
	struct exec_elf plan;
	const char *why;
	endpoint_t vm;
	int r;

	if (sys_lookup("vm", &vm) < 0 ||
	    exec_elf_image(image, size, &vm_build_space, &plan, &why) < 0)
		return -ENOSYS;
	if ((r = sys_spawn_prio(NULL, 0, name, NULL, priority, e)) < 0)
		return r;
	building.sig_mgr = self_endpoint;
	if ((r = sys_privctl(*e, PRIVCTL_SET, &building, 0, 0)) < 0) {
		sys_kill(*e, SIGKILL);
		return r;
	}
	if ((r = vm_build_image(vm, *e, name, args, image, &plan)) < 0 ||
	    (d->sig_mgr != self_endpoint && (r = sys_privctl(*e, PRIVCTL_SET, d, 0, 0)) < 0)) {
		vm_release(*e);
		/* Unmanaged, so the kernel clears it at the kill. */
		sys_privctl(*e, PRIVCTL_SET, &unmanaged, 0, 0);
		sys_kill(*e, SIGKILL);
	}
	return r;
}

/* The same by the kernel's spawn: the image, stack and brk heap the kernel's (kernel/exec.c). */
static int
spawn_by_kernel(const void *image, size_t size, const char *name, const char *args, int priority,
		const struct priv_desc *d, endpoint_t *e)
{
	int r;

	if ((r = sys_spawn_prio(image, size, name, args, priority, e)) < 0)
		return r;
	if ((r = sys_privctl(*e, PRIVCTL_SET, d, 0, 0)) < 0)
		sys_kill(*e, SIGKILL);
	return r;
}

/*
 * A new process `name` running image (a boot module mapped in place) with
 * arguments args (or NULL), at priority (-1: ours), with privileges d,
 * not let run yet: built through VM when it runs, else by the kernel's
 * spawn.  0 or -E (a half-made process is ended).
 */
int
spawn_image(const void *image, size_t size, const char *name, const char *args, int priority,
	    const struct priv_desc *d, endpoint_t *e)
{
	int r;

	if ((r = spawn_through_vm(image, size, name, args, priority, d, e)) != -ENOSYS)
		return r;
	return spawn_by_kernel(image, size, name, args, priority, d, e);
}

/* e, a process we manage, has ended: VM frees the space it built for it, if any (before sys_clear). */
void
vm_release(endpoint_t e)
{
	endpoint_t vm;

	if (sys_lookup("vm", &vm) == 0)
		(void)vm_build_call(vm, VM_EXIT, e, 0, 0, 0, 0, NONE);
}

/*
 * VM frees the spaces of processes that ended without a VM_EXIT (VM_REAP):
 * helpers and subjects without a manager, which the kernel clears at their
 * end.  The runner asks after every test, so each starts with VM's memory
 * as the last one found it.
 */
void
vm_reap(void)
{
	endpoint_t vm;

	if (sys_lookup("vm", &vm) == 0)
		(void)vm_build_call(vm, VM_REAP, NONE, 0, 0, 0, 0, NONE);
}

/*
 * A new process `name` running the boot module `program` with arguments
 * args (or NULL), at priority (-1: this test's), with privileges d, let
 * run: how a test makes a subject holding exactly what it tests, and how
 * it starts a helper (helpers.c).  0 or -E (a half-made process is ended).
 */
static int
spawn_module(const char *program, const char *name, const char *args, int priority,
	     const struct priv_desc *d, bool kernel, endpoint_t *e)
{
	const void *image; /* the module in place, read-only: nothing copied */
	size_t size;
	int r;

	if ((r = sys_mapimage_named(program, &image, &size)) < 0 ||
	    (r = kernel ? spawn_by_kernel(image, size, name, args, priority, d, e)
			: spawn_image(image, size, name, args, priority, d, e)) < 0)
		return r;
	if ((r = sys_privctl(*e, PRIVCTL_ALLOW, NULL, 0, 0)) < 0)
		sys_kill(*e, SIGKILL);
	return r;
}

int
spawn_program_args(const char *program, const char *name, const char *args, int priority,
		   const struct priv_desc *d, endpoint_t *e)
{
	return spawn_module(program, name, args, priority, d, false, e);
}

/*
 * The same built by the kernel's spawn, for the tests of what only a
 * process the kernel built has: the kernel's brk (hostile's, the heap
 * peers'), its memory quota (the hog), spawn itself.
 */
int
spawn_program_kernel(const char *program, const char *name, const char *args, int priority,
		     const struct priv_desc *d, endpoint_t *e)
{
	return spawn_module(program, name, args, priority, d, true, e);
}

int
spawn_program_prio(const char *program, const char *name, const struct priv_desc *d, int priority,
		   endpoint_t *e)
{
	return spawn_program_args(program, name, NULL, priority, d, e);
}

int
spawn_program(const char *program, const char *name, const struct priv_desc *d, endpoint_t *e)
{
	return spawn_program_args(program, name, NULL, -1, d, e);
}

/*
 * A copy of the peer program called `name`, at `priority` (-1: ours), with
 * the calls a peer's own commands need and IPC to everyone.  The caller
 * ends it with sys_kill when done.  NONE if it could not start.
 */
endpoint_t
start_peer(const char *name, int priority)
{
	struct priv_desc d;
	endpoint_t e = NONE;

	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BIT(GETINFO) | KCALL_BIT(EXIT) | KCALL_BIT(SETALARM);
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	return spawn_program_prio("peer", name, &d, priority, &e) < 0 ? NONE : e;
}

/*
 * Wait until e is blocked in IPC as `ipc` says: PROC_IPC_RECEIVING from
 * `peer` (ANY: a helper back in its receive loop) or PROC_IPC_SENDING to
 * `peer`.  A test runs above its helpers, so a helper that was just
 * released has not run yet: this lets it run, one tick at a time, until it
 * gets there.  0; -ETIMEDOUT after AWAIT_TICKS; the lookup's error if e is
 * gone.
 */
int
await_ipc(endpoint_t e, uint32_t ipc, endpoint_t peer)
{
	struct msg_sys_privinfo info;
	int r;

	for (int i = 0; i < AWAIT_TICKS; i++) {
		if ((r = sys_getpriv(e, &info)) < 0)
			return r;
		if (info.ipc == ipc && info.ipc_peer == peer)
			return 0;
		tickdelay(1);
	}
	return -ETIMEDOUT;
}

int
await_receive(endpoint_t e)
{
	return await_ipc(e, PROC_IPC_RECEIVING, ANY);
}

/* Wait until e has ended (its endpoint is dead): 0, or -ETIMEDOUT. */
int
await_gone(endpoint_t e)
{
	struct msg_sys_privinfo info;

	for (int i = 0; i < AWAIT_TICKS; i++) {
		if (sys_getpriv(e, &info) == -EDEADSRCDST)
			return 0;
		tickdelay(1);
	}
	return -ETIMEDOUT;
}

/* Wait until e is frozen (a signal its manager has not ended): 0, or -ETIMEDOUT. */
int
await_frozen(endpoint_t e)
{
	for (int i = 0; i < AWAIT_TICKS; i++) {
		if (proc_state(e) > 0 && (proc_state(e) & PROC_STATE_FROZEN))
			return 0;
		tickdelay(1);
	}
	return -ETIMEDOUT;
}

/*
 * Wait up to `ticks` until RS runs nothing under `label` (RS_DOWN answers
 * when it has sent the signal, before the service has ended).
 */
bool
await_service_down(const char *label, int ticks)
{
	struct msg_rs_reply reply;

	for (int i = 0; i < ticks; i++) {
		if (rs_request(RS_LOOKUP, label, &reply) < 0 || reply.endpt == NONE)
			return true;
		tickdelay(1);
	}
	return false;
}

/* Cleanups a test registered, run after it whether it passed or failed. */
static void (*cleanups[8])(void);
static int nr_cleanups;

void
test_cleanup(void (*fn)(void))
{
	if (nr_cleanups == (int)ARRAY_SIZE(cleanups))
		panic("more than %d cleanups", nr_cleanups);
	cleanups[nr_cleanups++] = fn;
}

static void
run_cleanups(void)
{
	while (nr_cleanups > 0)
		cleanups[--nr_cleanups]();
}

/* DIAGCTL DIAG_FASTPATH: set 0 turns the IPC fast path off, 1 on, 2 leaves
 * it; the times it was taken so far, or -E. */
int64_t
fastpath_switch(int set)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_diagctl.code = DIAG_FASTPATH;
	m.m_sys_diagctl.len = (uint64_t)set;
	if ((r = kernel_call(KCALL_DIAGCTL, &m)) < 0)
		return r;
	return (int64_t)m.m_sys_diagctl.addr;
}

void
command_message(message *m, int cmd, uint64_t a0, uint64_t a1)
{
	memset(m, 0, sizeof(*m));
	m->m_type = cmd;
	m->m_u64.v[0] = a0;
	m->m_u64.v[1] = a1;
}

/*
 * Every test in the order they run: the guest_tests section, then
 * guest_tests_last (TEST_LAST).  A section holds each file's entries
 * together, files in link order; within a file they are sorted by line
 * (gcc emits them in reverse, clang in order).  `first` is the index of a
 * file's first entry, the order's first key.
 */
#define MAX_TESTS 512
static const struct guest_test *ordered[MAX_TESTS];
static int nr_ordered = -1;

static bool
runs_before(const struct guest_test *a, int a_first, const struct guest_test *b, int b_first)
{
	return a_first != b_first ? a_first < b_first : a->line < b->line;
}

/* Append section sec[0..n) to ordered[], sorted. */
static void
order_section(const struct guest_test *const *sec, int n)
{
	static int file_first[MAX_TESTS], first[MAX_TESTS];
	int base = nr_ordered;

	if (base + n > MAX_TESTS)
		panic("%d tests, room for %d", base + n, MAX_TESTS);
	for (int i = 0; i < n; i++)
		file_first[i] = i > 0 && strcmp(sec[i - 1]->file, sec[i]->file) == 0
					? file_first[i - 1]
					: i;
	for (int i = 0; i < n; i++) { /* insertion: ordered[] and first[] move together */
		int j = base + i;

		for (; j > base && runs_before(sec[i], file_first[i], ordered[j - 1], first[j - 1]);
		     j--) {
			ordered[j] = ordered[j - 1];
			first[j] = first[j - 1];
		}
		ordered[j] = sec[i];
		first[j] = file_first[i];
	}
	nr_ordered = base + n;
}

int
guest_test_count(void)
{
	if (nr_ordered < 0) {
		nr_ordered = 0;
		order_section(__start_guest_tests, (int)(__stop_guest_tests - __start_guest_tests));
		if (__start_guest_tests_last)
			order_section(__start_guest_tests_last,
				      (int)(__stop_guest_tests_last - __start_guest_tests_last));
	}
	return nr_ordered;
}

const struct guest_test *
guest_test_at(int index)
{
	return index >= 0 && index < guest_test_count() ? ordered[index] : NULL;
}

/* The endpoint RS runs label under (NONE if none), and its restart count. */
endpoint_t
service(const char *label, uint32_t *restarts)
{
	struct msg_rs_reply reply;

	if (rs_request(RS_LOOKUP, label, &reply) < 0)
		return NONE;
	if (restarts)
		*restarts = reply.restarts;
	return reply.endpt;
}

/* Why e does not run (PROC_STATE_*; 0: it runs or waits to receive), or -1: gone. */
int
proc_state(endpoint_t e)
{
	struct msg_sys_privinfo priv;

	return sys_getpriv(e, &priv) == 0 ? (int)priv.state : -1;
}

uint64_t
uptime(void)
{
	struct msg_sys_kinfo ki;

	sys_getkinfo(&ki);
	return ki.uptime;
}

/* Send a command that gets no reply. */
int
peer_command(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1)
{
	message m;

	command_message(&m, cmd, a0, a1);
	return ipc_send(peer, &m);
}

/* Send a command and wait for its reply. */
int
peer_call(endpoint_t peer, int cmd, uint64_t a0, uint64_t a1, message *reply)
{
	int r;

	command_message(reply, cmd, a0, a1);
	if ((r = ipc_sendrec(peer, reply)) < 0)
		return r;
	return reply->m_type;
}

/* This process is test `index`: run it, print the verdict, tell the runner. */
static int
run_one(int index)
{
	const struct guest_test *t;
	endpoint_t runner;
	message m;

	if (!(t = guest_test_at(index)))
		panic("no test %d", index);
	printf("testrun: %s: %s\n", t->name, t->what);
	test_failure[0] = '\0';
	t->fn();
	run_cleanups();
	if (test_failure[0])
		printf("FAIL %s: %s\n", t->name, test_failure);
	else
		printf("PASS %s\n", t->name);
	memset(&m, 0, sizeof(m));
	m.m_type = TEST_RESULT;
	m.m_u64.v[0] = test_failure[0] == '\0';
	if (sys_lookup("testrun", &runner) == 0)
		ipc_send(runner, &m);
	return 0;
}

/*
 * The runner is a service RS starts (tests/guest/system.conf), so it says
 * it is up (SEF) before it runs the tests; test processes are its own.
 */
int
main(int argc, char **argv)
{
	if (argc > 1)
		return run_one(atoi(argv[1]));
	sef_startup();
	return run_all();
}
