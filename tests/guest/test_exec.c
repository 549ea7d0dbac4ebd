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

TEST(proc, exec_args_env_auxv,
     "the new image gets argv, envp and every auxv entry as Linux's, AT_RANDOM fresh each time")
{
	EXPECT_EQ(run("chain"), LX_W_EXITCODE(0));
	EXPECT_EQ(run("chain_again"), LX_W_EXITCODE(0)); /* an exec'd image execs again */
	EXPECT_EQ(run("toscript"), LX_W_EXITCODE(0));    /* #! with an argument */
	/* 160 KiB of strings: past PM's small argument buffers (servers/pm/exec.c) */
	EXPECT_EQ(run("big"), LX_W_EXITCODE(0));
	EXPECT_EQ(run("bigscript"), LX_W_EXITCODE(0));
}

TEST(proc, exec_errors,
     "ENOENT, ENAMETOOLONG, EFAULT, E2BIG, ENOEXEC, ELOOP, EACCES, ENOTDIR (through VFS): the "
     "caller lives")
{
	EXPECT_EQ(run("errors"), LX_W_EXITCODE(0));
}

TEST(proc, exec_busybox,
     "Debian's busybox-static, unmodified: true, false, sh -c with arithmetic, echo to a file")
{
	EXPECT_EQ(run("bb 0"), LX_W_EXITCODE(0));  /* busybox true */
	EXPECT_EQ(run("bb 1"), LX_W_EXITCODE(1));  /* busybox false */
	EXPECT_EQ(run("bb 2"), LX_W_EXITCODE(42)); /* sh -c 'a=$((6*7)); exit $a' */
	EXPECT_EQ(run("bb 3"), LX_W_EXITCODE(43)); /* ... echo $a; exit $((a + 1)) */
	EXPECT_EQ(run("bb 4"), LX_W_EXITCODE(7));  /* the applet named by argv[0] */
	/* Its stdout on a file in /tmp (fork, dup2): what Linux's busybox writes. */
	EXPECT_EQ(run("bbout 0"), LX_W_EXITCODE(0)); /* busybox echo hello world */
	EXPECT_EQ(run("bbout 1"), LX_W_EXITCODE(0)); /* sh -c 'a=$((6*7)); echo $a': 42 */
	/*
	 * sh -c with a loop of three `busybox true`: the shell forks and execs
	 * /proc/self/exe each time and takes SIGCHLD in its handler, whose
	 * frame goes on stack pages still shared copy-on-write.
	 */
	EXPECT_EQ(run("bbtrue 3"), LX_W_EXITCODE(0));
	EXPECT_EQ(run("shscript 1"), LX_W_EXITCODE(0)); /* make bench's shell script */
}

TEST(procfs, exe,
     "/proc/self/exe and /proc/<pid>/exe name the program's file; an exec of /proc/self/exe "
     "runs it again, and the new program's link names the file")
{
	EXPECT_EQ(run("exe"), LX_W_EXITCODE(0));
}

TEST(proc, exec_cache,
     "exec maps a file's pages from VM's page cache; a file written in place or rewritten "
     "whole runs its new bytes at its next exec")
{
	EXPECT_EQ(run("rewrite"), LX_W_EXITCODE(0));
}
