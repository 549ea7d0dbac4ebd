/*
 * PM, the process manager (README.md, docs/processes.md): the table of user
 * processes, the Linux calls that are PM's (linux.c), and the signal
 * manager of user processes.  At start it registers with the kernel as the
 * owner of the PM class of Linux calls (linuxctl), which also makes it the
 * signal manager of the shared user slot.
 *
 * Native requests (include/ax/pm.h) come from system processes: PM_START
 * starts a program from the boot image as a child of the caller (until VFS
 * and exec exist, issue 14 item 5), PM_WAIT waits for a child's end.
 *
 * fork, exit and wait, ids and process groups are in fork.c (the order of
 * docs/processes.md section 4); init, pid 1, in init.c.
 */
#include "pm.h"
#include <dispatch.h>
#include <sef.h>
#include <string.h>
#include <stdio.h>
#include <ax/signal.h>
#include <ax/vfs.h>
#include <ax/tty.h>

#define USER_PRIORITY 14 /* below every service (they default to 12) */

struct mproc mproc[NR_MPROCS];
static struct mproc *by_slot[NR_SLOTS]; /* live user processes by kernel slot */
static int32_t next_pid = 2;            /* pid 1 is init's, when there is one */

/* e may come from a message body (PM_SIGNAL's): its slot is checked, not trusted. */
struct mproc *
pm_user(endpoint_t e)
{
	int slot = endpoint_slot(e);
	struct mproc *mp = slot < NR_SLOTS ? by_slot[slot] : NULL;

	return mp && mp->mp_endpt == e && !(mp->mp_flags & (MP_ZOMBIE | MP_NATIVE)) ? mp : NULL;
}

struct mproc *
pm_find_pid(int32_t pid)
{
	for (int i = 0; i < NR_MPROCS; i++)
		if ((mproc[i].mp_flags & MP_IN_USE) && mproc[i].mp_pid == pid)
			return &mproc[i];
	return NULL;
}

static bool
pid_in_use(int32_t pid)
{
	return pm_find_pid(pid) != NULL;
}

static struct mproc *
find_native(endpoint_t e)
{
	for (int i = 0; i < NR_MPROCS; i++)
		if ((mproc[i].mp_flags & MP_NATIVE) && mproc[i].mp_endpt == e)
			return &mproc[i];
	return NULL;
}

static int
count_children(int32_t pid)
{
	int n = 0;

	for (int i = 0; i < NR_MPROCS; i++)
		n += (mproc[i].mp_flags & MP_IN_USE) && !(mproc[i].mp_flags & MP_NATIVE) &&
		     mproc[i].mp_ppid == pid;
	return n;
}

static void
release(struct mproc *mp)
{
	memset(mp, 0, sizeof(*mp));
}

/*
 * Entries nobody will collect: zombies whose native parent is gone, and
 * native parents that are gone.  Swept when the table is full.
 */
static void
sweep(void)
{
	struct msg_sys_privinfo info;

	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *mp = &mproc[i];

		if ((mp->mp_flags & MP_NATIVE) && sys_getpriv(mp->mp_endpt, &info) < 0) {
			for (int j = 0; j < NR_MPROCS; j++)
				if ((mproc[j].mp_flags & MP_ZOMBIE) &&
				    mproc[j].mp_ppid == mp->mp_pid)
					release(&mproc[j]);
			for (int j = 0; j < NR_MPROCS; j++)
				if ((mproc[j].mp_flags & MP_IN_USE) &&
				    mproc[j].mp_ppid == mp->mp_pid)
					mproc[j].mp_ppid = INIT_PID; /* live: init's */
			release(mp);
		}
	}
}

/* A free entry with a fresh pid, or NULL. */
struct mproc *
pm_alloc(void)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < NR_MPROCS; i++) {
			struct mproc *mp = &mproc[i];

			if (mp->mp_flags & MP_IN_USE)
				continue;
			do {
				mp->mp_pid = next_pid++;
				if (next_pid > 32767)
					next_pid = 2;
			} while (pid_in_use(mp->mp_pid));
			mp->mp_flags = MP_IN_USE;
			mp->mp_waiter = NONE;
			return mp;
		}
		sweep();
	}
	return NULL;
}

/* The caller's own entry as a parent (made at its first PM_START). */
static struct mproc *
native_parent(endpoint_t caller)
{
	struct mproc *mp = find_native(caller);

	if (mp || !(mp = pm_alloc()))
		return mp;
	mp->mp_flags |= MP_NATIVE;
	mp->mp_endpt = caller;
	mp->mp_pgid = mp->mp_sid = mp->mp_pid;
	strlcpy(mp->mp_name, "(native)", sizeof(mp->mp_name));
	return mp;
}

void
pm_bind(struct mproc *mp, endpoint_t e)
{
	mp->mp_endpt = e;
	by_slot[endpoint_slot(e)] = mp;
}

void
pm_unbind(struct mproc *mp)
{
	by_slot[endpoint_slot(mp->mp_endpt)] = NULL;
	mp->mp_endpt = NONE;
}

