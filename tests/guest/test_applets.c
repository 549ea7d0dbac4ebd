/*
 * shell.applets (issue 16, docs/userland.md): PM starts user/applets,
 * which runs tests/session/applets.sh under Debian's busybox-static (every
 * applet the issue names, pipes, redirections, $(...), loops) and sends
 * the script's output over the console (COM2 in test mode).  This half
 * passes when the runner ran the script and sent its output; the verdict
 * that counts is the host's (tools/applets.py, called by tools/axrun.py):
 * the output must be, byte for byte, what the same script and binary
 * print on the Linux twin over the same root image.
 */
#include "guest.h"
#include <ax/linux.h>

/* The script forks and execs busybox a few hundred times. */
#define APPLETS_BOUND (180 * 100)

TEST(shell, applets, "busybox's applets on Axolotl print what they print on Linux")
{
	EXPECT_EQ(proc_run_uid("applets", "", 0, APPLETS_BOUND), LX_W_EXITCODE(0));
}
