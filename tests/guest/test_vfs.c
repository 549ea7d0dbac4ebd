/*
 * The VFS tests (docs/files.md, servers/vfs/README.md): each starts the
 * user program vfstest (user/vfstest) through PM in one of its modes and
 * expects it to exit 0; vfstest checks the calls from the inside and, when
 * a check fails, exits with its line number after printing it on the
 * console (the tty's log in test mode, build/test-com2.log).
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>

/* Run vfstest in `mode` as uid to its end (bounded): its wait status, or -E. */
static int
vfstest(const char *mode, uint32_t uid)
{
	return proc_run_uid("vfstest", mode, uid, 1000);
}

#define VFSTEST(mode, uid)                                                         \
	do {                                                                       \
		int st_ = vfstest(mode, uid);                                      \
		EXPECT(st_ == 0,                                                   \
		       "vfstest %s: status %#x (exit code: the line of vfstest.c " \
		       "that failed, mod 256)",                                    \
		       mode, st_);                                                 \
	} while (0)

TEST(vfs, open_read_write,
     "open/creat, read/write, pread/pwrite, readv/writev, append, excl, trunc, dup, fcntl")
{
	VFSTEST("open_read_write", 0);
}

TEST(vfs, lseek, "SEEK_SET/CUR/END, holes read as zeroes, bad whence and offsets refused")
{
	VFSTEST("lseek", 0);
}

TEST(vfs, dirs, "mkdir/rmdir, getdents64, chdir/fchdir/getcwd, the *at() calls")
{
	VFSTEST("dirs", 0);
}

TEST(vfs, symlink_loop, "a link loop and 41 links are ELOOP, 40 resolve; relative and absolute")
{
	VFSTEST("symlink_loop", 0);
}

TEST(vfs, permissions, "a non-root process is refused where Linux refuses it")
{
	VFSTEST("permissions", 1000);
}

TEST(vfs, bad_paths, "bad pointers, too long, empty, not a directory: clear errors")
{
	VFSTEST("bad_paths", 0);
}

TEST(vfs, mount,
     "mount a Minix image read-only on /mnt, cross it both ways, unmount; remount / read-only "
     "and back")
{
	VFSTEST("mount", 0);
	VFSTEST("remount", 0);
}

TEST(vfs, dev_nodes, "/dev/null, /dev/zero, /dev/hello, the console, a block device node")
{
	VFSTEST("dev_nodes", 0);
}

TEST(vfs, fork_shares_offset, "a forked child shares open files (offsets), not descriptors or cwd")
{
	VFSTEST("fork_shares_offset", 0);
}

TEST(vfs, links, "link, symlink, readlink, rename (and RENAME_NOREPLACE), chmod, chown, utimensat")
{
	VFSTEST("links", 0);
}

TEST(vfs, cloexec,
     "execve closes O_CLOEXEC/FD_CLOEXEC descriptors, keeps the others; dup clears the flag")
{
	VFSTEST("cloexec", 0);
}

TEST(vfs, file_times,
     "create, write, truncate, chmod, chown, link, unlink, utimensat, read stamp the wall clock")
{
	VFSTEST("times", 0);
}

TEST(vfs, lu_under_load,
     "VFS live-updated while a process works with files and pipes: its cwd, umask, offsets, "
     "pipe bytes and children waiting in read and poll come over, and it sees no error")
{
	struct msg_pm_reply pr;
	endpoint_t rs, before = service("vfs", NULL);
	uint64_t status, t0, t1;
	message m;

	EXPECT(before != NONE, "vfs is not running");
	EXPECT_EQ(sys_lookup("rs", &rs), 0);
	EXPECT_EQ(proc_start("vfstest", "lu_load", &pr), 0);
	tickdelay(10); /* in its rounds, its children waiting */
	t0 = uptime();
	EXPECT_EQ(rs_update_send("vfs", "vfs", SEF_LU_STATE_WORK_FREE, 300, 0), 0);
	EXPECT_EQ(ipc_receive(rs, &m, &status), 0);
	t1 = uptime();
	EXPECT_EQ(m.m_type, 0);                  /* done, not rolled back */
	EXPECT_EQ(service("vfs", NULL), before); /* an update keeps the endpoint */
	/* vfstest works for 600 ms (60 ticks): the update came in the middle. */
	EXPECT(t1 - t0 + 10 < 60, "the update took %lu ticks", (unsigned long)(t1 - t0));
	EXPECT_EQ(proc_wait(pr.pid), 0);
}