/* A parent collected child's status: the child's entry goes, and an idle native parent's. */
void
pm_reap(struct mproc *child)
{
	struct mproc *parent = pm_find_pid(child->mp_ppid);

	release(child);
	if (parent && (parent->mp_flags & MP_NATIVE) && !count_children(parent->mp_pid))
		release(parent);
}

/* PM_WAIT's answer to a native parent: child's status; the entry goes. */
void
pm_reply_status(endpoint_t waiter, struct mproc *child)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = 0;
	m.m_pm_reply.pid = child->mp_pid;
	m.m_pm_reply.ppid = child->mp_ppid;
	m.m_pm_reply.status = child->mp_status;
	sef_reply(waiter, &m);
	pm_reap(child);
}

/*
 * PM_START: a program of the boot image as a new user process, a child of
 * the caller; its memory is VM's (start.c).
 */
static int
do_start(endpoint_t caller, message *m)
{
	struct msg_pm_request rq = m->m_pm_request;
	struct mproc *parent, *mp;
	endpoint_t e;
	int r;

	rq.program[PM_PROGRAM_LEN - 1] = '\0';
	rq.args[PM_ARGS_LEN - 1] = '\0';
	if (!rq.program[0])
		return -EINVAL;
	if (pm_user(caller))
		return -EPERM; /* user processes will exec through VFS */
	if (!(parent = native_parent(caller)))
		return -EAGAIN;
	if (!(mp = pm_alloc())) {
		if (!count_children(parent->mp_pid))
			release(parent);
		return -EAGAIN;
	}
	pm_native_child(mp, parent);
	strlcpy(mp->mp_name, rq.program, sizeof(mp->mp_name));
	mp->mp_ruid = mp->mp_euid = mp->mp_suid = rq.uid;
	mp->mp_rgid = mp->mp_egid = mp->mp_sgid = rq.uid;
	/* An empty slot; its image is exec's of /boot/<program> (exec.c, start.c). */
	r = sys_spawn_prio(NULL, 0, rq.program, NULL, USER_PRIORITY, &e);
	if (r == 0 && (mp->mp_endpt = e, r = pm_exec_boot(mp, rq.program, rq.args)) < 0) {
		(void)pm_vm_call(VM_EXIT, e, 0, 0, 0, 0);
		sys_clear(e);
	} else if (r == 0) {
		/* Its files (0, 1, 2 on the console) before it runs; without VFS, none. */
		struct msg_vfs_pm vrq = { .v_endpt = e,
					  .v_pid = mp->mp_pid,
					  .v_uid = rq.uid,
					  .v_euid = rq.uid,
					  .v_gid = rq.uid,
					  .v_egid = rq.uid };

		pm_tell_vfs(VFS_PM_START, &vrq, NULL);
		pm_vfs_job(mp); /* its group and session, for terminals */
		if ((r = sys_privctl(e, PRIVCTL_ALLOW, NULL, 0, 0)) < 0) {
			vrq = (struct msg_vfs_pm){ .v_endpt = e };
			pm_tell_vfs(VFS_PM_EXIT, &vrq, NULL);
			(void)pm_vm_call(VM_EXIT, e, 0, 0, 0, 0);
			sys_clear(e);
		}
	}
	if (r < 0) {
		pm_reap(mp);
		return r;
	}
	pm_bind(mp, e);
	memset(&m->m_pm_reply, 0, sizeof(m->m_pm_reply));
	m->m_pm_reply.pid = mp->mp_pid;
	m->m_pm_reply.ppid = mp->mp_ppid;
	m->m_pm_reply.endpt = e;
	return 0;
}

/* PM_WAIT: the wait status of one of the caller's children, once it has ended. */
static int
do_wait(endpoint_t caller, message *m)
{
	struct mproc *parent = find_native(caller);
	struct mproc *child = pm_find_pid(m->m_pm_request.pid);

	if (!parent || !child || (child->mp_flags & MP_NATIVE) || child->mp_ppid != parent->mp_pid)
		return -ECHILD;
	if (child->mp_waiter != NONE)
		return -EBUSY;
	if (child->mp_flags & MP_ZOMBIE) {
		pm_reply_status(caller, child);
		return EDONTREPLY;
	}
	child->mp_waiter = caller;
	return EDONTREPLY;
}

/* PM sends sig to a user process (SIGCHLD at a child's end): signal.c decides. */
void
pm_raise(struct mproc *mp, int sig)
{
	if (!(mp->mp_flags & (MP_ZOMBIE | MP_NATIVE)))
		sig_send(mp, sig, LX_SI_KERNEL, 0);
}

/*
 * End a user process PM does not know: one a dead PM started (its table
 * died with it: README.md, "State and self-repair"), or a test's spawned
 * process that lost its privileges.  Nobody can wait for it, and every
 * call it makes could only fail, exit included (musl repeats it for ever).
 * VFS and VM forget it (each says -ESRCH if it never had it).
 */
