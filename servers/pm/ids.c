/*
 * Credentials and job-control ids in PM, as Linux answers them: real,
 * effective and saved user and group ids, supplementary groups (at most
 * PM_NGROUPS), process groups and sessions.  A fork copies them all
 * (fork.c); a program PM_START runs has root's and its native parent's
 * group and session.
 *
 * Privilege is Linux's capability check reduced to "effective uid 0"
 * (CAP_SETUID, CAP_SETGID): root may set any id; anyone else may only
 * move among its own real, effective and saved ids (EPERM otherwise).
 * An id of -1 is "unchanged" where Linux says so, and EINVAL for setuid
 * and setgid.  Next: VFS is told of new credentials and sessions (its
 * permission checks, the controlling terminal).
 */
#include "pm.h"
#include <string.h>

#define ID_UNCHANGED 0xffffffffu

int64_t
lx_getuid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_ruid;
}

int64_t
lx_geteuid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_euid;
}

int64_t
lx_getgid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_rgid;
}

int64_t
lx_getegid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_egid;
}

/* One of the three ids, or unchanged: the test of setres*id for a non-root caller. */
static bool
one_of(uint32_t id, const uint32_t *ids)
{
	return id == ID_UNCHANGED || id == ids[0] || id == ids[1] || id == ids[2];
}

/*
 * setresuid/setresgid on ids[3] = {real, effective, saved}: each new id
 * that is not -1 must be one of the three, unless the caller is root.
 */
static int64_t
set_res(const struct mproc *mp, uint32_t *ids, uint32_t r, uint32_t e, uint32_t s)
{
	if (mp->mp_euid != 0 && !(one_of(r, ids) && one_of(e, ids) && one_of(s, ids)))
		return -EPERM;
	if (r != ID_UNCHANGED)
		ids[0] = r;
	if (e != ID_UNCHANGED)
		ids[1] = e;
	if (s != ID_UNCHANGED)
		ids[2] = s;
	return 0;
}

/*
 * setreuid/setregid: r must be the real or effective id, e the real,
 * effective or saved one (unless root); the saved id becomes the new
 * effective one when the real id is set or the effective one is set to
 * something other than the old real id.
 */
static int64_t
set_re(const struct mproc *mp, uint32_t *ids, uint32_t r, uint32_t e)
{
	uint32_t old_real = ids[0];

	if (mp->mp_euid != 0 &&
	    ((r != ID_UNCHANGED && r != ids[0] && r != ids[1]) || !one_of(e, ids)))
		return -EPERM;
	if (r != ID_UNCHANGED)
		ids[0] = r;
	if (e != ID_UNCHANGED)
		ids[1] = e;
	if (r != ID_UNCHANGED || (e != ID_UNCHANGED && e != old_real))
		ids[2] = ids[1];
	return 0;
}

/* setuid/setgid: root sets all three; anyone else only the effective id, to its real or saved. */
static int64_t
set_one(const struct mproc *mp, uint32_t *ids, uint32_t id)
{
	if (id == ID_UNCHANGED)
		return -EINVAL;
	if (mp->mp_euid == 0) {
		ids[0] = ids[1] = ids[2] = id;
		return 0;
	}
	if (id != ids[0] && id != ids[2])
		return -EPERM;
	ids[1] = id;
	return 0;
}

/* The ids as arrays {real, effective, saved}, in and out of the entry. */
static void
get_ids(const struct mproc *mp, bool gid, uint32_t *ids)
{
	ids[0] = gid ? mp->mp_rgid : mp->mp_ruid;
	ids[1] = gid ? mp->mp_egid : mp->mp_euid;
	ids[2] = gid ? mp->mp_sgid : mp->mp_suid;
}

static void
put_ids(struct mproc *mp, bool gid, const uint32_t *ids)
{
	if (gid) {
		mp->mp_rgid = ids[0], mp->mp_egid = ids[1], mp->mp_sgid = ids[2];
	} else {
		mp->mp_ruid = ids[0], mp->mp_euid = ids[1], mp->mp_suid = ids[2];
	}
	pm_vfs_ids(mp); /* VFS checks permissions with them */
}

enum id_call { ID_SET, ID_SETRE, ID_SETRES };

/* One of the set*id calls on the user (gid false) or group ids. */
static int64_t
set_ids(struct mproc *mp, bool gid, enum id_call call, const uint64_t *arg)
{
	uint32_t ids[3];
	int64_t r;

	get_ids(mp, gid, ids);
	if (call == ID_SET)
		r = set_one(mp, ids, (uint32_t)arg[0]);
	else if (call == ID_SETRE)
		r = set_re(mp, ids, (uint32_t)arg[0], (uint32_t)arg[1]);
	else
		r = set_res(mp, ids, (uint32_t)arg[0], (uint32_t)arg[1], (uint32_t)arg[2]);
	if (r == 0)
		put_ids(mp, gid, ids);
	return r;
}

int64_t
lx_setuid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, false, ID_SET, arg);
}

int64_t
lx_setgid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, true, ID_SET, arg);
}

int64_t
lx_setreuid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, false, ID_SETRE, arg);
}

int64_t
lx_setregid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, true, ID_SETRE, arg);
}

