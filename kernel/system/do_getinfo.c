/*
 * GETINFO: the caller's identity, kernel information, or a process looked up
 * by name (how boot processes find each other before DS exists).
 * Reads: m_sys_getinfo.what, .name.  Writes: m_sys_whoami, m_sys_kinfo or
 * m_sys_lookup.
 */
#include "system.h"
#include "priv.h"
#include "timer.h"
#include "boot_info.h"

int
do_getinfo(struct proc *caller, message *m)
{
	char name[PROC_NAME_LEN];
	struct proc *p;

	switch (m->m_sys_getinfo.what) {
	case GETINFO_WHOAMI:
		memset(&m->m_sys_whoami, 0, sizeof(m->m_sys_whoami));
		m->m_sys_whoami.endpt = caller->p_endpoint;
		m->m_sys_whoami.priv_flags = caller->p_priv ? caller->p_priv->s_flags : 0;
		strlcpy(m->m_sys_whoami.name, caller->p_name, PROC_NAME_LEN);
		return 0;
	case GETINFO_KINFO:
		memset(&m->m_sys_kinfo, 0, sizeof(m->m_sys_kinfo));
		m->m_sys_kinfo.hz = HZ;
		m->m_sys_kinfo.boot_mode = boot_mode;
		m->m_sys_kinfo.nr_slots = NR_SLOTS;
		m->m_sys_kinfo.uptime = clock_uptime;
		strlcpy(m->m_sys_kinfo.args, boot_args, sizeof(m->m_sys_kinfo.args));
		return 0;
	case GETINFO_LOOKUP:
		strlcpy(name, m->m_sys_getinfo.name, sizeof(name));
		p = proc_by_name(name);
		memset(&m->m_sys_lookup, 0, sizeof(m->m_sys_lookup));
		m->m_sys_lookup.endpt = p ? p->p_endpoint : NONE;
		return p ? 0 : -ENOENT;
	default:
		return -EINVAL;
	}
}
