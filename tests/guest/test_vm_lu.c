/*
 * vm.lu (issue 14): live updates of VM under processes that use their
 * memory all the while (servers/vm/state.c, README.md "Live update").
 * Two lxvm processes in mode lu (user/lxvm/lu.c) fork, write copy-on-write
 * pages, grow and shrink their heaps, map, remap and unmap, and keep a
 * child that shares every page; meanwhile VM is updated again and again,
 * and programs are started (PM_START: exec through VM; busybox through
 * VM's page cache) and end while each update is under way.  Then an update whose new version fails its init
 * rolls back, and one more succeeds.  Every process finds its memory
 * intact to the end (exit 0), VM keeps its endpoint, and every frame comes
 * back when they are gone: the new version knew each page, share and free
 * frame the old one had.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/vm.h>
#include <ax/rs.h>
#include <ax/signal.h>
#include <ax/linux.h>

#define LU_ROUNDS  4
#define SIGUSR1_LX 10 /* Linux's number: lxvm's stop */

/*
 * One update of `label` (VM, PM: to the same program; `flags`
 * SEF_INIT_FAIL for one that must roll back) while programs start, use
 * memory and end (lxvm from the boot image; busybox's shell from the file
 * system, whose pages VM's page cache keeps): RS's answer, or -E.  *ran:
 * 0 if both ended as they should.  test_pm_lu.c uses it too.
 */
int
update_under_load(const char *label, uint32_t flags, int *ran)
{
	endpoint_t rs;
	uint64_t status;
	message m;
	int r;

	if ((r = sys_lookup("rs", &rs)) < 0 ||
	    (r = rs_update_send(label, label, SEF_LU_STATE_WORK_FREE, 500, flags)) < 0)
		return r;
	*ran = lxvm_run("mprotect");
	if (*ran == 0 && (r = proc_run_uid("exectest", "bb 2", 0, 1000)) != LX_W_EXITCODE(42))
		*ran = r ? r : -1; /* sh -c 'a=$((6*7)); exit $a' */
	if ((r = ipc_receive(rs, &m, &status)) < 0)
		return r;
	return m.m_type;
}

TEST(vm, lu,
     "VM live-updated again and again under processes using brk, mmap and copy-on-write: every "
     "page, share and free frame carries over; a new version that fails its init rolls back")
{
	struct msg_vm_reply before = vm_info(), after;
	struct msg_pm_reply a, b;
	endpoint_t vm0, vm1;
	int ran;

	EXPECT(before.total_pages > 0, "VM has no memory");
	EXPECT_EQ(sys_lookup("vm", &vm0), 0);
	EXPECT_EQ(proc_start("lxvm", "lu", &a), 0);
	EXPECT_EQ(proc_start("lxvm", "lu", &b), 0);
	tickdelay(20); /* both in their rounds, their sharers forked */
	for (int i = 0; i < LU_ROUNDS; i++) {
		EXPECT_EQ(update_under_load("vm", 0, &ran), 0);
		EXPECT_EQ(ran, 0);
		EXPECT_EQ(sys_lookup("vm", &vm1), 0);
		EXPECT_EQ(vm1, vm0); /* an update keeps the endpoint */
	}
	EXPECT(update_under_load("vm", SEF_INIT_FAIL, &ran) < 0, "a failing new version was kept");
	EXPECT_EQ(ran, 0);
	EXPECT_EQ(update_under_load("vm", 0, &ran), 0);
	EXPECT_EQ(ran, 0);
	tickdelay(10);
	/* Still running (a failed check ends lxvm early, with its number): stop them. */
	(void)sys_kill(a.endpt, SIGUSR1_LX);
	(void)sys_kill(b.endpt, SIGUSR1_LX);
	EXPECT_EQ(proc_wait(a.pid), 0);
	EXPECT_EQ(proc_wait(b.pid), 0);
	after = vm_info();
	EXPECT_EQ(after.total_pages, before.total_pages);
	EXPECT_EQ(after.free_pages, before.free_pages);
	EXPECT_EQ(after.user_pages, before.user_pages);
	EXPECT_EQ(lxvm_run("brk"), 0); /* and VM serves as before */
}
