/*
 * PM's process table, as procfs sees it: a snapshot by PM_PROCINFO
 * (servers/pm/procinfo.c) through a grant, taken for each request that
 * needs it, so every answer is as fresh as the request; and a process's
 * program file (PM_EXE) and arguments (PM_CMDLINE).  Entry points:
 * procs_snapshot, proc_find, proc_exe, proc_cmdline.
 */
#include <string.h>
#include "procfs.h"

/* PM's table now: the number of processes in out (at most max), or -E. */
int
procs_snapshot(struct pm_procinfo *out, int max)
{
	endpoint_t pm;
	grant_id_t g;
	message m;
	int r;

	if ((r = sys_lookup("pm", &pm)) < 0)
		return r;
	if ((g = cpf_grant_direct(pm, out, (size_t)max * sizeof(*out), GRANT_WRITE)) < 0)
		return -ENOMEM;
	memset(&m, 0, sizeof(m));
	m.m_type = PM_PROCINFO;
	m.m_pm_procinfo.grant = g;
	m.m_pm_procinfo.size = (uint32_t)((size_t)max * sizeof(*out));
	r = ipc_sendrec(pm, &m);
	cpf_revoke(g);
	if (r < 0)
		return r;
	if (m.m_type > max)
		return -EIO;
	return m.m_type;
}

/* PM_EXE or PM_CMDLINE of pid into buf: the reply's count, or -E. */
static int
proc_text(int type, int32_t pid, char *buf, size_t size)
{
	endpoint_t pm;
	grant_id_t g;
	message m;
	int r;

	if ((r = sys_lookup("pm", &pm)) < 0)
		return r;
	if ((g = cpf_grant_direct(pm, buf, size, GRANT_WRITE)) < 0)
		return -ENOMEM;
	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_pm_procinfo.grant = g;
	m.m_pm_procinfo.size = (uint32_t)size;
	m.m_pm_procinfo.pid = pid;
	r = ipc_sendrec(pm, &m);
	cpf_revoke(g);
	return r < 0 ? r : m.m_type;
}

int
proc_exe(int32_t pid, char *buf, size_t size)
{
	return proc_text(PM_EXE, pid, buf, size);
}

int
proc_cmdline(int32_t pid, char *buf, size_t size)
{
	return proc_text(PM_CMDLINE, pid, buf, size);
}

const struct pm_procinfo *
proc_find(const struct pm_procinfo *t, int n, int32_t pid)
{
	for (int i = 0; i < n; i++)
		if (t[i].pid == pid)
			return &t[i];
	return NULL;
}
