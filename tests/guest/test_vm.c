/*
 * The VM server (issue 14 item 1, servers/vm/README.md): user memory
 * through the Linux calls brk, mmap, munmap, mprotect and mremap, served
 * by VM, with pages made on demand when the kernel forwards a fault.  The
 * test asks PM to start the static musl program lxvm
 * (user/lxvm/lxvm.c) in one of its modes and reads its wait status; VM's
 * own count (VM_INFO) shows that every page comes back when it ends.
 * vm.all_ram is the host's (tools/axrun.py): it boots these tests at
 * -m 48M and -m 8G.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/vm.h>
#include <ax/linux.h>
#include <ax/signal.h>
#include <ax/vfs.h>
#include <ax/memory.h>
#include "ram_fs.h"

static endpoint_t
server(const char *name)
{
	endpoint_t e = NONE;

	for (int i = 0; i < 500 && sys_lookup(name, &e) < 0; i++)
		tickdelay(1);
	return e;
}

static int
call(const char *name, int type, message *m)
{
	int r;

	m->m_type = type;
	if ((r = ipc_sendrec(server(name), m)) < 0)
		return r;
	return m->m_type;
}

/* lxvm with args as a child of ours (PM_START): 0 and *rp, or -E. */
static int
start(const char *args, struct msg_pm_reply *rp)
{
	return proc_start("lxvm", args, rp);
}

/* lxvm's wait status for args, or -E (test_vm_lu.c too). */
int
lxvm_run(const char *args)
{
	struct msg_pm_reply rp;
	int r;

	if ((r = start(args, &rp)) < 0)
		return r;
	return proc_wait(rp.pid);
}

/* VM's counts (VM_INFO); all 0 if VM does not answer (test_vm_lu.c too). */
struct msg_vm_reply
vm_info(void)
{
	message m;

	memset(&m, 0, sizeof(m));
	if (call("vm", VM_INFO, &m) < 0)
		memset(&m.m_vm_reply, 0, sizeof(m.m_vm_reply));
	return m.m_vm_reply;
}

TEST(vm, brk, "brk grows the heap with zeroed pages, shrinks it, refuses bad ends; nothing leaks")
{
	struct msg_vm_reply before = vm_info(), after;

	EXPECT(before.total_pages > 0, "VM has no memory");
	EXPECT_EQ(lxvm_run("brk"), 0);
	after = vm_info();
	EXPECT_EQ(after.free_pages, before.free_pages);
	EXPECT_EQ(after.user_pages, before.user_pages);
}

TEST(vm, mmap_anon,
     "anonymous mmap and mremap: placement, hints, MAP_FIXED, zero fill, moves keep the data, "
     "bad arguments are errors")
{
	struct msg_vm_reply before = vm_info();

	EXPECT_EQ(lxvm_run("mmap"), 0);
	EXPECT_EQ(lxvm_run("mremap"), 0);
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
}

TEST(vm, munmap, "munmap splits a mapping and frees its pages; a touch of one is SIGSEGV")
{
	struct msg_vm_reply before = vm_info();

	EXPECT_EQ(lxvm_run("munmap"), 0);
	EXPECT_EQ(lxvm_run("munmap_touch"), LX_W_TERMSIG(SIGSEGV));
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
}

TEST(vm, mprotect,
     "mprotect changes rights and keeps the data; a write to a read-only page is SIGSEGV")
{
	struct msg_vm_reply before = vm_info();

	EXPECT_EQ(lxvm_run("mprotect"), 0);
	EXPECT_EQ(lxvm_run("mprotect_segv"), LX_W_TERMSIG(SIGSEGV));
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
}

