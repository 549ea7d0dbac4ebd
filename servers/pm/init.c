/*
 * init, pid 1 (docs/userland.md section 1).  In normal mode PM's
 * system.conf line names the program (args=/sbin/init: Debian's busybox,
 * unmodified); in the other modes it names none and nothing starts init,
 * so no shell races a test for the console.
 *
 * PM starts it as pid 1, uid 0, with 0, 1 and 2 on /dev/console (VFS's
 * VFS_PM_START), once the services it needs are up: VFS (which mounted
 * the root in its init, before RS published its label), VM (its memory)
 * and the tty (its console).  PM learns of each from DS: it subscribes to
 * their labels and tries again at every change until the start succeeds.
 *
 * When init ends, Linux panics; Axolotl starts it again, pid 1 once more
 * (its orphans were already reparented to pid 1 and become the new init's
 * children).  A second death within a second is not repaired: a program
 * that cannot stay up would only loop, so PM says so and powers the
 * machine off, as reboot(2) does (the file systems synced and unmounted
 * first), with a failure status.
 */
#include "pm.h"
#include "exec.h"
#include <string.h>
#include <stdio.h>
#include <ax/ds.h>
#include <ax/vfs.h>

#define INIT_PRIORITY 14 /* as every user process (pm.c's USER_PRIORITY) */

/* What init's environment holds: Linux's kernel gives init the same two. */
#define INIT_ENV "HOME=/ TERM=linux"

static const char *const needed[] = { "vfs", "vm", "tty" };

static struct {
	const char *path;    /* the program, NULL: this mode starts no init */
	bool running;        /* pid 1 lives */
	bool given_up;       /* it died twice within a second */
	uint64_t last_death; /* uptime tick of its last death, 0: none */
	uint32_t hz;
} init;

static bool
service_up(const char *label)
{
	endpoint_t e;

	return sys_lookup(label, &e) == 0;
}

/* pid 1 in a fresh slot, its files on the console, its program: 0 or -E. */
static int
start_init(void)
{
	struct msg_vfs_pm vrq = { .v_pid = INIT_PID };
	struct mproc *mp;
	endpoint_t e;
	int r;

	if (pm_find_pid(INIT_PID))
		return -EAGAIN; /* the dead one's entry is not gone yet */
	if (!(mp = pm_alloc()))
		return -EAGAIN;
	mp->mp_pid = INIT_PID;
	mp->mp_ppid = 0;
	mp->mp_pgid = mp->mp_sid = INIT_PID;
	mp->mp_exit_signal = LX_SIGCHLD;
	strlcpy(mp->mp_name, "init", sizeof(mp->mp_name));
	if ((r = sys_spawn_prio(NULL, 0, "init", NULL, INIT_PRIORITY, &e)) < 0) {
		pm_reap(mp);
		return r;
	}
	mp->mp_endpt = e;
	vrq.v_endpt = e;
	/* VFS first: exec reads the file as this process, with its root and ids. */
	if ((r = pm_tell_vfs(VFS_PM_START, &vrq, NULL)) == 0 &&
	    (r = pm_exec_file(mp, init.path, INIT_ENV)) == 0 &&
	    (r = sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0)) == 0) {
		pm_bind(mp, e);
		return 0;
	}
	vrq = (struct msg_vfs_pm){ .v_endpt = e };
	pm_tell_vfs(VFS_PM_EXIT, &vrq, NULL);
	(void)pm_vm_call(VM_EXIT, e, 0, 0, 0, 0);
	sys_clear(e);
	pm_reap(mp);
	return r;
}

/* Start init if it is wanted, not running, and what it needs is up. */
static void
try_start(void)
{
	int r;

	if (!init.path || init.running || init.given_up)
		return;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!service_up(needed[i]))
			return; /* DS tells PM when it comes */
	if ((r = start_init()) < 0) {
		/* -EIO: VFS has no root yet; the next change tries again. */
		if (r != -EIO && r != -ENOSYS)
			printf("pm: starting %s as init failed: %d\n", init.path, r);
		return;
	}
	init.running = true;
}

/* What a live update carries of this file (lu.c); init_setup names the program again. */
void
init_lu_state(pm_lu_add_fn *add)
{
	add(&init, sizeof(init));
}

void
init_setup(int argc, char **argv)
{
	struct msg_sys_kinfo ki;

	if (argc < 2 || argv[1][0] != '/')
		return;
	init.path = argv[1];
	init.hz = sys_getkinfo(&ki) == 0 && ki.hz ? ki.hz : 100;
	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++)
		if (ds_subscribe(needed[i], DSF_INITIAL) < 0)
			printf("pm: cannot follow %s in DS: init may not start\n", needed[i]);
	try_start();
}

/* A NOTIFY from DS: changes of the labels init waits for. */
void
init_notify(void)
{
	char key[DS_MAX_KEYLEN];
	endpoint_t owner;
	int type;

	while (ds_check(key, &type, &owner) == 0)
		;
	try_start();
}

/* pid 1 ended with wait status `status` (fork.c, pm_exit): start it again. */
void
init_died(int status)
{
	uint64_t now = time_now_ticks();

	init.running = false;
	if (!init.path)
		return;
	printf("pm: init (pid 1) ended, status %#x\n", status);
	if (init.last_death && now - init.last_death < init.hz) {
		struct msg_vfs_pm rq = { .v_endpt = NONE };
		int r;

		printf("pm: init died twice within a second: powering off\n");
		init.given_up = true;
		if ((r = pm_tell_vfs(VFS_PM_SHUTDOWN, &rq, NULL)) < 0)
			printf("pm: the file systems did not all unmount cleanly: %d\n", r);
		r = sys_abort(ABORT_POWEROFF, 1);
		printf("pm: the kernel refused to stop: %d; init stays down\n", r);
		return;
	}
	init.last_death = now ? now : 1;
	try_start();
}
