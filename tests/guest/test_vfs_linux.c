/*
 * Files as Linux has them where it is easy to get wrong (docs/files.md):
 * each test starts the static musl program vfslinux (user/vfslinux) through
 * PM in one of its modes and expects it to exit 0; vfslinux checks with
 * Linux's own calls, and prints the check that failed on the console.
 */
#include "guest.h"

#define VFSLINUX(mode)                                                                    \
	do {                                                                              \
		int st_ = proc_run_uid("vfslinux", mode, 0, 3000);                        \
		EXPECT(st_ == 0,                                                          \
		       "vfslinux %s: status %#x (exit code: the line of vfslinux.c that " \
		       "failed, mod 256)",                                                \
		       mode, st_);                                                        \
	} while (0)

TEST(vfs, ppoll_sigmask,
     "ppoll and pselect6 set their signal mask for the wait only: a signal it lets through "
     "interrupts with EINTR and its handler, one it blocks waits; poll and select are "
     "interrupted by a handler too")
{
	VFSLINUX("ppoll_sigmask");
}

TEST(vfs, etxtbsy,
     "a running program's file cannot be opened for writing or truncated, a file open for "
     "writing cannot be executed (ETXTBSY); both free again when the other side ended")
{
	VFSLINUX("etxtbsy");
}

TEST(vfs, tty_orphan,
     "on the controlling terminal, from the background: an orphaned group's read, write "
     "under TOSTOP and tcsetattr are EIO (not stopped, not held); SIGTTOU blocked lets a "
     "write and tcsetpgrp through; SIGTTIN blocked makes a read EIO")
{
	VFSLINUX("tty_orphan");
}

TEST(vfs, sa_restart,
     "a pipe read and a FIFO open interrupted by a handler: EINTR, or run again under "
     "SA_RESTART; poll EINTR either way")
{
	VFSLINUX("sa_restart");
}

TEST(vfs, rmdir_busy,
     "a directory that is a working directory or open is removed (or replaced by rename) as "
     "on Linux: dead, nothing found or made in it, freed at the last close (an unlinked file too)")
{
	VFSLINUX("rmdir_busy");
}

TEST(vfs, pipe_iov,
     "writev and readv on a pipe that must wait after the first vector lose no byte and write "
     "none twice")
{
	VFSLINUX("pipe_iov");
}
