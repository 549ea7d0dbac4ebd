/*
 * Dumps of the kernel's tables: processes (with the resource counters),
 * privileges, and the grant tables processes registered.  Each line is
 * formatted with the shared formatter and goes to the console or into a
 * system process's buffer (DIAG_DUMP_TABLES: how a test or a tool reads
 * them).  A grant table lives in its owner's memory: only its first
 * DUMP_GRANTS entries are read, so a dump stays short.
 *
 * The dump key: the clock polls COM1's receiver (dump_key_poll); Ctrl-T
 * dumps the kernel's tables on the console and notifies RS from CONSOLE,
 * and RS dumps its own table and asks every server for its tables
 * (servers/rs/dump.c).  Other keys on COM1 are dropped: the console is
 * output only.  Unless a driver takes COM1's interrupt (the tty in normal
 * mode, which serves the shell there): then the keys are its, and the
 * kernel stops reading them.
 */
#include "dump.h"
#include "arch.h"
#include "interrupt.h"
#include "ipc.h"
#include "priv.h"
#include "proc.h"
#include "vm.h"
#include <stdarg.h>

#define DUMP_GRANTS 64 /* grant entries read per table */

struct kdump kdump_console;
static uint32_t dump_keys;

/* A piece of the text: to the console, or appended to the buffer while it has room. */
static void
kdump_sink(void *ctx, const char *s, size_t n)
{
	struct kdump *d = ctx;

	if (d->k_to == NULL) {
		console_write(s, n);
	} else if (d->k_len < d->k_size && d->k_error == 0) {
		size_t room = d->k_size - d->k_len;
		int r = vm_copy_to_user(d->k_to, d->k_addr + d->k_len, s, n < room ? n : room);

		if (r < 0)
			d->k_error = r;
	}
	d->k_len += n;
}

void
kdump_printf(struct kdump *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(kdump_sink, d, fmt, ap);
	va_end(ap);
}

static const char *
proc_state(const struct proc *p, char *buf, size_t len)
{
	if (p->p_rts_flags == 0)
		return "ready";
	if (p->p_rts_flags & RTS_SENDING)
		snprintf(buf, len, "send %d", p->p_sendto_e);
	else if ((p->p_rts_flags & RTS_RECEIVING) && (p->p_misc_flags & MF_LINUX_CALL))
		snprintf(buf, len, "lx %llu %d", (unsigned long long)arch_syscall_nr(&p->p_arch),
			 p->p_getfrom_e); /* a Linux call: its number, its server */
	else if ((p->p_rts_flags & RTS_RECEIVING) && (p->p_misc_flags & (MF_PAGEFAULT | MF_VMREQ)))
		snprintf(buf, len, "%s %d", p->p_misc_flags & MF_PAGEFAULT ? "fault" : "vmreq",
			 p->p_getfrom_e);
	else if (p->p_rts_flags & RTS_RECEIVING)
		snprintf(buf, len, "recv %d", p->p_getfrom_e);
	else
		snprintf(buf, len, "flags %#x", p->p_rts_flags);
	return buf;
}

void
proc_dump(struct kdump *d)
{
	struct msg_sys_resources r;
	char state[32];

	resources_count(&r);
	kdump_printf(d,
		     "resources: %llu free frames, slots %u/%u, privileges %u/%u, %u timers, "
		     "irq hooks %u/%u\n",
		     (unsigned long long)r.free_frames, r.used_slots, r.nr_slots, r.used_privs,
		     r.nr_privs, r.timers, r.irq_hooks, r.nr_irq_hooks);
	kdump_printf(d, "slot endpoint name             prio state          user-ticks\n");
	for (int i = FIRST_FREE_SLOT; i < NR_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		if (proc_is_free(p))
			continue;
		kdump_printf(d, "%4d %8d %-16s %4d %-14s %llu%s\n", i, p->p_endpoint, p->p_name,
			     p->p_priority, proc_state(p, state, sizeof(state)),
			     (unsigned long long)p->p_user_ticks, p == proc_current ? " *" : "");
	}
}

static void
priv_dump(struct kdump *d)
{
	kdump_printf(d, "priv slot name             flags calls              irqs   io sigmgr\n");
	for (int i = 0; i < NR_PRIVS; i++) {
		const struct priv *s = &priv_table[i];

		if (!(s->s_flags & PRIV_IN_USE) || i == USER_PRIV_ID)
			continue;
		kdump_printf(d, "%4d %4d %-16s %5x %#018llx %#6x %2d %d\n", i, s->s_proc_slot,
			     proc_addr(s->s_proc_slot)->p_name, s->s_flags,
			     (unsigned long long)s->s_call_mask, s->s_irq_mask, s->s_nr_io_ranges,
			     s->s_sig_mgr);
	}
}

/* The valid entries among the first DUMP_GRANTS of p's grant table. */
static void
grant_dump_table(struct kdump *d, struct proc *p)
{
	size_t n = p->p_grant_entries < DUMP_GRANTS ? p->p_grant_entries : DUMP_GRANTS;
	grant_entry_t g;

	kdump_printf(d, "grants of %s(%d): %zu entries at %#llx\n", p->p_name, p->p_endpoint,
		     p->p_grant_entries, (unsigned long long)p->p_grant_table);
	for (size_t i = 0; i < n; i++) {
		if (vm_copy_from_table(p, &g, p->p_grant_table + i * sizeof(g), sizeof(g)) < 0) {
			kdump_printf(d, "  (table unreadable at entry %zu)\n", i);
			return;
		}
		if (g.cp_flags & GRANT_VALID)
			kdump_printf(d,
				     "  %4zu seq %u flags %#x to %d from %d addr %#llx len %llu\n",
				     i, g.cp_seq, g.cp_flags, g.cp_grantee, g.cp_from,
				     (unsigned long long)g.cp_addr, (unsigned long long)g.cp_len);
	}
}

static void
grant_dump(struct kdump *d)
{
	for (int i = FIRST_FREE_SLOT; i < NR_SLOTS; i++) {
		struct proc *p = proc_addr(i);

		if (!proc_is_free(p) && p->p_priv && p->p_grant_entries > 0)
			grant_dump_table(d, p);
	}
}

void
kernel_dump(struct kdump *d)
{
	kdump_printf(d, "kernel: tables (dump keys %u)\n", dump_keys);
	proc_dump(d);
	priv_dump(d);
	grant_dump(d);
}

/* At most one dump per tick: a held key cannot keep the kernel printing. */
void
dump_key_poll(void)
{
	struct proc *rs;
	int c;

	if (irq_line_hooked(arch_console_irq()))
		return; /* the console's input is a driver's */
	while ((c = arch_console_getc()) >= 0) {
		if (c != DUMP_KEY)
			continue;
		dump_keys++;
		kernel_dump(&kdump_console);
		if ((rs = proc_by_name("rs")) != NULL)
			ipc_notify_from(proc_addr(CONSOLE), rs);
		return;
	}
}

uint32_t
dump_key_count(void)
{
	return dump_keys;
}
