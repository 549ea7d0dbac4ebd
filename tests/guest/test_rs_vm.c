/*
 * Services' memory from VM (docs/processes.md section 5, servers/rs/vmspawn.c):
 * a service RS starts after VM is up gets its image from VM, and VM's
 * bookkeeping follows it through a crash, a stateful restart and a live
 * update: every page comes back.  VM_INFO of a process VM manages names
 * the pages mapped in it.
 */
#include "guest.h"
#include <ax/rs.h>
#include <ax/vm.h>
#include <ax/hello.h>
#include <cdev_client.h>

/* VM_INFO about e: 0 or -E, the counts in *out. */
static int
info_of(endpoint_t e, struct msg_vm_reply *out)
{
	endpoint_t vm = NONE;
	message m;
	int r;

	if ((r = sys_lookup("vm", &vm)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_INFO;
	m.m_vm_request.endpt = e;
	if ((r = ipc_sendrec(vm, &m)) < 0)
		return r;
	if (m.m_type < 0)
		return m.m_type;
	*out = m.m_vm_reply;
	return 0;
}

/*
 * VM_INFO about e once VM has `want` pages free (the old version of a live
 * update is released when RS reaps it, after the update's answer), or
 * after 200 ticks.
 */
static int
info_settled(endpoint_t e, uint64_t want, struct msg_vm_reply *out)
{
	int r;

	for (int i = 0; i < 200; i++) {
		if ((r = info_of(e, out)) < 0 || out->free_pages == want)
			return r;
		tickdelay(1);
	}
	return 0;
}

/* Tell hello to crash (an ioctl it never answers: sent without a reply). */
static int
crash(endpoint_t h)
{
	message m;
	int64_t r;

	if ((r = cdev_open(h, 0, CDEV_R_BIT)) < 0)
		return (int)r;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.request = HELLO_IOC_CRASH;
	m.m_cdev.grant = GRANT_INVALID;
	return ipc_send(h, &m);
}

/* Wait until label runs again after `restarts` restarts: its endpoint, or NONE. */
static endpoint_t
await_restart(const char *label, uint32_t restarts)
{
	uint32_t now = restarts;

	for (int i = 0; i < 300; i++) {
		endpoint_t e = service(label, &now);

		if (e != NONE && now > restarts) {
			tickdelay(5); /* its init */
			return e;
		}
		tickdelay(1);
	}
	return NONE;
}

TEST(rs, vm_memory,
     "services started after VM have their memory from VM; a crash, a stateful restart and "
     "a live update give every page back")
{
	struct msg_vm_reply a, b, c;
	uint32_t restarts = 0;
	endpoint_t h = service("hello3", &restarts), h2;

	/* hello3 (restart=stateful) was started after VM: VM maps its image. */
	EXPECT(h != NONE, "hello3 is not running");
	EXPECT_EQ(info_of(h, &a), 0);
	EXPECT(a.proc_pages > 0, "VM holds no page of hello3");
	EXPECT(a.proc_vsize >= a.proc_pages * 4096, "hello3: %llu bytes, %llu pages",
	       (unsigned long long)a.proc_vsize, (unsigned long long)a.proc_pages);

	/* A stateful restart: a new image in the same slot; the dead one's pages come back. */
	EXPECT_EQ(crash(h), 0);
	EXPECT_EQ(await_restart("hello3", restarts), h);
	EXPECT_EQ(info_of(h, &b), 0);
	EXPECT_EQ(b.proc_pages, a.proc_pages);
	EXPECT_EQ(b.free_pages, a.free_pages);

	/* A live update: the new version's space swaps in with it, the old one's is freed. */
	EXPECT_EQ(rs_update("hello3", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(service("hello3", NULL), h);
	EXPECT_EQ(info_of(h, &c), 0);
	EXPECT(c.proc_pages > 0, "VM holds no page of hello3's new version");
	EXPECT_EQ(info_settled(h, b.free_pages + b.proc_pages - c.proc_pages, &c), 0);
	EXPECT_EQ(c.free_pages + c.proc_pages, b.free_pages + b.proc_pages);
	EXPECT_EQ(rs_update("hello3", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(info_settled(h, a.free_pages, &c), 0);
	EXPECT_EQ(c.proc_pages, a.proc_pages);
	EXPECT_EQ(c.free_pages, a.free_pages);

	/* A crash (not stateful): a new endpoint; VM forgets the old one. */
	h = service("hello2", &restarts);
	EXPECT(h != NONE, "hello2 is not running");
	EXPECT_EQ(info_of(h, &a), 0);
	EXPECT(a.proc_pages > 0, "VM holds no page of hello2");
	EXPECT_EQ(crash(h), 0);
	h2 = await_restart("hello2", restarts);
	EXPECT(h2 != NONE && h2 != h, "hello2 was not restarted");
	EXPECT_EQ(info_of(h2, &b), 0);
	EXPECT(b.proc_pages > 0, "VM holds no page of the new hello2");
	EXPECT_EQ(info_settled(h2, a.free_pages + a.proc_pages - b.proc_pages, &b), 0);
	EXPECT_EQ(info_of(h, &c), 0);
	EXPECT_EQ(c.proc_pages, 0);
	EXPECT_EQ(b.free_pages + b.proc_pages, a.free_pages + a.proc_pages);
}
