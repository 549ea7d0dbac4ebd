/*
 * Terminals and job control, VFS's share (docs/files.md, "Terminals").
 *
 * The tty driver keeps a terminal's session and foreground group; PM
 * keeps every process's group and session.  VFS stands between them:
 *
 * - PM tells VFS each process's group, session and whether it ignores
 *   SIGTTIN and SIGTTOU (VFS_PM_JOBCTL, include/ax/vfs.h), and VFS names
 *   them in every character request it sends (ctty_fill: pgid, sid,
 *   CDEV_LEADER, CDEV_TTIN_IGN, CDEV_TTOU_IGN; ax/cdev.h).
 * - A session leader without a controlling terminal may acquire one by
 *   opening it (VFS leaves CDEV_NOCTTY off only then) or by TIOCSCTTY;
 *   the driver's answer says so (CDEV_CTTY, or TIOCSCTTY's success), and
 *   VFS records the terminal's device node for the session.
 * - /dev/tty (5:0) opens the caller's session's terminal, ENXIO without
 *   one.
 * - The leader's TIOCNOTTY, or its exit, ends the session's hold: VFS
 *   forgets the terminal, and at an exit sends the driver the leader's
 *   TIOCNOTTY itself, so that the driver frees the terminal and hangs up
 *   its foreground group (SIGHUP, SIGCONT).
 *
 * A session is named by its id (the leader's pid); NR_SESSIONS of them
 * may hold a terminal at once.
 */
#include "vfs_int.h"
#include <string.h>
#include <stdio.h>
#include <ax/termios.h>

#define NR_SESSIONS 32
#define DEV_TTY     ((5u << 8) | 0) /* /dev/tty, 5:0: the caller's controlling terminal */

static struct {
	int32_t s_sid;       /* 0: free */
	struct vnode *s_tty; /* its terminal's device node (a v_ref) */
} sessions[NR_SESSIONS];

/* The sessions, for a live update (lu.c). */
void
ctty_lu_state(void (*add)(void *addr, size_t size))
{
	add(sessions, sizeof(sessions));
}

static bool
leads(const struct fproc *fp)
{
	return fp->fp_sid > 0 && fp->fp_sid == fp->fp_pid;
}

static int
session_find(int32_t sid)
{
	for (int i = 0; sid > 0 && i < NR_SESSIONS; i++)
		if (sessions[i].s_sid == sid)
			return i;
	return -1;
}

/* The session's hold on its terminal ends. */
static void
session_drop(int i)
{
	vnode_put(sessions[i].s_tty);
	sessions[i].s_sid = 0;
	sessions[i].s_tty = NULL;
}

/* fp's session now controls the terminal of device node v. */
static void
session_acquire(const struct fproc *fp, struct vnode *v)
{
	int i = session_find(fp->fp_sid);

	if (i < 0)
		for (i = 0; i < NR_SESSIONS && sessions[i].s_sid; i++)
			;
	if (i == NR_SESSIONS) {
		printf("vfs: more than %d sessions with a terminal: session %d not recorded\n",
		       NR_SESSIONS, fp->fp_sid);
		return;
	}
	if (sessions[i].s_sid)
		session_drop(i);
	vnode_dup(v);
	sessions[i].s_sid = fp->fp_sid;
	sessions[i].s_tty = v;
}

/* VFS_PM_JOBCTL: the process's group, session and SIGTTIN/SIGTTOU dispositions. */
int
ctty_jobctl(endpoint_t caller, message *m)
{
	struct fproc *fp = fproc_of(m->m_vfs_pm.v_endpt);

	(void)caller;
	if (!fp)
		return -ESRCH;
	fp->fp_pgid = m->m_vfs_pm.v_pgid;
	fp->fp_sid = m->m_vfs_pm.v_sid;
	fp->fp_jobflags = m->m_vfs_pm.v_flags;
	memset(&m->m_vfs_pm_reply, 0, sizeof(m->m_vfs_pm_reply));
	return 0;
}

/* A fork's child: its parent's group, session and dispositions. */
void
ctty_fork(struct fproc *child, struct fproc *parent)
{
	child->fp_parent = parent;
	child->fp_pgid = parent->fp_pgid;
	child->fp_sid = parent->fp_sid;
	child->fp_jobflags = parent->fp_jobflags;
}