int64_t
lx_setresuid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, false, ID_SETRES, arg);
}

int64_t
lx_setresgid(struct mproc *mp, const uint64_t *arg)
{
	return set_ids(mp, true, ID_SETRES, arg);
}

/* getresuid/getresgid(ruid *, euid *, suid *): each word to its own pointer. */
static int64_t
get_res(struct mproc *mp, bool gid, const uint64_t *arg)
{
	uint32_t ids[3];
	int64_t r = 0;

	get_ids(mp, gid, ids);
	for (int i = 0; i < 3 && r == 0; i++)
		r = pm_copy_to_user(mp, arg[i], &ids[i], sizeof(ids[i]));
	return r;
}

int64_t
lx_getresuid(struct mproc *mp, const uint64_t *arg)
{
	return get_res(mp, false, arg);
}

int64_t
lx_getresgid(struct mproc *mp, const uint64_t *arg)
{
	return get_res(mp, true, arg);
}

/* getgroups(size, list): size 0 asks how many; fewer than there are is EINVAL. */
int64_t
lx_getgroups(struct mproc *mp, const uint64_t *arg)
{
	int32_t size = (int32_t)arg[0];
	int64_t r;

	if (size < 0)
		return -EINVAL;
	if (size == 0 || mp->mp_ngroups == 0)
		return mp->mp_ngroups;
	if ((uint32_t)size < mp->mp_ngroups)
		return -EINVAL;
	r = pm_copy_to_user(mp, arg[1], mp->mp_groups, mp->mp_ngroups * sizeof(uint32_t));
	return r < 0 ? r : mp->mp_ngroups;
}

/* setgroups(size, list): root only; more than PM_NGROUPS is EINVAL (Linux's limit is 65536). */
int64_t
lx_setgroups(struct mproc *mp, const uint64_t *arg)
{
	int32_t size = (int32_t)arg[0];
	uint32_t groups[PM_NGROUPS];
	int64_t r;

	if (mp->mp_euid != 0)
		return -EPERM;
	if (size < 0 || size > PM_NGROUPS)
		return -EINVAL;
	if (size && (r = pm_copy_from_user(mp, arg[1], groups, size * sizeof(uint32_t))) < 0)
		return r;
	memcpy(mp->mp_groups, groups, size * sizeof(uint32_t));
	mp->mp_ngroups = (uint32_t)size;
	return 0;
}

/* ----- process groups and sessions ----- */

/* The live or zombie user process with this pid (0: mp itself), or NULL. */
static struct mproc *
user_pid(struct mproc *mp, int32_t pid)
{
	struct mproc *t = pid == 0 ? mp : pm_find_pid(pid);

	return t && !(t->mp_flags & MP_NATIVE) ? t : NULL;
}

/* Is there a process (zombies too) in group pgid of session sid? */
static bool
group_in_session(int32_t pgid, int32_t sid)
{
	for (int i = 0; i < NR_MPROCS; i++)
		if ((mproc[i].mp_flags & MP_IN_USE) && mproc[i].mp_pgid == pgid &&
		    mproc[i].mp_sid == sid)
			return true;
	return false;
}

/*
 * setpgid(pid, pgid), POSIX's rules: the target is the caller or a child
 * of it (ESRCH), in the caller's session, not a session leader (EPERM),
 * a child that has not exec'd (EACCES); the group is the target's own pid
 * or an existing group of the caller's session (EPERM).
 */
int64_t
lx_setpgid(struct mproc *mp, const uint64_t *arg)
{
	int32_t pid = (int32_t)arg[0], pgid = (int32_t)arg[1];
	struct mproc *t = user_pid(mp, pid);

	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != mp && t->mp_ppid != mp->mp_pid) || (t->mp_flags & MP_ZOMBIE))
		return -ESRCH;
	if (pgid == 0)
		pgid = t->mp_pid;
	if (t != mp && (t->mp_flags & MP_EXECED))
		return -EACCES;
	if (t->mp_sid != mp->mp_sid || t->mp_sid == t->mp_pid)
		return -EPERM;
	if (pgid != t->mp_pid && !group_in_session(pgid, mp->mp_sid))
		return -EPERM;
	t->mp_pgid = pgid;
	pm_vfs_job(t);
	return 0;
}

int64_t
lx_getpgid(struct mproc *mp, const uint64_t *arg)
{
	struct mproc *t = user_pid(mp, (int32_t)arg[0]);

	return t ? t->mp_pgid : -ESRCH;
}

int64_t
lx_getpgrp(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_pgid;
}

int64_t
lx_getsid(struct mproc *mp, const uint64_t *arg)
{
	struct mproc *t = user_pid(mp, (int32_t)arg[0]);

	return t ? t->mp_sid : -ESRCH;
}

/* setsid: a new session and group named after the caller, unless a group has its pid (EPERM). */
int64_t
lx_setsid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	for (int i = 0; i < NR_MPROCS; i++)
		if ((mproc[i].mp_flags & MP_IN_USE) && mproc[i].mp_pgid == mp->mp_pid)
			return -EPERM;
	mp->mp_pgid = mp->mp_sid = mp->mp_pid;
	pm_vfs_job(mp);
	return mp->mp_sid;
}
