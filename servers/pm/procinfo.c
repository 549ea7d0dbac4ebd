/*
 * PM_PROCINFO: a snapshot of PM's process table for procfs, which builds
 * /proc/<pid>/stat, status and cmdline from it.  One struct pm_procinfo
 * per user process (zombies too: ps shows them), copied through the
 * caller's grant, as many as fit; the CPU times come from the kernel
 * (sys_times).  Only system processes may ask: the table says who runs
 * what, and a user process reads it through procfs, under VFS's rules.
 * Fields PM does not keep yet (the start time) are 0.  Entry point:
 * do_procinfo.
 */
#include "pm.h"
#include <string.h>

/*
 * ps's state: stopped, or sleeping while PM holds its call (wait4,
 * nanosleep, pause...) or another server does (the kernel's word), else
 * running or ready.
 */
static char
state(const struct mproc *mp, bool sleeping)
{
	if (mp->mp_flags & MP_STOPPED)
		return 'T';
	if ((mp->mp_flags & MP_WAITING) || mp->mp_cancel || sleeping)
		return 'S';
	return 'R';
}

int
do_procinfo(endpoint_t caller, message *m)
{
	static struct pm_procinfo out[NR_MPROCS];
	struct msg_pm_procinfo rq = m->m_pm_procinfo;
	size_t n = 0, fit = rq.size / sizeof(out[0]);

	if (pm_user(caller))
		return -EPERM;
	for (int i = 0; i < NR_MPROCS && n < fit; i++) {
		const struct mproc *mp = &mproc[i];
		struct pm_procinfo *p = &out[n];
		struct msg_sys_times_reply t;

		if (!(mp->mp_flags & MP_IN_USE) || (mp->mp_flags & MP_NATIVE))
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = mp->mp_pid;
		p->ppid = mp->mp_ppid;
		p->pgid = mp->mp_pgid;
		p->sid = mp->mp_sid;
		p->uid = mp->mp_ruid;
		p->euid = mp->mp_euid;
		p->gid = mp->mp_rgid;
		p->egid = mp->mp_egid;
		p->endpt = mp->mp_endpt;
		p->state = (mp->mp_flags & MP_ZOMBIE) ? 'Z' : 'R';
		if (!(mp->mp_flags & MP_ZOMBIE) && sys_times(mp->mp_endpt, &t) == 0) {
			p->user_ticks = t.user_ticks;
			p->sys_ticks = t.sys_ticks;
			p->state = state(mp, t.sleeping);
		}
		memcpy(p->name, mp->mp_name, sizeof(p->name));
		p->name[sizeof(p->name) - 1] = '\0';
		n++;
	}
	if (n > 0) {
		int r = sys_safecopyto(caller, rq.grant, 0, out, n * sizeof(out[0]));

		if (r < 0)
			return r;
	}
	return (int)n;
}