/* The end user's job-control fields of a character request fp makes. */
void
ctty_fill(const struct fproc *fp, struct msg_cdev_request *rq)
{
	rq->pgid = fp->fp_pgid;
	rq->sid = fp->fp_sid;
	if (leads(fp))
		rq->flags |= CDEV_LEADER;
	if (fp->fp_jobflags & VFS_JOB_TTIN_IGN)
		rq->flags |= CDEV_TTIN_IGN;
	if (fp->fp_jobflags & VFS_JOB_TTOU_IGN)
		rq->flags |= CDEV_TTOU_IGN;
	if (ctty_orphaned(fp))
		rq->flags |= CDEV_ORPHANED;
}

/*
 * Is fp's process group orphaned (POSIX): does no member have a parent in
 * another group of the same session?  A process whose parent ended (PM
 * gives it to init, which leads a session of its own) or that PM started
 * has none here (fp_parent NULL).
 */
bool
ctty_orphaned(const struct fproc *fp)
{
	if (fp->fp_pgid <= 0)
		return false; /* no job control */
	for (int i = 0; i < NR_FPROCS; i++) {
		const struct fproc *m = &fprocs[i], *p = m->fp_parent;

		if (m->fp_used && m->fp_pgid == fp->fp_pgid && p && p->fp_used &&
		    p->fp_pgid != fp->fp_pgid && p->fp_sid == m->fp_sid)
			return false;
	}
	return true;
}

/* May fp's open make a terminal its controlling one?  A leader without one (Linux). */
bool
ctty_may_acquire(const struct fproc *fp)
{
	return leads(fp) && session_find(fp->fp_sid) < 0;
}

/* The driver's answer to fp's open of node v: CDEV_CTTY records the terminal. */
int
ctty_opened(const struct fproc *fp, struct vnode *v, int64_t status)
{
	if (status < 0)
		return (int)status;
	if (status & CDEV_CTTY)
		session_acquire(fp, v);
	return 0;
}

/*
 * open of /dev/tty: *v becomes the node of the caller's controlling
 * terminal (the /dev/tty reference given back); ENXIO without one.  Any
 * other node is left alone.
 */
int
ctty_redirect(const struct fproc *fp, struct vnode **v)
{
	int i;

	if (!LX_ISCHR((*v)->v_mode) || (*v)->v_rdev != DEV_TTY)
		return 0;
	if ((i = session_find(fp->fp_sid)) < 0)
		return -ENXIO;
	vnode_put(*v);
	*v = sessions[i].s_tty;
	vnode_dup(*v);
	return 0;
}

/* An ioctl of fp on node v ended with status: TIOCSCTTY and TIOCNOTTY change the session. */
void
ctty_ioctl_done(const struct fproc *fp, struct vnode *v, unsigned request, int64_t status)
{
	int i;

	if (status < 0 || !v)
		return;
	if (request == TIOCSCTTY && leads(fp))
		session_acquire(fp, v);
	else if (request == TIOCNOTTY && leads(fp) && (i = session_find(fp->fp_sid)) >= 0)
		session_drop(i);
}

/*
 * fp ends.  A leader's end frees its session's terminal: the driver gets
 * the leader's TIOCNOTTY (its answer is not waited for), which hangs up
 * the foreground group.
 */
void
ctty_exit(const struct fproc *fp)
{
	int i = leads(fp) ? session_find(fp->fp_sid) : -1;
	message m;

	for (int k = 0; k < NR_FPROCS; k++)
		if (fprocs[k].fp_parent == fp)
			fprocs[k].fp_parent = NULL; /* PM gives them to init */
	if (i < 0)
		return;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_IOCTL;
	m.m_cdev.request = TIOCNOTTY;
	m.m_cdev.grant = GRANT_INVALID;
	m.m_cdev.user = fp->fp_endpt;
	m.m_cdev.euid = fp->fp_euid;
	ctty_fill(fp, &m.m_cdev);
	dev_send_detached(sessions[i].s_tty, &m);
	session_drop(i);
}

void
ctty_dump(struct dump *d)
{
	for (int i = 0; i < NR_SESSIONS; i++)
		if (sessions[i].s_sid)
			dump_printf(d, "  session %d: terminal %u:%u\n", sessions[i].s_sid,
				    DEV_MAJOR(sessions[i].s_tty->v_rdev),
				    DEV_MINOR(sessions[i].s_tty->v_rdev));
}
