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
#include <ax/ds.h>
#include <ax/signal.h>
#include "sefsvc_proto.h"
#include <vm_build.h>

/* A request of type about the page at addr of e to VM: 0 or -E, VM's answer in *m. */
static int
ask_vm(int type, endpoint_t e, uint64_t addr, message *m)
{
	endpoint_t vm = NONE;
	int r;

	if ((r = sys_lookup("vm", &vm)) < 0)
		return r;
	memset(m, 0, sizeof(*m));
	m->m_type = type;
	m->m_vm_request.endpt = e;
	m->m_vm_request.addr = addr;
	if ((r = ipc_sendrec(vm, m)) < 0)
		return r;
	return m->m_type < 0 ? m->m_type : 0;
}

/* VM_INFO about e: 0 or -E, the counts in *out. */
static int
info_of(endpoint_t e, struct msg_vm_reply *out)
{
	message m;
	int r = ask_vm(VM_INFO, e, 0, &m);

	*out = r == 0 ? m.m_vm_reply : (struct msg_vm_reply){ 0 };
	return r;
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

/*
 * Wait until VM's free pages stay put for 10 ticks (services RS still
 * starts take VM's pages: a test run alone begins before the last boot
 * service is up).
 */
static void
vm_settled(void)
{
	struct msg_vm_reply x, y;

	for (int i = 0; i < 50; i++) {
		if (info_of(NONE, &x) < 0)
			return;
		tickdelay(10);
		if (info_of(NONE, &y) < 0 || y.free_pages == x.free_pages)
			return;
	}
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
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0);
	EXPECT_EQ(await_restart("hello3", restarts), h);
	EXPECT_EQ(info_of(h, &b), 0);
	EXPECT_EQ(b.proc_pages, a.proc_pages);
	EXPECT_EQ(b.free_pages, a.free_pages);

	/*
	 * A live update: the new version's space swaps in with it, the old
	 * one's is freed (but for its text, which the other hellos share:
	 * rs.shared_text), so after an update there and back every page is
	 * as it was.
	 */
	EXPECT_EQ(rs_update("hello3", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(service("hello3", NULL), h);
	EXPECT_EQ(info_of(h, &c), 0);
	EXPECT(c.proc_pages > 0, "VM holds no page of hello3's new version");
	EXPECT_EQ(rs_update("hello3", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(info_settled(h, a.free_pages, &c), 0);
	EXPECT_EQ(c.proc_pages, a.proc_pages);
	EXPECT_EQ(c.free_pages, a.free_pages);

	/* A crash (not stateful): a new endpoint; VM forgets the old one. */
	h = service("hello2", &restarts);
	EXPECT(h != NONE, "hello2 is not running");
	EXPECT_EQ(info_of(h, &a), 0);
	EXPECT(a.proc_pages > 0, "VM holds no page of hello2");
	EXPECT_EQ(hello_send(h, HELLO_IOC_CRASH), 0);
	h2 = await_restart("hello2", restarts);
	EXPECT(h2 != NONE && h2 != h, "hello2 was not restarted");
	EXPECT_EQ(info_of(h2, &b), 0);
	EXPECT(b.proc_pages > 0, "VM holds no page of the new hello2");
	EXPECT_EQ(info_settled(h2, a.free_pages + a.proc_pages - b.proc_pages, &b), 0);
	EXPECT_EQ(info_of(h, &c), 0);
	EXPECT_EQ(c.proc_pages, 0);
	EXPECT_EQ(b.free_pages + b.proc_pages, a.free_pages + a.proc_pages);
}

/* DS killed by a fault; once the replica restarted it and RS's labels are back: DS's endpoint. */
static endpoint_t
kill_ds(void)
{
	endpoint_t ds = find("ds"), e = NONE;

	if (sys_kill(ds, SIGSEGV) < 0)
		return NONE;
	for (int i = 0; i < 200; i++) {
		if (proc_state(ds) == 0 && ds_retrieve_label("hello", &e) == 0)
			return find("ds");
		tickdelay(1);
	}
	return NONE;
}

/* The replica killed; once RS restarted it in its slot and it waits: its endpoint. */
static endpoint_t
kill_replica(void)
{
	endpoint_t replica = find("rs_replica");

	if (sys_kill(replica, SIGKILL) < 0)
		return NONE;
	for (int i = 0; i < 50 && proc_state(replica) != 0; i++)
		tickdelay(1);
	return await_receive(replica) == 0 ? find("rs_replica") : NONE;
}

static endpoint_t
kill_rs_segv(void)
{
	return kill_rs(SIGSEGV);
}

/*
 * e's instance after its restart by `again` (RS, DS: by the replica; the
 * replica: by RS) holds a space VM built, as big as the one before; once
 * more, and VM's free pages are what they were: the dead one's came back.
 * The kernel holds none of DS's pages (its heap is VM's too, and empty).
 */
static void
restarted_by_vm(const char *name, endpoint_t (*again)(void))
{
	endpoint_t e = find(name);
	struct msg_vm_reply a, b;
	struct msg_sys_privinfo priv;

	EXPECT_EQ(again(), e); /* same endpoint, new program */
	EXPECT_EQ(info_of(e, &a), 0);
	EXPECT(a.proc_pages > 0, "VM holds no page of the new %s", name);
	EXPECT(a.proc_vsize >= a.proc_pages * 4096, "%s: %llu bytes, %llu pages", name,
	       (unsigned long long)a.proc_vsize, (unsigned long long)a.proc_pages);
	EXPECT_EQ(sys_getpriv(e, &priv), 0);
	if (strcmp(name, "ds") == 0)
		EXPECT_EQ(priv.mem_used, 0); /* not a page of the kernel's */
	EXPECT_EQ(again(), e);
	EXPECT_EQ(info_settled(e, a.free_pages, &b), 0);
	EXPECT_EQ(b.proc_pages, a.proc_pages);
	EXPECT_EQ(b.free_pages, a.free_pages);
}

TEST(rs, vm_memory_self,
     "RS and DS restarted by the replica, and the replica restarted by RS, hold spaces VM "
     "built; each restart gives the dead one's pages back")
{
	vm_settled();
	restarted_by_vm("rs", kill_rs_segv);
	restarted_by_vm("ds", kill_ds);
	restarted_by_vm("rs_replica", kill_replica);
	/* The new RS still has VM build and swap: a live update (vmspawn.c). */
	EXPECT_EQ(rs_update("hello3", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(rs_update("hello3", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
}

/* VM's update over, whatever a test left under way. */
static void
vm_update_over(void)
{
	rs_update("vm", "vm", SEF_LU_STATE_WORK_FREE, 500, 0);
}

/* The kernel's bytes of e (its memory the kernel holds; -1: no such process). */
static uint64_t
kernel_bytes(endpoint_t e)
{
	struct msg_sys_privinfo priv;

	return sys_getpriv(e, &priv) == 0 ? priv.mem_used : (uint64_t)-1;
}

/* The kernel's bytes of RS, after RS's death and its restart by the replica. */
static uint64_t
kernel_bytes_after_restart(endpoint_t rs)
{
	struct msg_sys_privinfo priv;

	if (kill_rs(SIGSEGV) != rs || sys_getpriv(rs, &priv) < 0)
		return 0;
	return priv.mem_used;
}

TEST(rs, self_restart_vm_busy,
     "RS dying while VM may wait on it (VM being updated, or in its init) is rebuilt by the "
     "kernel, not through VM, and so are DS and the replica meanwhile; once VM runs again, "
     "through VM, and VM's pages come back")
{
	endpoint_t rs = find("rs"), vm = find("vm"), ds = find("ds"), replica = find("rs_replica");
	endpoint_t lu_new = NONE;
	struct msg_vm_reply a, b;
	struct msg_rs_reply r;
	uint64_t by_vm, by_kernel, replica_by_vm;

	test_cleanup(vm_update_over);
	vm_settled();
	by_vm = kernel_bytes_after_restart(rs); /* RS's heap alone: VM maps the rest */
	EXPECT_EQ(kill_ds(), ds);
	EXPECT_EQ(kernel_bytes(ds), 0); /* VM's, all of it */
	EXPECT_EQ(kill_replica(), replica);
	replica_by_vm = kernel_bytes(replica); /* its heap alone */
	EXPECT_EQ(info_of(rs, &a), 0);
	EXPECT(a.proc_pages > 0, "VM holds no page of the new RS");

	/* An update of VM that waits for a state VM never reaches; its answer dies with RS. */
	EXPECT_EQ(rs_update_send("vm", "vm", SEF_LU_STATE_UNREACHABLE, 1000, 0), 0);
	for (int i = 0; i < 50 && lu_new == NONE; i++) {
		EXPECT_EQ(rs_request(RS_LOOKUP, "vm", &r), 0);
		lu_new = r.lu_new;
		tickdelay(1);
	}
	EXPECT(lu_new != NONE && lu_new != vm, "no update of VM under way (%d)", lu_new);
	/* DS and the replica meanwhile: the kernel builds them too (RS's word, RS's table). */
	EXPECT_EQ(kill_ds(), ds);
	EXPECT(kernel_bytes(ds) > 0, "DS is not the kernel's");
	EXPECT_EQ(kill_replica(), replica);
	EXPECT(kernel_bytes(replica) >= replica_by_vm + a.proc_pages * 4096,
	       "the replica is not the kernel's");
	by_kernel = kernel_bytes_after_restart(rs);
	EXPECT(by_kernel >= by_vm + a.proc_pages * 4096,
	       "the kernel holds %llu bytes of RS (%llu when VM built it, %llu pages)",
	       (unsigned long long)by_kernel, (unsigned long long)by_vm,
	       (unsigned long long)a.proc_pages);
	printf("rs.self_restart_vm_busy: RS built by VM: %llu KiB of VM's, %llu KiB of the "
	       "kernel's; by the kernel: %llu KiB of the kernel's\n",
	       (unsigned long long)a.proc_pages * 4, (unsigned long long)by_vm >> 10,
	       (unsigned long long)by_kernel >> 10);
	EXPECT_EQ(rs_request(RS_LOOKUP, "vm", &r), 0);
	EXPECT_EQ(r.endpt, vm); /* VM goes on; its new version is ended */
	EXPECT_EQ(r.lu_new, NONE);

	/*
	 * VM updatable again, by the RS the kernel built.  RS answers the
	 * requester (this test, which runs first) before the new VM's init
	 * result: VM waits on RS when RS dies now, so the kernel builds RS.
	 */
	EXPECT_EQ(rs_update("vm", "vm", SEF_LU_STATE_WORK_FREE, 500, 0), 0);
	EXPECT_EQ(proc_state(vm), PROC_STATE_AWAITING);
	EXPECT_EQ(kernel_bytes_after_restart(rs), by_kernel);

	/* Once VM waits for nobody, RS's next death is VM's to build. */
	EXPECT_EQ(rs_update("vm", "vm", SEF_LU_STATE_WORK_FREE, 500, 0), 0);
	EXPECT_EQ(await_receive(vm), 0);
	EXPECT_EQ(kernel_bytes_after_restart(rs), by_vm);
	EXPECT_EQ(kill_ds(), ds);
	EXPECT_EQ(kernel_bytes(ds), 0);
	EXPECT_EQ(kill_replica(), replica);
	EXPECT_EQ(kernel_bytes(replica), replica_by_vm);
	EXPECT_EQ(info_settled(rs, a.free_pages, &b), 0);
	EXPECT_EQ(b.proc_pages, a.proc_pages);
	EXPECT_EQ(b.free_pages, a.free_pages); /* the space VM built before is back too */
}

TEST(rs, vm_memlimit,
     "a service whose memory VM built keeps its memlimit, counted over its whole space: its heap "
     "grows to the limit and not a page past it (ENOMEM), the service goes on, and so does the "
     "limit through VM's live update")
{
	struct msg_vm_reply a, b;
	endpoint_t e = service("sefsvc", NULL);
	uint64_t limit = (2 << 20) / 4096, room; /* memlimit=2M (tests/guest/system.conf) */

	EXPECT(e != NONE, "sefsvc is not running");
	EXPECT_EQ(svc_call(e, SVC_HEAP, 0), 0); /* its heap on whole pages */
	EXPECT_EQ(info_of(e, &a), 0);
	EXPECT(a.proc_pages > 0, "VM did not build sefsvc (started before VM?)");
	EXPECT(a.proc_pages < limit, "sefsvc holds %llu pages, its limit is %llu",
	       (unsigned long long)a.proc_pages, (unsigned long long)limit);
	/* Its segments and stack count: the heap gets what they leave of the 2 MiB. */
	room = limit - a.proc_pages;
	EXPECT_EQ(svc_call(e, SVC_HEAP, room * 4096), 0);
	EXPECT_EQ(info_of(e, &b), 0);
	EXPECT_EQ(b.proc_pages, limit);
	EXPECT_EQ(svc_call(e, SVC_HEAP, room * 4096 + 1), -ENOMEM);
	EXPECT_EQ(svc_call(e, SVC_HEAP, 3 << 20), -ENOMEM);
	EXPECT_EQ(svc_call(e, SVC_HEAP, 0), 0);
	EXPECT_EQ(info_of(e, &b), 0);
	EXPECT_EQ(b.proc_pages, a.proc_pages); /* the heap's pages went back */
	EXPECT_EQ(svc_call(e, SVC_WHO, 0), e); /* it goes on */

	/* VM's live update carries the limit (servers/vm/state.c). */
	EXPECT_EQ(rs_update("vm", "vm", SEF_LU_STATE_WORK_FREE, 500, 0), 0);
	EXPECT_EQ(svc_call(e, SVC_HEAP, room * 4096 + 1), -ENOMEM);
	EXPECT_EQ(svc_call(e, SVC_HEAP, room * 4096), 0);
	EXPECT_EQ(svc_call(e, SVC_HEAP, 0), 0);
}

/* VM_PAGE about the page at addr of e: 0 or -E, its frame and references in *out. */
static int
page_of(endpoint_t e, uint64_t addr, struct msg_vm_page *out)
{
	message m;
	int r = ask_vm(VM_PAGE, e, addr, &m);

	*out = r == 0 ? m.m_vm_page : (struct msg_vm_page){ 0 };
	return r;
}

/* The first region of boot module program that is writable (or not): [*start, *end). */
static int
region_of(const char *program, bool writable, uint64_t *start, uint64_t *end)
{
	struct exec_elf plan;
	const void *image;
	const char *why;
	size_t size;
	int r;

	if ((r = sys_mapimage_named(program, &image, &size)) < 0 ||
	    (r = exec_elf_image(image, size, &vm_build_space, &plan, &why)) < 0)
		return r;
	for (int i = 0; i < plan.nr_regions; i++)
		if (!(plan.region[i].prot & EXEC_PROT_W) == !writable) {
			*start = plan.region[i].start;
			*end = plan.region[i].end;
			return 0;
		}
	return -ENOENT;
}

/*
 * Every page of [start, end) in a and in b has one frame, the same in
 * both, with the same number of references (*refs: the page cache's and
 * each process's that maps it): 0, or the address of the first page that
 * does not.
 */
static uint64_t
shared(endpoint_t a, endpoint_t b, uint64_t start, uint64_t end, uint64_t *refs)
{
	struct msg_vm_page pa, pb;

	for (uint64_t va = start; va < end; va += 4096) {
		int ra = page_of(a, va, &pa), rb = page_of(b, va, &pb);

		if (ra < 0 || rb < 0 || pa.frame == 0 || pa.frame != pb.frame ||
		    pa.refs != pb.refs || (va > start && pa.refs != *refs)) {
			printf("%#llx: %d has frame %llu (%llu references; %d), %d frame %llu "
			       "(%llu; "
			       "%d)\n",
			       (unsigned long long)va, a, (unsigned long long)pa.frame,
			       (unsigned long long)pa.refs, ra, b, (unsigned long long)pb.frame,
			       (unsigned long long)pb.refs, rb);
			return va;
		}
		*refs = pa.refs;
	}
	return 0;
}

/* The page at addr of e once its frame has `want` references (a live update's old version is reaped after the answer), or after 200 ticks. */
static int
page_settled(endpoint_t e, uint64_t addr, uint64_t want, struct msg_vm_page *out)
{
	int r;

	for (int i = 0; i < 200; i++) {
		if ((r = page_of(e, addr, out)) < 0 || out->refs == want)
			return r;
		tickdelay(1);
	}
	return 0;
}

/* Read hello's greeting (its code runs): its length, or -E (reopened after a restart). */
static int
greets(endpoint_t h)
{
	char buf[64];
	int64_t r = cdev_read(h, 0, 0, buf, sizeof(buf), 0);

	if (r < 0 && (r = cdev_open(h, 0, CDEV_R_BIT)) == 0)
		r = cdev_read(h, 0, 0, buf, sizeof(buf), 0);
	return (int)r;
}

TEST(rs, shared_text,
     "two instances of a service share the frames of their text (VM_PAGE), each has its own "
     "data; a crash, a stateful restart and a live update of one leave the other's as they "
     "are, and every frame comes back when both go")
{
	uint32_t r2 = 0, r3 = 0;
	endpoint_t h2 = service("hello2", &r2), h3 = service("hello3", &r3), e;
	struct msg_vm_page p3, p, d2, d3;
	struct msg_vm_reply before, after;
	uint64_t ts = 0, te = 0, ds = 0, de = 0, refs = 0, n = 0;

	EXPECT(h2 != NONE && h3 != NONE, "hello2 or hello3 is not running");
	/* Both run hello's boot module (an earlier test may have left one on hello_v2). */
	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(rs_update("hello3", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	h2 = service("hello2", &r2);
	EXPECT_EQ(region_of("hello", false, &ts, &te), 0);
	EXPECT_EQ(region_of("hello", true, &ds, &de), 0);
	EXPECT(te - ts >= 2 * 4096, "hello's text is %llu bytes", (unsigned long long)(te - ts));

	/* The text: the same frames, held by the page cache and by every instance of hello. */
	EXPECT_EQ(shared(h2, h3, ts, te, &refs), 0);
	EXPECT(refs >= 3, "hello's text has %llu references", (unsigned long long)refs);
	EXPECT_EQ(page_of(h3, ts, &p3), 0);
	/* The data: each its own. */
	EXPECT_EQ(page_of(h2, ds, &d2), 0);
	EXPECT_EQ(page_of(h3, ds, &d3), 0);
	EXPECT(d2.frame && d3.frame && d2.frame != d3.frame, "data frames %llu and %llu",
	       (unsigned long long)d2.frame, (unsigned long long)d3.frame);
	EXPECT_EQ(d2.refs, 1);
	EXPECT_EQ(d3.refs, 1);

	/* A crash of hello2 (a fresh restart): hello3 keeps its frames and runs; the new one shares. */
	EXPECT_EQ(hello_send(h2, HELLO_IOC_CRASH), 0);
	e = await_restart("hello2", r2);
	EXPECT(e != NONE && e != h2, "hello2 was not restarted");
	h2 = e;
	EXPECT_EQ(page_of(h3, ts, &p), 0);
	EXPECT_EQ(p.frame, p3.frame);
	EXPECT(greets(h3) > 0, "hello3 does not answer");
	EXPECT_EQ(shared(h2, h3, ts, te, &n), 0);
	EXPECT_EQ(n, refs);
	EXPECT(greets(h2) > 0, "the new hello2 does not answer");

	/* A stateful restart of hello3: the same. */
	r3 = 0;
	EXPECT(service("hello3", &r3) == h3, "hello3 moved");
	EXPECT_EQ(hello_send(h3, HELLO_IOC_CRASH), 0);
	EXPECT_EQ(await_restart("hello3", r3), h3);
	EXPECT(greets(h2) > 0, "hello2 does not answer");
	EXPECT_EQ(shared(h2, h3, ts, te, &n), 0);
	EXPECT_EQ(n, refs);
	EXPECT_EQ(page_of(h3, ts, &p), 0);
	EXPECT_EQ(p.frame, p3.frame);

	/* A live update of hello3 to hello_v2: its text is hello_v2's, hello2's stays. */
	before = vm_info();
	EXPECT_EQ(rs_update("hello3", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(service("hello3", NULL), h3);
	EXPECT_EQ(page_of(h3, ts, &p), 0);
	EXPECT(p.frame != 0 && p.frame != p3.frame, "hello_v2's text is hello's");
	EXPECT_EQ(page_settled(h2, ts, refs - 1, &p), 0);
	EXPECT_EQ(p.frame, p3.frame);
	EXPECT_EQ(p.refs, refs - 1);
	EXPECT(greets(h2) > 0, "hello2 does not answer");
	EXPECT(greets(h3) > 0, "hello3's new version does not answer");

	/* hello2 too: the two share hello_v2's text, which nothing else runs. */
	EXPECT_EQ(rs_update("hello2", "hello_v2", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(shared(h2, h3, ts, te, &n), 0);
	EXPECT_EQ(n, 3);

	/* Both back to hello: hello_v2's frames are the cache's alone (idle, free) and every other page came back. */
	EXPECT_EQ(rs_update("hello2", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(rs_update("hello3", "hello", SEF_LU_STATE_WORK_FREE, 100, 0), 0);
	EXPECT_EQ(shared(h2, h3, ts, te, &n), 0);
	EXPECT_EQ(n, refs);
	EXPECT_EQ(info_settled(NONE, before.free_pages, &after), 0);
	EXPECT_EQ(after.free_pages, before.free_pages);
	EXPECT(greets(h2) > 0 && greets(h3) > 0, "hello2 or hello3 does not answer");
}

/* VM_MAP of one page at addr of e from the page cache, key `file` (its page at offset 0, whole). */
static int
map_key(endpoint_t e, uint64_t addr, uint64_t file)
{
	endpoint_t vm = NONE;
	message m;
	int r;

	if ((r = sys_lookup("vm", &vm)) < 0)
		return r;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_MAP;
	m.m_vm_request.endpt = e;
	m.m_vm_request.addr = addr;
	m.m_vm_request.len = 4096;
	m.m_vm_request.prot = LX_PROT_READ;
	m.m_vm_request.flags = VM_MAP_FILE | VM_MAP_POPULATE;
	m.m_vm_request.file = file;
	m.m_vm_request.file_end = 4096;
	if ((r = ipc_sendrec(vm, &m)) < 0)
		return r;
	return m.m_type;
}

TEST(rs, shared_text_keys,
     "a boot module's key names its content wherever it is mapped, for any builder but PM; VFS's "
     "file ids are PM's alone")
{
	static const struct priv_desc unmanaged = { .sig_mgr = NONE };
	struct msg_vm_page p, q;
	struct priv_desc d;
	const void *image;
	size_t size;
	endpoint_t h, vm, h2 = service("hello2", NULL);
	int ix;
	message m;

	EXPECT(h2 != NONE, "hello2 is not running");
	EXPECT_EQ(sys_mapimage_named("hello", &image, &size), 0);
	EXPECT((ix = sys_mapimage_index(image)) >= 0, "no index for hello's module: %d", ix);

	/* A process we build (its manager): a page of hello's code is the cache's frame. */
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS;
	d.sig_mgr = self_endpoint;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	EXPECT_EQ(spawn_program("peer", "keyed", &d, &h), 0);
	EXPECT_EQ(map_key(h, 0x20000000, VM_FILE_MODULE | (uint64_t)ix), 0);
	EXPECT_EQ(page_of(h, 0x20000000, &p), 0);
	EXPECT_EQ(page_of(h2, 0x400000, &q), 0);
	EXPECT(p.frame != 0 && p.frame == q.frame, "frames %llu and %llu",
	       (unsigned long long)p.frame, (unsigned long long)q.frame);
	/* A VFS file id from anyone but PM: refused, nothing mapped. */
	EXPECT_EQ(map_key(h, 0x20001000, 5), -EPERM);
	EXPECT_EQ(page_of(h, 0x20001000, &p), 0);
	EXPECT_EQ(p.frame, 0);

	/* Its end: its space freed by us, then the kernel clears it. */
	EXPECT_EQ(sys_lookup("vm", &vm), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = VM_EXIT;
	m.m_vm_request.endpt = h;
	EXPECT_EQ(ipc_sendrec(vm, &m), 0);
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ(sys_privctl(h, PRIVCTL_SET, &unmanaged, 0, 0), 0);
	EXPECT_EQ(sys_kill(h, SIGKILL), 0);
	EXPECT_EQ(await_gone(h), 0);
}
