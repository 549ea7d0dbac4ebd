/*
 * The text of each procfs file, made when it is read, in the formats
 * Linux prints and busybox parses (../shared/reference/servers-reference.md
 * section 7): /proc/<pid>/stat (all 52 fields, 0 where Axolotl keeps no
 * such number, the name between the parentheses), status, cmdline (NUL
 * terminated), /proc/uptime, meminfo, stat, loadavg, mounts.  Entry
 * points: make_text, link_text.
 */
#include <stdio.h>
#include <string.h>
#include <ax/vm.h>
#include "procfs.h"

#define USER_HZ 100 /* Linux's clock ticks in /proc: 100 per second */

static struct pm_procinfo procs[PROC_NR_PROCS];

/* The kernel's uptime in its ticks, and how many of them make a second. */
static int
uptime(uint64_t *ticks, uint32_t *hz)
{
	struct msg_sys_kinfo k;
	int r;

	if ((r = sys_getkinfo(&k)) < 0)
		return r;
	*ticks = k.uptime;
	*hz = k.hz ? k.hz : 100;
	return 0;
}

/* Kernel ticks as Linux's USER_HZ clock ticks. */
static uint64_t
to_clock(uint64_t ticks, uint32_t hz)
{
	return ticks * USER_HZ / hz;
}

/*
 * A process's memory as VM has it (VM_INFO with its endpoint): the bytes
 * of its regions and the pages mapped in it.  A zombie has none (0, 0),
 * as on Linux; so has everybody while VM does not answer.
 */
static void
proc_memory(const struct pm_procinfo *p, uint64_t *vsize, uint64_t *pages)
{
	endpoint_t vm;
	message m;

	*vsize = *pages = 0;
	if (p->state == 'Z' || sys_lookup("vm", &vm) < 0)
		return;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_INFO;
	m.m_vm_request.endpt = p->endpt;
	if (ipc_sendrec(vm, &m) == 0 && m.m_type == 0) {
		*vsize = m.m_vm_reply.proc_vsize;
		*pages = m.m_vm_reply.proc_pages;
	}
}

/* /proc/<pid>/stat: one line, Linux 6.1's 52 fields. */
static int
pid_stat(const struct pm_procinfo *p, char *buf, size_t size, uint32_t hz)
{
	uint64_t vsize, pages;

	proc_memory(p, &vsize, &pages);
	return snprintf(buf, size,
			"%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %llu %llu 0 0 20 0 1 0 %llu %llu %llu "
			"18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 "
			"%d\n",
			p->pid, p->name, (char)p->state, p->ppid, p->pgid, p->sid,
			(unsigned long long)to_clock(p->user_ticks, hz),
			(unsigned long long)to_clock(p->sys_ticks, hz),
			(unsigned long long)to_clock(p->start_ticks, hz), (unsigned long long)vsize,
			(unsigned long long)pages, 0);
}

/* /proc/<pid>/status: Linux's lines that Axolotl has, in Linux's order. */
static int
pid_status(const struct pm_procinfo *p, char *buf, size_t size)
{
	uint64_t vsize, pages;
	int n;

	proc_memory(p, &vsize, &pages);
	n = snprintf(buf, size,
		     "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		     "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n",
		     p->name,
		     p->state == 'Z'   ? "Z (zombie)"
		     : p->state == 'S' ? "S (sleeping)"
		     : p->state == 'T' ? "T (stopped)"
				       : "R (running)",
		     p->pid, p->pid, p->ppid, p->uid, p->euid, p->euid, p->euid, p->gid, p->egid,
		     p->egid, p->egid);
	if (n >= 0 && (size_t)n < size && p->state != 'Z') /* a zombie's has no memory lines */
		n += snprintf(buf + n, size - (size_t)n, "VmSize:\t%8llu kB\nVmRSS:\t%8llu kB\n",
			      (unsigned long long)(vsize >> 10), (unsigned long long)pages * 4);
	if (n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "Threads:\t1\n");
	return n;
}

/*
 * /proc/<pid>/cmdline: the arguments, each NUL-terminated, read from the
 * process's memory by PM; a zombie's is empty, as on Linux.
 */
static int
pid_cmdline(const struct pm_procinfo *p, char *buf, size_t size)
{
	if (p->state == 'Z')
		return 0;
	return proc_cmdline(p->pid, buf, size);
}

/*
 * /proc/meminfo from VM's counts (VM_INFO).  Until VM runs there are none:
 * EIO, not invented numbers.
 */
