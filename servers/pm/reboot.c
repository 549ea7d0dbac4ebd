/*
 * reboot(2) (Linux 169): the end of the system, as busybox's init asks
 * for it after its shutdown actions (docs/userland.md, section 4).
 *
 * Checked as Linux checks it: a caller whose effective uid is not 0 gets
 * EPERM whatever it passed; then the two magic numbers (EINVAL); then the
 * command.  CAD_ON and CAD_OFF (what ctrl-alt-del does) are accepted and
 * change nothing: the console has no such key.  POWER_OFF, HALT and
 * RESTART (RESTART2's string is not used: a plain restart) first ask VFS
 * to sync and unmount every file system (VFS_PM_SHUTDOWN: each FS writes
 * its dirty blocks and its clean flag), then ask the kernel to stop
 * (sys_abort: a power-off leaves QEMU with the success status, a restart
 * resets the machine, a halt stops the processor).  Like Linux, reboot
 * does not end the processes: init has done that.  The call returns only
 * if the kernel refused; the file systems are unmounted by then.
 */
#include "pm.h"
#include <stdio.h>
#include <ax/vfs.h>

#define LX_REBOOT_MAGIC1  0xfee1deadu
#define LX_REBOOT_MAGIC2  672274793u /* and three more dates, as Linux accepts */
#define LX_REBOOT_MAGIC2A 85072278u
#define LX_REBOOT_MAGIC2B 369367448u
#define LX_REBOOT_MAGIC2C 537993216u

#define LX_REBOOT_CMD_RESTART   0x01234567u
#define LX_REBOOT_CMD_HALT      0xcdef0123u
#define LX_REBOOT_CMD_CAD_ON    0x89abcdefu
#define LX_REBOOT_CMD_CAD_OFF   0x00000000u
#define LX_REBOOT_CMD_POWER_OFF 0x4321fedcu
#define LX_REBOOT_CMD_RESTART2  0xa1b2c3d4u

static bool
magic_ok(uint32_t magic1, uint32_t magic2)
{
	return magic1 == LX_REBOOT_MAGIC1 &&
	       (magic2 == LX_REBOOT_MAGIC2 || magic2 == LX_REBOOT_MAGIC2A ||
		magic2 == LX_REBOOT_MAGIC2B || magic2 == LX_REBOOT_MAGIC2C);
}

/* The kernel's way to stop for cmd, or 0 for a command that does not stop. */
static int
abort_how(uint32_t cmd)
{
	switch (cmd) {
	case LX_REBOOT_CMD_POWER_OFF:
		return ABORT_POWEROFF;
	case LX_REBOOT_CMD_HALT:
		return ABORT_HALT;
	case LX_REBOOT_CMD_RESTART:
	case LX_REBOOT_CMD_RESTART2:
		return ABORT_RESTART;
	default:
		return 0;
	}
}

static const char *
how_name(int how)
{
	return how == ABORT_POWEROFF ? "power-off" : how == ABORT_HALT ? "halt" : "restart";
}

/* Sync and unmount everything, then stop: returns only if the kernel refused. */
static int64_t
shut_down(const struct mproc *mp, int how)
{
	struct msg_vfs_pm rq = { .v_endpt = mp->mp_endpt };
	int r;

	printf("pm: %s asked by %s (pid %d)\n", how_name(how), mp->mp_name, mp->mp_pid);
	if ((r = pm_tell_vfs(VFS_PM_SHUTDOWN, &rq, NULL)) < 0)
		printf("pm: the file systems did not all unmount cleanly: %d\n", r);
	r = sys_abort(how, 0);
	printf("pm: the kernel refused to stop: %d\n", r);
	return r < 0 ? r : -EIO;
}

int64_t
lx_reboot(struct mproc *mp, const uint64_t *arg)
{
	uint32_t cmd = (uint32_t)arg[2];
	int how;

	if (mp->mp_euid != 0)
		return -EPERM;
	if (!magic_ok((uint32_t)arg[0], (uint32_t)arg[1]))
		return -EINVAL;
	if (cmd == LX_REBOOT_CMD_CAD_ON || cmd == LX_REBOOT_CMD_CAD_OFF)
		return 0;
	if (!(how = abort_how(cmd)))
		return -EINVAL;
	return shut_down(mp, how);
}
