/*
 * vfs.procfs: procfs mounted by VFS on /proc and read through the Linux
 * calls, as busybox's ps reads it.  The checks are in the user program
 * (user/procfstest), which PM starts and this test waits for: exit 0, or
 * the line of procfstest.c that failed.
 */
#include "guest.h"
#include <ax/pm.h>

TEST(vfs, procfs,
     "mount -t proc on /proc: /proc/self, /proc/<pid>/stat, cmdline, status, the listing, "
     "EROFS, umount, through VFS")
{
	struct msg_pm_reply r;
	int status;

	EXPECT_EQ(proc_start("procfstest", "", &r), 0);
	status = proc_wait(r.pid);
	EXPECT(status == 0,
	       "procfstest: status %#x (exit code: the line of procfstest.c that failed)", status);
}