TEST(vm, oom,
     "a process that takes all memory gets ENOMEM; services still answer, the reserve still "
     "starts a program; a fault with nothing left is SIGKILL; everything comes back")
{
	struct msg_vm_reply before = vm_info(), now;
	struct msg_pm_reply hog;
	uint32_t v;
	int i;

	EXPECT_EQ(start("oom", &hog), 0);
	/* Wait for the state: VM down to its reserve (bounded). */
	for (i = 0; i < 3000; i++) {
		now = vm_info();
		if (now.free_pages <= now.reserved_pages + 256)
			break;
		tickdelay(1);
	}
	EXPECT(i < 3000, "the hog did not take the memory: %llu free",
	       (unsigned long long)now.free_pages);
	EXPECT(now.free_pages >= now.reserved_pages, "the reserve was taken");
	EXPECT_EQ(ds_retrieve_u32("vm.oom.none", &v), -ENOENT); /* DS answers */
	EXPECT_EQ(lxvm_run("oom_small"), 0); /* PM starts it (from the reserve); it gets ENOMEM */
	EXPECT_EQ(sys_kill(hog.endpt, SIGKILL), 0);
	EXPECT_EQ(proc_wait(hog.pid), LX_W_TERMSIG(SIGKILL));
	EXPECT_EQ(vm_info().free_pages, before.free_pages);

	EXPECT_EQ(lxvm_run("oom_fault"), LX_W_TERMSIG(SIGKILL));
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
	EXPECT_EQ(vm_info().user_pages, before.user_pages);
}

TEST(vm, requests_checked,
     "VM's native requests about a space: its signal manager's alone (EPERM), bad ranges EINVAL")
{
	/* Ourselves (the runner manages us), services (RS manages them), RS (the replica does). */
	const endpoint_t targets[] = { self_endpoint, find("hello"), find("rs"), find("pm") };
	const int types[] = { VM_NEWMEM, VM_EXIT, VM_MAP, VM_POPULATE, VM_PROTECT, VM_SETBRK };
	message m;

	for (size_t t = 0; t < ARRAY_SIZE(targets); t++)
		for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
			memset(&m, 0, sizeof(m));
			m.m_vm_request.endpt = targets[t];
			m.m_vm_request.addr = 0x400000;
			m.m_vm_request.len = 4096;
			EXPECT(call("vm", types[i], &m) == -EPERM, "request %#x about %d: %d",
			       types[i], targets[t], m.m_type);
		}
	memset(&m, 0, sizeof(m));
	m.m_vm_request.endpt = self_endpoint;
	m.m_vm_request.child = find("hello");
	EXPECT_EQ(call("vm", VM_SWAP, &m), -EPERM);
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(call("vm", VM_BASE + 0x50, &m), -ENOSYS);
	/* A page fault or Linux call from a system process: no space of ours. */
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(call("vm", VM_PAGEFAULT, &m), -EFAULT);
	/* vmctl is VM's alone. */
	{
		struct msg_sys_vmctl rq;

		memset(&rq, 0, sizeof(rq));
		rq.op = VMCTL_GETMEM;
		EXPECT_EQ(sys_vmctl(&rq, NULL), -EPERM);
	}
}

/* lxvm from the file system (file_fs execs /bin/lxvm) in a file mode: its wait status. */
static int
lxvm_file(const char *mode)
{
	char args[64];

	snprintf(args, sizeof(args), "file_fs %s", mode);
	return proc_run_uid("lxvm", args, 0, 3000);
}

TEST(vm, mmap_file,
     "a file mapped MAP_PRIVATE and MAP_SHARED read-only reads as read(2) does (through VFS, "
     "then from the page cache), zeros past the end in the last page; a private write changes "
     "neither the file nor other mappings; fork shares, then copies on write; munmap, "
     "mprotect, mremap; a touch of a page past the end is SIGBUS; nothing leaks")
{
	struct msg_vm_reply before = vm_info();
	int st;

	st = lxvm_file("file_map");
	EXPECT(st == 0, "lxvm file_map: status %#x (the line of user/lxvm/file.c, mod 256)", st);
	EXPECT_EQ(lxvm_file("file_bus"), LX_W_TERMSIG(SIGBUS));
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
	EXPECT_EQ(vm_info().user_pages, before.user_pages);
}