static int
meminfo(char *buf, size_t size)
{
	endpoint_t vm;
	message m;
	int r;

	if (sys_lookup("vm", &vm) < 0)
		return -EIO;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_INFO;
	if ((r = ipc_sendrec(vm, &m)) < 0 || (r = m.m_type) < 0)
		return r < 0 ? r : -EIO;
	uint64_t total = m.m_vm_reply.total_pages * 4, free_kb = m.m_vm_reply.free_pages * 4;
	return snprintf(buf, size,
			"MemTotal:       %8llu kB\nMemFree:        %8llu kB\n"
			"MemAvailable:   %8llu kB\nBuffers:               0 kB\n"
			"Cached:                0 kB\nSwapCached:            0 kB\n"
			"SwapTotal:             0 kB\nSwapFree:              0 kB\n"
			"Shmem:                 0 kB\nSReclaimable:          0 kB\n",
			(unsigned long long)total, (unsigned long long)free_kb,
			(unsigned long long)free_kb);
}

/* /proc/stat: the CPU's ticks (busybox top needs the first line); idle is what no process used. */
static int
stat_text(char *buf, size_t size, uint32_t hz, uint64_t up)
{
	uint64_t user = 0, sys = 0, idle;
	int n = procs_snapshot(procs, PROC_NR_PROCS);

	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		user += procs[i].user_ticks;
		sys += procs[i].sys_ticks;
	}
	idle = up > user + sys ? up - user - sys : 0;
	user = to_clock(user, hz);
	sys = to_clock(sys, hz);
	idle = to_clock(idle, hz);
	return snprintf(buf, size,
			"cpu  %llu 0 %llu %llu 0 0 0 0 0 0\ncpu0 %llu 0 %llu %llu 0 0 0 0 0 0\n"
			"btime 0\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n",
			(unsigned long long)user, (unsigned long long)sys, (unsigned long long)idle,
			(unsigned long long)user, (unsigned long long)sys, (unsigned long long)idle,
			n);
}

/*
 * /proc/mounts.  VFS owns the mount table and publishes it in DS, already
 * in this format, after each change (servers/vfs/mount.c): procfs cannot
 * ask VFS, which waits on procfs for this very read.  Without it (an old
 * VFS, DS refusing) the one mount procfs knows is its own.
 */
static int
mounts(char *buf, size_t size)
{
	size_t len = size;

	if (ds_retrieve_mem("vfs.mounts", buf, &len) == 0 && len > 0 && len <= size)
		return (int)len;
	return snprintf(buf, size, "proc /proc proc rw,nosuid,nodev,noexec 0 0\n");
}

/*
 * The text of a regular file of procfs: its length, or -E (-ENOENT: the
 * process is gone).  reader is the pid whose read this is (FS_READ's
 * io_pid): PM sees its call held and says S, but it runs, as Linux says.
 */
int
make_text(const struct pnode *pn, int32_t reader, char *buf, size_t size)
{
	static struct pm_procinfo reader_info;
	const struct pm_procinfo *p;
	uint64_t up;
	uint32_t hz;
	int n, r;

	if ((r = uptime(&up, &hz)) < 0)
		return r;
	if (pn->kind == PN_ROOT_FILE) {
		switch (pn->which) {
		case RF_MEMINFO:
			return meminfo(buf, size);
		case RF_UPTIME: /* seconds.hundredths, twice: idle time is not counted apart */
			return snprintf(buf, size, "%llu.%02llu %llu.%02llu\n",
					(unsigned long long)(up / hz),
					(unsigned long long)(up % hz * 100 / hz),
					(unsigned long long)(up / hz),
					(unsigned long long)(up % hz * 100 / hz));
		case RF_MOUNTS:
			return mounts(buf, size);
		case RF_STAT:
			return stat_text(buf, size, hz, up);
		case RF_LOADAVG: /* no load average is kept: the running and total counts are real */
			if ((n = procs_snapshot(procs, PROC_NR_PROCS)) < 0)
				return n;
			return snprintf(buf, size, "0.00 0.00 0.00 1/%d %d\n", n,
					n > 0 ? procs[n - 1].pid : 0);
		}
		return -ENOENT;
	}
	if (pn->kind != PN_PID_FILE)
		return -EINVAL;
	if ((n = procs_snapshot(procs, PROC_NR_PROCS)) < 0)
		return n;
	if (!(p = proc_find(procs, n, pn->pid)))
		return -ENOENT;
	if (p->pid == reader && p->state == 'S') { /* its call is this one, served now */
		reader_info = *p;
		reader_info.state = 'R';
		p = &reader_info;
	}
	switch (pn->which) {
	case PF_STAT:
		return pid_stat(p, buf, size, hz);
	case PF_STATUS:
		return pid_status(p, buf, size);
	case PF_CMDLINE:
		return pid_cmdline(p, buf, size);
	}
	return -ENOENT;
}

/*
 * A symlink's target: /proc/self's is the caller's pid, as text;
 * /proc/<pid>/exe's the program's file, as PM has it (PM_EXE).  Its
 * length (at most size - 1), or -E.
 */
int
link_text(const struct pnode *pn, char *buf, size_t size)
{
	int n;

	if (pn->kind == PN_SELF)
		return snprintf(buf, size, "%d", pn->pid);
	if ((n = proc_exe(pn->pid, buf, size - 1)) < 0)
		return n;
	if ((size_t)n >= size)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return n;
}
