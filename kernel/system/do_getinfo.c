/*
 * GETINFO: the caller's identity, kernel information, a process looked up
 * by name (how boot processes find each other before DS exists), a copy of
 * a boot module (how RS keeps the executables it restarts from), or another
 * process's privileges (how RS tells an administrator from anyone else,
 * and how a test reads back what a service holds), or the resource
 * counters (what is in use: tests show that failures leak nothing).
 * Reads: m_sys_getinfo.what, .name, .index, .offset, .addr, .len, .endpt.
 * Writes:
 * m_sys_whoami, m_sys_kinfo, m_sys_lookup, m_sys_image,
 * m_sys_privinfo or m_sys_resources, or (PRIV_DESC) a struct priv_desc at addr.
 */
#include "system.h"
#include "priv.h"
#include "timer.h"
#include "boot_info.h"
#include "exec.h"
#include "vm.h"

/* Boot module index: its size and program name, and its bytes from offset on at addr. */
static int
getinfo_image(struct proc *caller, message *m)
{
	struct msg_sys_getinfo req = m->m_sys_getinfo;
	const struct boot_module *mod;
	char cmdline[BOOT_CMDLINE], *word;
	size_t size;
	int r;

	if (req.index < 0 || req.index >= boot_info.nr_mods)
		return -ENOENT;
	mod = &boot_info.mods[req.index];
	size = mod->end - mod->start;
	if (req.offset > size)
		return -EINVAL;
	if ((r = vm_copy_to_user(caller, req.addr, phys_to_virt(mod->start + req.offset),
				 req.len < size - req.offset ? req.len : size - req.offset)) < 0)
		return r;
	strlcpy(cmdline, mod->cmdline, sizeof(cmdline));
	memset(&m->m_sys_image, 0, sizeof(m->m_sys_image));
	m->m_sys_image.size = size;
	if (exec_split_words(cmdline, &word, 1) == 1)
		exec_program_name(word, m->m_sys_image.program, PROC_NAME_LEN);
	return 0;
}

/*
 * The privileges of an endpoint, and whether it runs or is blocked in IPC:
 * what RS checks before obeying a request, what a test waits for.
 */
static int
getinfo_priv(message *m)
{
	struct proc *p;
	int r;

	if ((r = proc_lookup(m->m_sys_getinfo.endpt, &p)) < 0)
		return r;
	memset(&m->m_sys_privinfo, 0, sizeof(m->m_sys_privinfo));
	m->m_sys_privinfo.sig_mgr = NONE;
	m->m_sys_privinfo.state = ((p->p_rts_flags & RTS_SIG_PENDING) ? PROC_STATE_FROZEN : 0) |
				  ((p->p_rts_flags & RTS_NO_PRIV) ? PROC_STATE_HELD : 0) |
				  ((p->p_rts_flags & RTS_SENDING) ? PROC_STATE_SENDING : 0) |
				  ((p->p_misc_flags & MF_REPLY_PEND) ? PROC_STATE_AWAITING : 0);
	m->m_sys_privinfo.ipc_peer = NONE;
	if (p->p_rts_flags & RTS_SENDING) {
		m->m_sys_privinfo.ipc = PROC_IPC_SENDING;
		m->m_sys_privinfo.ipc_peer = p->p_sendto_e;
	} else if (p->p_rts_flags & RTS_RECEIVING) {
		m->m_sys_privinfo.ipc = PROC_IPC_RECEIVING;
		m->m_sys_privinfo.ipc_peer = p->p_getfrom_e;
	}
	if (!p->p_priv)
		return 0;
	m->m_sys_privinfo.call_mask = p->p_priv->s_call_mask;
	m->m_sys_privinfo.flags =
		((p->p_priv->s_flags & PRIV_SYS_PROC) ? PRIV_FLAG_SYS_PROC : 0) |
		(p->p_priv->s_flags & (PRIV_MAGIC_GRANTS | PRIV_ROOT | PRIV_ADMIN));
	m->m_sys_privinfo.sig_mgr = p->p_priv->s_sig_mgr;
	m->m_sys_privinfo.mem_limit = p->p_priv->s_mem_limit;
	m->m_sys_privinfo.mem_used = (uint64_t)p->p_pages * PAGE_BYTES;
	return 0;
}

