/*
 * The Linux calls PM serves (include/ax/linux_calls.def, owner PM): a
 * table indexed by the Linux number, as the request's m_type is
 * LX_CALL_BASE + number.  Each handler gets the caller's table entry and
 * the six arguments, and returns the result (rax) or LX_NO_REPLY when the
 * caller gets no answer (it ended).  User memory is reached by magic
 * grants (docs/processes.md section 3): a bad pointer is -EFAULT.
 */
#include "pm.h"
#include <ax/vm.h>
#include <sef.h>
#include <string.h>
#include <stdio.h>

uint64_t pm_call_sp;

/*
 * What uname answers (docs/processes.md section 8): Linux, because the
 * programs that look at it compare with what Linux says; the release of
 * the ABI we follow.
 */
static struct lx_utsname utsname = {
	.sysname = "Linux",
	.nodename = "axolotl",
	.release = "6.1.0",
	.version = "#1 Axolotl",
	.machine = "x86_64",
	.domainname = "(none)",
};

/* What a live update carries of this file (lu.c): sethostname's name. */
void
linux_lu_state(pm_lu_add_fn *add)
{
	add(&utsname, sizeof(utsname));
}

/* One copy between PM and [addr, addr + len) of mp through a magic grant. */
static int
copy_once(struct mproc *mp, uint64_t addr, void *buf, size_t len, int access)
{
	grant_id_t g = cpf_grant_magic(self_endpoint, mp->mp_endpt, addr, len, access);
	int r;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	if (access == GRANT_WRITE)
		r = sys_safecopyto(self_endpoint, g, 0, buf, len);
	else
		r = sys_safecopyfrom(self_endpoint, g, 0, buf, len);
	cpf_revoke(g);
	return r;
}

/*
 * Copy len bytes between PM and [addr, addr + len) of mp.  A page VM has
 * not made present yet (demand paging) fails the copy; VM is asked to make
 * the range present (docs/processes.md section 3) and the copy repeated
 * once.  VM refuses a range outside the process's regions: -EFAULT.
 */
static int
copy_user(struct mproc *mp, uint64_t addr, void *buf, size_t len, int access)
{
	uint64_t start = addr & ~(uint64_t)4095, end = addr + len;
	int r = copy_once(mp, addr, buf, len, access);

	if (r == -EFAULT && len && end > addr &&
	    pm_vm_call(VM_POPULATE, mp->mp_endpt, start, ((end + 4095) & ~(uint64_t)4095) - start,
		       0, access == GRANT_WRITE ? VM_POP_WRITE : 0) == 0)
		r = copy_once(mp, addr, buf, len, access);
	if (r < 0 && r != -EFAULT)
		printf("pm: copy %s %s (pid %d) failed: %d\n",
		       access == GRANT_WRITE ? "to" : "from", mp->mp_name, mp->mp_pid, r);
	return r < 0 ? -EFAULT : 0;
}

int
pm_copy_to_user(struct mproc *mp, uint64_t addr, const void *src, size_t len)
{
	return copy_user(mp, addr, (void *)src, len, GRANT_WRITE);
}

int
pm_copy_from_user(struct mproc *mp, uint64_t addr, void *dst, size_t len)
{
	return copy_user(mp, addr, dst, len, GRANT_READ);
}

static int64_t
lx_getpid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_pid;
}

static int64_t
lx_getppid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_ppid;
}

/* One thread per process until clone with CLONE_THREAD: the tid is the pid. */
static int64_t
lx_gettid(struct mproc *mp, const uint64_t *arg)
{
	(void)arg;
	return mp->mp_pid;
}

/* Recorded for the threads to come; nothing checks the pointer (as Linux). */
static int64_t
lx_set_tid_address(struct mproc *mp, const uint64_t *arg)
{
	mp->mp_tid_address = arg[0];
	return mp->mp_pid;
}

