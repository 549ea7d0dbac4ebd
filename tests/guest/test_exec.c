/*
 * execve (issue 14, docs/processes.md section 4; servers/pm/exec.c): the
 * test starts the static musl program exectest (user/exectest/exectest.c)
 * from the boot image through PM_START and waits for its wait status;
 * exectest execs itself, #! scripts, busybox and bad files from the root
 * file system's /bin (through VFS), and the new image checks what it got.  Everything reports through exit statuses
 * (0: every check held; see exectest.c for the numbers).
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>

/* Run exectest with args to its end (bounded): its wait status, or -E. */
static int
run(const char *args)
{
	return proc_run_uid("exectest", args, 0, 1000);
}

TEST(proc, exec_errors,
     "ENOENT, ENAMETOOLONG, EFAULT, E2BIG, ENOEXEC, ELOOP, EACCES, ENOTDIR (through VFS): the "
     "caller lives")
{
	EXPECT_EQ(run("errors"), LX_W_EXITCODE(0));
}