void
pm_end_stranger(endpoint_t e)
{
	struct msg_vfs_pm vrq = { .v_endpt = e };

	pm_tell_vfs(VFS_PM_EXIT, &vrq, NULL);
	(void)pm_vm_call(VM_EXIT, e, 0, 0, 0, 0);
	sys_clear(e);
}

/*
 * A kernel signal for a user process (a fault, a server's sys_kill, or
 * SIGLXDONE): signal.c decides.  A process PM does not know ends.
 */
static int
pm_signal(endpoint_t target, int sig)
{
	struct mproc *mp = pm_user(target);

	if (!mp) {
		pm_end_stranger(target);
		return -EDEADEPT;
	}
	return sig_kernel(mp, sig);
}

/*
 * PM_SIGNAL: VFS asks for a signal in a user process (SIGPIPE).  Only VFS
 * may: the one system process named "vfs".  No reply: VFS sent it
 * asynchronously and does not wait.
 */
static int
do_signal(endpoint_t caller, message *m)
{
	struct mproc *mp = pm_user(m->m_pm_signal.endpt);
	int sig = m->m_pm_signal.sig;
	endpoint_t vfs = NONE;

	if (sys_lookup("vfs", &vfs) < 0 || caller != vfs)
		return -EPERM;
	if (mp && sig >= 1 && sig <= NSIG_AX) /* else it ended meanwhile */
		pm_raise(mp, sig);
	return EDONTREPLY;
}

static void
pm_dump(struct dump *d)
{
	dump_printf(d, "  pid  ppid  pgid   sid  euid  endpt  state    name\n");
	for (int i = 0; i < NR_MPROCS; i++) {
		const struct mproc *mp = &mproc[i];

		if (!(mp->mp_flags & MP_IN_USE))
			continue;
		dump_printf(d, "%5d %5d %5d %5d %5u %6d  %-8s %s", mp->mp_pid, mp->mp_ppid,
			    mp->mp_pgid, mp->mp_sid, mp->mp_euid, mp->mp_endpt,
			    (mp->mp_flags & MP_NATIVE)    ? "native"
			    : (mp->mp_flags & MP_ZOMBIE)  ? "zombie"
			    : (mp->mp_flags & MP_STOPPED) ? "stopped"
			    : (mp->mp_flags & MP_WAITING) ? "waiting"
							  : "running",
			    mp->mp_name);
		if (mp->mp_flags & MP_ZOMBIE)
			dump_printf(d, " (status %#x)", mp->mp_status);
		dump_printf(d, "\n");
	}
}

/* What a live update carries of this file (lu.c). */
void
table_lu_state(pm_lu_add_fn *add)
{
	add(mproc, sizeof(mproc));
	add(by_slot, sizeof(by_slot));
	add(&next_pid, sizeof(next_pid));
}

static dispatch_fn *const pm_calls[PM_NR_REQUESTS] = {
	[PM_START - PM_BASE] = do_start,
	[PM_WAIT - PM_BASE] = do_wait,
	[PM_PROCINFO - PM_BASE] = do_procinfo,
	[PM_SIGNAL - PM_BASE] = do_signal,
	[PM_EXE - PM_BASE] = do_exe,
	[PM_CMDLINE - PM_BASE] = do_cmdline,
	[PM_POLL_DONE - PM_BASE] = do_poll_done,
};

static const struct dispatch pm_dispatch = DISPATCH(PM_BASE, pm_calls, pm_dump);

/*
 * Fresh start (and, for now, every restart: the table is not kept, so
 * processes a dead PM started are forgotten; docs/processes.md).
 */
static int
init_fresh(int type, const struct msg_rs_init *info)
{
	(void)type;
	(void)info;
	time_init();
	return sys_linuxctl(LINUXCTL_SERVE, LX_OWNER_PM);
}

int
main(int argc, char **argv)
{
	message m;
	int r;

	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_lu(pm_init_lu);
	sef_setcb_lu_prepare(pm_lu_prepare);
	sef_setcb_lu_state_save(pm_lu_save);
	sef_setcb_signal_manager(pm_signal);
	sef_startup();
	init_setup(argc, argv);
	for (;;) {
		time_publish(false);
		if (sef_receive(ANY, &m) < 0)
			continue;
		if (m.m_type >= LX_CALL_BASE && m.m_type < LX_CALL_BASE + LX_NR_CALLS) {
			pm_linux_call(m.m_source, &m);
		} else if (m.m_source == CLOCK && m.m_type == NOTIFY_MESSAGE) {
			time_alarm();
		} else if (m.m_type == NOTIFY_MESSAGE) {
			init_notify(); /* DS: a service init waits for, or PM's label */
			time_publish(true);
		} else if (m.m_type == TTY_SIGNAL && !pm_user(m.m_source)) {
			sig_tty(&m); /* asynsend, AMF_NOREPLY: no answer */
		} else if (m.m_type == TTY_SIGNAL) {
			pm_tty_signal(m.m_source, &m); /* asynchronous: no reply */
		} else if ((r = dispatch(&pm_dispatch, m.m_source, &m)) != EDONTREPLY) {
			m.m_type = r;
			sef_reply(m.m_source, &m);
		}
	}
}