static int64_t
lx_uname(struct mproc *mp, const uint64_t *arg)
{
	return pm_copy_to_user(mp, arg[0], &utsname, sizeof(utsname));
}

/*
 * sysinfo: the memory VM manages (what /proc/meminfo says, in bytes), the
 * uptime and the number of processes; no load average is kept (0), no
 * swap, no buffers.
 */
static int64_t
lx_sysinfo(struct mproc *mp, const uint64_t *arg)
{
	struct lx_sysinfo si;
	struct msg_vm_reply vm;
	struct msg_sys_kinfo ki;
	int r;

	memset(&si, 0, sizeof(si));
	if ((r = pm_vm_info(&vm)) < 0 || (r = sys_getkinfo(&ki)) < 0)
		return r;
	si.uptime = (int64_t)(ki.uptime / (ki.hz ? ki.hz : 100));
	si.totalram = vm.total_pages * 4096;
	si.freeram = vm.free_pages * 4096;
	for (int i = 0; i < NR_MPROCS; i++)
		si.procs += (mproc[i].mp_flags & MP_IN_USE) && !(mproc[i].mp_flags & MP_NATIVE);
	si.mem_unit = 1;
	return pm_copy_to_user(mp, arg[0], &si, sizeof(si));
}

/* sethostname(name, len): root's (EPERM), at most 64 bytes (EINVAL), as Linux's. */
static int64_t
lx_sethostname(struct mproc *mp, const uint64_t *arg)
{
	char name[sizeof(utsname.nodename)];
	uint64_t len = arg[1];

	if (mp->mp_euid != 0)
		return -EPERM;
	if (len > sizeof(name) - 1)
		return -EINVAL;
	if (len && pm_copy_from_user(mp, arg[0], name, len) < 0)
		return -EFAULT;
	memset(utsname.nodename, 0, sizeof(utsname.nodename));
	memcpy(utsname.nodename, name, len);
	return 0;
}

/*
 * prctl(option, ...): the name (comm: ps -o comm, /proc/<pid>/stat) and
 * the parent-death signal, as Linux's; any other option is EINVAL, as
 * Linux answers an option it does not know.
 */
#define LX_PR_SET_PDEATHSIG 1
#define LX_PR_GET_PDEATHSIG 2
#define LX_PR_SET_NAME      15
#define LX_PR_GET_NAME      16

static int64_t
lx_prctl(struct mproc *mp, const uint64_t *arg)
{
	char name[PM_PROGRAM_LEN] = { 0 };
	size_t n;
	int32_t sig;

	switch (arg[0]) {
	case LX_PR_SET_NAME: /* up to 15 bytes; a NUL before a page end is enough */
		n = 4096 - (arg[1] & 4095);
		n = n < sizeof(name) ? n : sizeof(name);
		if (pm_copy_from_user(mp, arg[1], name, n) < 0 ||
		    (!memchr(name, 0, n) && n < sizeof(name) &&
		     pm_copy_from_user(mp, arg[1] + n, name + n, sizeof(name) - n) < 0))
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		memcpy(mp->mp_name, name, sizeof(name));
		return 0;
	case LX_PR_GET_NAME:
		memcpy(name, mp->mp_name, sizeof(name) - 1);
		return pm_copy_to_user(mp, arg[1], name, sizeof(name)) < 0 ? -EFAULT : 0;
	case LX_PR_SET_PDEATHSIG:
		if (arg[1] > LX_NSIG)
			return -EINVAL;
		mp->mp_pdeath_sig = (int32_t)arg[1];
		return 0;
	case LX_PR_GET_PDEATHSIG:
		sig = mp->mp_pdeath_sig;
		return pm_copy_to_user(mp, arg[1], &sig, sizeof(sig)) < 0 ? -EFAULT : 0;
	}
	return -EINVAL;
}

