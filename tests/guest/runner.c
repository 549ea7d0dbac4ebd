/*
 * The test runner's parent side: every test runs in a process of its own,
 * so a test that crashes or hangs fails alone and the rest still run.
 *
 * The runner maps its own executable (the boot module "testrun") in place,
 * read-only (sys_mapimage_named: nothing copied), then for each test
 * starts a child running it with the test's index, built through VM
 * (spawn_image: libsys's vm_build_image; by the kernel's spawn only for
 * the tests of the kernel's brk, kernel_built[]), gives the child the
 * runner's privileges with the runner as its signal manager, and waits:
 * for the child's TEST_RESULT message and then for its end (sys_exit, or
 * a fault, arrives as a signal), or for a time-out, after which it kills
 * the child; VM frees the child's space (VM_EXIT) before the runner
 * clears it.  The child prints its own PASS/FAIL line; the runner prints
 * one for a child that ended without a result.  Then it ends the helpers
 * the test started (helpers.c), and VM frees the spaces of those that
 * ended without a manager (VM_REAP), so the next test starts fresh.
 */
#include "guest.h"
#include <ax/signal.h>
#include <stdlib.h>

#define CASE_TICKS 5000 /* a test's time limit: 50 s of guest time */

static const void *self_image; /* the boot module, mapped read-only */
static size_t self_size;

static int
load_self_image(void)
{
	return sys_mapimage_named("testrun", &self_image, &self_size);
}

/*
 * What every test process may do: what the runner itself may do, as its
 * system.conf line gives it (tests/guest/system.conf: every call, the CMOS
 * RTC's ports and IRQ for irq.notify, root and admin, since tests inject
 * faults into RS and DS and command RS), with the runner as its manager.
 */
/*
 * The tests whose own process must be the kernel's: they test the
 * kernel's brk (do_brk.c) in it, which a process VM builds has not (its
 * heap is VM's).  Every other test process is built through VM.
 */
static const char *const kernel_built[] = { "heap." };

static bool
by_kernel(const struct guest_test *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(kernel_built); i++)
		if (strncmp(t->name, kernel_built[i], strlen(kernel_built[i])) == 0)
			return true;
	return false;
}

static int
start_case(int index, endpoint_t *child)
{
	char name[PROC_NAME_LEN], args[12];
	struct priv_desc d;
	int r;

	snprintf(name, sizeof(name), "tcase%d", index);
	snprintf(args, sizeof(args), "%d", index);
	if ((r = sys_getprivdesc(self_endpoint, &d)) < 0)
		return r;
	d.sig_mgr = self_endpoint;
	if (by_kernel(guest_test_at(index))) {
		if ((r = sys_spawn(self_image, self_size, name, args, child)) < 0)
			return r;
		if ((r = sys_privctl(*child, PRIVCTL_SET, &d, 0, 0)) < 0)
			return r;
	} else if ((r = spawn_image(self_image, self_size, name, args, -1, &d, child)) < 0) {
		return r;
	}
	return sys_privctl(*child, PRIVCTL_ALLOW, NULL, 0, 0);
}

/* Collect signals of processes we manage; true once `child` has ended. */
static bool
reap(endpoint_t child, uint64_t *child_sigs)
{
	bool ended = false;
	endpoint_t e;
	uint64_t sigs;

	while (sys_getksig(&e, &sigs) == 0 && e != NONE) {
		if (e == child) {
			ended = true;
			*child_sigs = sigs;
		}
		vm_release(e);
		sys_clear(e);
	}
	return ended;
}

/* Wait for the child's result and its end; true if it passed. */
static bool
await_case(const struct guest_test *t, endpoint_t child)
{
	bool got_result = false, passed = false, timed_out = false;
	uint64_t status, sigs = 0;
	message m;

	sys_setalarm(CASE_TICKS, false, NULL);
	for (;;) {
		if (ipc_receive(ANY, &m, &status) < 0)
			continue;
		if (m.m_source == child && m.m_type == TEST_RESULT) {
			got_result = true;
			passed = m.m_u64.v[0] != 0;
		} else if (m.m_source == SYSTEM && reap(child, &sigs)) {
			break;
		} else if (m.m_source == CLOCK && !timed_out) {
			timed_out = true;
			sys_diag_dump_procs(); /* who waits for whom: why it hangs */
			sys_kill(child, SIGKILL);
		}
	}
	sys_setalarm(0, false, NULL);
	if (!got_result)
		printf("FAIL %s: %s (signals %#llx)\n", t->name,
		       timed_out ? "timed out" : "ended without a result",
		       (unsigned long long)sigs);
	return got_result && passed;
}

/*
 * Does the kernel command line let test t run?  "only=P1,P2,-P3" after the
 * mode word runs the tests whose names begin with P1 or P2 but not with
 * P3 (axrun.py's vm.all_ram boots so at -m 48M and -m 8G; the command
 * line has 32 bytes); no "only=": all.
 */
static bool
selected(const struct guest_test *t)
{
	struct msg_sys_kinfo ki;
	bool in = false;
	char *p, *next;

	if (sys_getkinfo(&ki) < 0)
		return true;
	ki.args[sizeof(ki.args) - 1] = '\0';
	if (!(p = strstr(ki.args, "only=")))
		return true;
	for (p += 5; *p && *p != ' '; p = next) {
		bool out = *p == '-';
		size_t n = 0;

		p += out;
		while (p[n] && p[n] != ',' && p[n] != ' ')
			n++;
		next = p[n] == ',' ? p + n + 1 : p + n;
		if (n && strncmp(t->name, p, n) == 0) {
			if (out)
				return false;
			in = true;
		}
	}
	return in;
}

int
run_all(void)
{
	int passed = 0, failed = 0, n = guest_test_count();
	endpoint_t child;
	int r;

	struct msg_sys_resources res;

	if (sys_getresources(&res) < 0)
		res.free_frames = 0;
	printf("testrun: %d tests, each in its own process; %llu KiB free for system processes, "
	       "%llu KiB in VM\n",
	       n, (unsigned long long)res.free_frames * 4,
	       (unsigned long long)vm_info().free_pages * 4);
	if ((r = load_self_image()) < 0)
		panic("cannot map my own executable: %d", r);
	for (int i = 0; i < n; i++) {
		const struct guest_test *t = guest_test_at(i);

		if (!selected(t))
			continue;
		if ((r = start_case(i, &child)) < 0) {
			printf("FAIL %s: could not start its process: %d\n", t->name, r);
			failed++;
		} else if (await_case(t, child)) {
			passed++;
		} else {
			failed++;
		}
		helpers_sweep();
		vm_reap();
	}
	printf("testrun: %d passed, %d failed\n", passed, failed);
	sys_abort(ABORT_POWEROFF, failed ? 1 : 0);
	return 1;
}