TEST(vm, mmap_file_errors,
     "file mmap's errors as Linux's: EBADF, EINVAL, EACCES (write-only, shared writable of a "
     "read-only descriptor), ENODEV (pipe, terminal, directory; shared writable: not served); "
     "a forged VFS answer to VM or request to VFS changes nothing")
{
	struct msg_vm_reply before = vm_info();
	message m;
	int st;

	st = lxvm_file("file_errors");
	EXPECT(st == 0, "lxvm file_errors: status %#x (the line of user/lxvm/file.c, mod 256)", st);
	/* Only VFS answers VM, only VM asks VFS: both drop a stranger's message. */
	memset(&m, 0, sizeof(m));
	m.m_type = VM_VFS_ANSWER;
	m.m_vfs_vm.endpt = self_endpoint;
	EXPECT_EQ(asynsend(server("vm"), &m), 0);
	memset(&m, 0, sizeof(m));
	m.m_type = VFS_VM_MMAP;
	m.m_vfs_vm.endpt = self_endpoint;
	EXPECT_EQ(asynsend(server("vfs"), &m), 0);
	tickdelay(2);
	EXPECT_EQ(lxvm_run("brk"), 0);
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
}

/* The pages VM holds for e (VM_INFO), 0 if it keeps no space for it. */
static uint64_t
pages_of(endpoint_t e)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_vm_request.endpt = e;
	return call("vm", VM_INFO, &m) == 0 ? m.m_vm_reply.proc_pages : 0;
}

TEST(vm, built_by_manager,
     "a test's process and its helpers are built through VM by their signal manager, who alone "
     "may change them; VM_REAP frees what a helper without a manager left at its end")
{
	struct priv_desc d;
	uint64_t before;
	endpoint_t h;
	message m;

	EXPECT(pages_of(self_endpoint) > 0, "VM holds no page of this test's process");
	memset(&m, 0, sizeof(m));
	EXPECT(call("vm", VM_REAP, &m) >= 0, "VM_REAP: %d", m.m_type);
	before = vm_info().free_pages;

	/* Built by us as its manager, then given none: we may no longer touch its space. */
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS;
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	EXPECT_EQ(spawn_program("peer", "vm_built", &d, &h), 0);
	EXPECT_EQ(await_receive(h), 0);
	EXPECT(pages_of(h) > 0, "VM holds no page of the helper");
	memset(&m, 0, sizeof(m));
	m.m_vm_request.endpt = h;
	m.m_vm_request.addr = 0x10000000;
	m.m_vm_request.len = 4096;
	m.m_vm_request.prot = LX_PROT_READ | LX_PROT_WRITE;
	EXPECT_EQ(call("vm", VM_MAP, &m), -EPERM);
	EXPECT(peer_call(h, PEER_WHO, 0, 0, &m) >= 0,
	       "the helper does not answer"); /* it runs on */

	/* Killed without a manager, the kernel clears it; VM learns of it at VM_REAP. */
	EXPECT_EQ(sys_kill(h, SIGKILL), 0);
	EXPECT_EQ(await_gone(h), 0);
	memset(&m, 0, sizeof(m));
	EXPECT(call("vm", VM_REAP, &m) >= 1, "VM_REAP freed %d spaces", m.m_type);
	EXPECT_EQ(pages_of(h), 0);
	EXPECT_EQ(vm_info().free_pages, before);
}

TEST(vm, mmap_file_fs_dead,
     "the file system of a mapped file crashes: the next mmap of it is EIO without a hang, the "
     "mapping made before still reads its bytes, the dead mount unmounts; VM and VFS go on")
{
	bdev_t ram = bdev_dev(bdev_driver("memory"), MEMORY_RAM(2));
	struct msg_vm_reply before;
	int st;

	test_cleanup(ram_fs_free);
	EXPECT_EQ(ram_fs_setup(ram), 0);
	st = lxvm_file("file_fs_dead");
	EXPECT(st == 0, "lxvm file_fs_dead: status %#x (the line of user/lxvm/file.c, mod 256)",
	       st);
	/* RS's new vfsmnt may have its memory from VM now: count from here. */
	before = vm_info();
	EXPECT_EQ(lxvm_file("file_map"), 0);
	EXPECT_EQ(vm_info().free_pages, before.free_pages);
	/* The dead MFS's open of the disk went with it: ours is the only one. */
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &(uint64_t){ 64 * 1024 }), 0);
}
