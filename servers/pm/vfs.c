/*
 * PM's side of the PM<->VFS protocol (include/ax/vfs.h): one SENDREC to
 * VFS per request.  VFS never waits for PM, so PM may wait for VFS.  If
 * VFS does not run (looked up by name, sys_lookup, whenever it is not
 * known), a request answers -ENOSYS and PM goes on: a process without VFS
 * simply has no files.
 */
#include "pm.h"
#include <string.h>
#include <ax/signal.h>
#include <ax/vfs.h>

static endpoint_t vfs_endpt = NONE;

/* One request m to VFS, answered in m: VFS's m_type, or -ENOSYS, -E of IPC. */
static int
vfs_sendrec(message *m)
{
	message rq = *m;
	int r = -ENOSYS;

	for (int attempt = 0; attempt < 2; attempt++) {
		if (vfs_endpt == NONE && sys_lookup("vfs", &vfs_endpt) < 0) {
			vfs_endpt = NONE;
			return -ENOSYS;
		}
		*m = rq;
		if ((r = ipc_sendrec(vfs_endpt, m)) == 0)
			return m->m_type;
		vfs_endpt = NONE; /* restarted: look it up again */
	}
	return r;
}

int
pm_tell_vfs(int type, struct msg_vfs_pm *rq, struct msg_vfs_pm_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_vfs_pm = *rq;
	r = vfs_sendrec(&m);
	if (r >= 0 && out)
		*out = m.m_vfs_pm_reply;
	return r;
}

/* VFS_PM_POLL and VFS_PM_POLL_CANCEL (pollmask.c): as pm_tell_vfs. */
int
pm_vfs_poll(int type, const struct msg_vfs_poll *rq, struct msg_vfs_pm_reply *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_vfs_poll = *rq;
	r = vfs_sendrec(&m);
	if (r >= 0 && out)
		*out = m.m_vfs_pm_reply;
	return r;
}

void
pm_vfs_ids(const struct mproc *mp)
{
	struct msg_vfs_pm rq = { .v_endpt = mp->mp_endpt,
				 .v_uid = mp->mp_ruid,
				 .v_euid = mp->mp_euid,
				 .v_gid = mp->mp_rgid,
				 .v_egid = mp->mp_egid };

	pm_tell_vfs(VFS_PM_SETIDS, &rq, NULL);
}

/*
 * What VFS passes to a terminal with each request (ax/vfs.h VFS_PM_JOBCTL):
 * mp's group, session, and whether it ignores or blocks SIGTTIN and SIGTTOU.  Told
 * only when one of them changed since VFS last heard (a fork's child
 * starts with its parent's in both places).
 */
void
pm_vfs_job(struct mproc *mp)
{
	uint32_t flags = (sig_ignores(mp, SIGTTIN) ? VFS_JOB_TTIN_IGN : 0) |
			 (sig_ignores(mp, SIGTTOU) ? VFS_JOB_TTOU_IGN : 0);
	/* Blocked counts as ignored for a terminal, as Linux's is_ignored() has it. */
	if (mp->mp_sig.mask & sig_bit(SIGTTIN))
		flags |= VFS_JOB_TTIN_IGN;
	if (mp->mp_sig.mask & sig_bit(SIGTTOU))
		flags |= VFS_JOB_TTOU_IGN;
	uint32_t now[3] = { (uint32_t)mp->mp_pgid, (uint32_t)mp->mp_sid, flags };
	struct msg_vfs_pm rq = { .v_endpt = mp->mp_endpt,
				 .v_pgid = mp->mp_pgid,
				 .v_sid = mp->mp_sid,
				 .v_flags = flags };

	if (memcmp(now, mp->mp_vfs_job, sizeof(now)) == 0)
		return;
	memcpy(mp->mp_vfs_job, now, sizeof(now));
	pm_tell_vfs(VFS_PM_JOBCTL, &rq, NULL);
}