/*
 * set_robust_list(head, len) and get_robust_list(pid, head_ptr, len_ptr):
 * the list's place is kept as Linux keeps it (len must be the 24 bytes of
 * struct robust_list_head: else EINVAL), cleared by fork and exec.  Linux
 * walks it when a thread dies, to wake the waiters of the futexes it
 * held; Axolotl has no futex call and one thread per process, so nobody
 * can wait on one and there is nothing to wake.
 */
#define LX_ROBUST_HEAD_LEN 24

static int64_t
lx_set_robust_list(struct mproc *mp, const uint64_t *arg)
{
	if (arg[1] != LX_ROBUST_HEAD_LEN)
		return -EINVAL;
	mp->mp_robust_list = arg[0];
	return 0;
}

static int64_t
lx_get_robust_list(struct mproc *mp, const uint64_t *arg)
{
	const struct mproc *t = arg[0] ? pm_find_pid((int32_t)arg[0]) : mp;
	uint64_t len = LX_ROBUST_HEAD_LEN;

	if ((int32_t)arg[0] < 0 || !t || (t->mp_flags & MP_ZOMBIE) || (t->mp_flags & MP_NATIVE))
		return -ESRCH;
	if (t != mp && mp->mp_euid != 0 && mp->mp_euid != t->mp_ruid)
		return -EPERM;
	if (pm_copy_to_user(mp, arg[1], &t->mp_robust_list, 8) < 0 ||
	    pm_copy_to_user(mp, arg[2], &len, 8) < 0)
		return -EFAULT;
	return 0;
}

/* exit ends the thread, exit_group the process: the same with one thread. */
static int64_t
lx_exit(struct mproc *mp, const uint64_t *arg)
{
	pm_exit(mp, LX_W_EXITCODE((int)arg[0]));
	return LX_NO_REPLY;
}

/* clang-format off */
static lx_fn *const lx_calls[LX_NR_CALLS] = {
	[LX_NR_getpid] = lx_getpid,	[LX_NR_getppid] = lx_getppid,
	[LX_NR_gettid] = lx_gettid,	[LX_NR_set_tid_address] = lx_set_tid_address,
	[LX_NR_uname] = lx_uname,	[LX_NR_exit] = lx_exit,
	[LX_NR_sysinfo] = lx_sysinfo,
	[LX_NR_sethostname] = lx_sethostname,
	[LX_NR_prctl] = lx_prctl,	[LX_NR_getrandom] = lx_getrandom,
	[LX_NR_set_robust_list] = lx_set_robust_list,
	[LX_NR_get_robust_list] = lx_get_robust_list,
	[LX_NR_exit_group] = lx_exit,	[LX_NR_execve] = pm_execve,
	/* fork.c */
	[LX_NR_clone] = lx_clone,	[LX_NR_fork] = lx_fork,
	[LX_NR_vfork] = lx_vfork,	[LX_NR_wait4] = lx_wait4,
	[LX_NR_kill] = lx_kill,		[LX_NR_waitid] = lx_waitid,
	/* ids.c */
	[LX_NR_getuid] = lx_getuid,	[LX_NR_getgid] = lx_getgid,
	[LX_NR_setuid] = lx_setuid,	[LX_NR_setgid] = lx_setgid,
	[LX_NR_geteuid] = lx_geteuid,	[LX_NR_getegid] = lx_getegid,
	[LX_NR_setpgid] = lx_setpgid,	[LX_NR_getpgrp] = lx_getpgrp,
	[LX_NR_setsid] = lx_setsid,	[LX_NR_setreuid] = lx_setreuid,
	[LX_NR_setregid] = lx_setregid,	[LX_NR_getgroups] = lx_getgroups,
	[LX_NR_setgroups] = lx_setgroups, [LX_NR_setresuid] = lx_setresuid,
	[LX_NR_getresuid] = lx_getresuid, [LX_NR_setresgid] = lx_setresgid,
	[LX_NR_getresgid] = lx_getresgid, [LX_NR_getpgid] = lx_getpgid,
	[LX_NR_getsid] = lx_getsid,
	/* signal.c */
	[LX_NR_rt_sigaction] = lx_rt_sigaction, [LX_NR_rt_sigprocmask] = lx_rt_sigprocmask,
	[LX_NR_rt_sigreturn] = lx_rt_sigreturn, [LX_NR_rt_sigpending] = lx_rt_sigpending,
	[LX_NR_rt_sigsuspend] = lx_rt_sigsuspend, [LX_NR_pause] = lx_pause,
	[LX_NR_tkill] = lx_tkill,	[LX_NR_tgkill] = lx_tgkill,
	[LX_NR_sigaltstack] = lx_sigaltstack, [LX_NR_rt_sigtimedwait] = lx_rt_sigtimedwait,
	/* pollmask.c */
	[LX_NR_ppoll] = lx_ppoll,	[LX_NR_pselect6] = lx_pselect6,
	/* time.c */
	[LX_NR_clock_gettime] = lx_clock_gettime, [LX_NR_clock_getres] = lx_clock_getres,
	[LX_NR_gettimeofday] = lx_gettimeofday, [LX_NR_time] = lx_time,
	[LX_NR_nanosleep] = lx_nanosleep, [LX_NR_clock_nanosleep] = lx_clock_nanosleep,
	[LX_NR_alarm] = lx_alarm,	[LX_NR_setitimer] = lx_setitimer,
	[LX_NR_getitimer] = lx_getitimer, [LX_NR_times] = lx_times,
	[LX_NR_getrusage] = lx_getrusage, [LX_NR_sched_yield] = lx_sched_yield,
	[LX_NR_getrlimit] = lx_getrlimit, [LX_NR_setrlimit] = lx_setrlimit,
	[LX_NR_prlimit64] = lx_prlimit64,
	/* reboot.c */
	[LX_NR_reboot] = lx_reboot,
};
/* clang-format on */