/*
 * All of endpt's privileges, in the form privctl takes them: IPC targets
 * as the endpoints now holding the ids in its mask (E2BIG if more than a
 * description holds).  A process without privileges gets an empty one.
 */
static int
getinfo_priv_desc(struct proc *caller, message *m)
{
	struct msg_sys_getinfo req = m->m_sys_getinfo;
	const struct priv *s;
	struct priv_desc d;
	struct proc *p;
	int r;

	if (req.len != sizeof(d))
		return -EINVAL;
	if ((r = proc_lookup(req.endpt, &p)) < 0)
		return r;
	memset(&d, 0, sizeof(d));
	d.sig_mgr = NONE;
	if ((s = p->p_priv)) {
		d.flags = s->s_flags & (PRIV_MAGIC_GRANTS | PRIV_ROOT | PRIV_ADMIN);
		d.call_mask = s->s_call_mask;
		d.irq_mask = s->s_irq_mask;
		d.sig_mgr = s->s_sig_mgr;
		d.mem_limit = s->s_mem_limit;
		d.reply_bound = s->s_reply_bound;
		d.nr_io = (uint32_t)s->s_nr_io_ranges;
		for (int i = 0; i < s->s_nr_io_ranges; i++)
			d.io[i].base = s->s_io_tab[i].base, d.io[i].limit = s->s_io_tab[i].limit;
		d.nr_mem = (uint32_t)s->s_nr_mem_ranges;
		for (int i = 0; i < s->s_nr_mem_ranges; i++)
			d.mem[i].base = s->s_mem_tab[i].base,
			d.mem[i].limit = s->s_mem_tab[i].limit;
		d.nr_ipc = (s->s_flags & PRIV_IPC_ALL) ? PRIV_DESC_ALL_IPC : 0;
		for (int id = 0; id < NR_PRIVS && !(s->s_flags & PRIV_IPC_ALL); id++) {
			if (!bitmap_test(s->s_ipc_to, id) ||
			    !(priv_table[id].s_flags & PRIV_IN_USE))
				continue;
			if (d.nr_ipc == PRIV_DESC_IPC)
				return -E2BIG;
			d.ipc_to[d.nr_ipc++] = proc_addr(priv_table[id].s_proc_slot)->p_endpoint;
		}
	}
	return vm_copy_to_user(caller, req.addr, &d, sizeof(d));
}

int
do_getinfo(struct proc *caller, message *m)
{
	char name[PROC_NAME_LEN];
	struct proc *p;

	switch (m->m_sys_getinfo.what) {
	case GETINFO_WHOAMI:
		/* field by field: a few moves (the cheapest call, make bench's kcall) */
		m->m_sys_whoami.endpt = caller->p_endpoint;
		m->m_sys_whoami.priv_flags = caller->p_priv ? caller->p_priv->s_flags : 0;
		__builtin_memcpy(m->m_sys_whoami.name, caller->p_name,
				 PROC_NAME_LEN); /* zero-padded */
		__builtin_memset(m->m_sys_whoami.pad, 0, sizeof(m->m_sys_whoami.pad));
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
		/* bounded: the message may be the caller's own page (system.c) */
		memcpy(name, m->m_sys_getinfo.name, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		p = proc_by_name(name);
		memset(&m->m_sys_lookup, 0, sizeof(m->m_sys_lookup));
		m->m_sys_lookup.endpt = p ? p->p_endpoint : NONE;
		return p ? 0 : -ENOENT;
	case GETINFO_IMAGE:
		return getinfo_image(caller, m);
	case GETINFO_PRIV:
		return getinfo_priv(m);
	case GETINFO_RESOURCES:
		resources_count(&m->m_sys_resources);
		return 0;
	case GETINFO_PRIV_DESC:
		return getinfo_priv_desc(caller, m);
	default:
		return -EINVAL;
	}
}