/* The answer to mp's Linux call: result becomes its rax.  A call PM held is no longer held. */
void
pm_lx_reply(struct mproc *mp, int64_t result)
{
	message m;

	mp->mp_cancel = NULL;
	memset(&m, 0, sizeof(m));
	m.m_type = LX_REPLY;
	m.m_lx_reply.result = result;
	sef_reply(mp->mp_endpt, &m);
}

/* Is e a user process that PM manages (the shared user slot's), not a system process? */
static bool
user_slot(endpoint_t e)
{
	struct msg_sys_privinfo info;

	return sys_getpriv(e, &info) == 0 && !(info.flags & PRIV_FLAG_SYS_PROC) &&
	       info.sig_mgr == self_endpoint;
}

/*
 * A request of the Linux range.  It must come from a user process PM
 * started (the kernel wrote m_source): a system process that sends the
 * same type natively gets -ESRCH; a user process PM does not know (a dead
 * PM's) ends (pm_end_stranger).  A number the kernel forwards but PM
 * has no handler for is -ENOSYS.  A caller that ended during its call
 * (exit, a kill of itself or of its group) gets no answer.
 */
void
pm_linux_call(endpoint_t caller, message *m)
{
	int nr = m->m_type - LX_CALL_BASE;
	struct mproc *mp = pm_user(caller);
	int64_t r;

	if (!mp && user_slot(caller)) {
		pm_end_stranger(caller);
		return;
	}
	if (!mp) {
		m->m_type = -ESRCH;
		sef_reply(caller, m);
		return;
	}
	pm_call_sp = m->m_lx_call.sp;
	sig_serving(mp);
	r = lx_calls[nr] ? lx_calls[nr](mp, m->m_lx_call.arg) : -ENOSYS;
	if (r == LX_NO_REPLY && nr != LX_NR_rt_sigreturn) {
		sig_held(mp); /* a signal already pending interrupts a held call */
		return;
	}
	if (sig_call_done(mp, r))
		return; /* answered with a signal frame, or the process ended */
	if (pm_user(caller) == mp)
		pm_lx_reply(mp, r);
}
