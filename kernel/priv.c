/*
 * Privilege structures (see priv.h): allocation, and the two checks every
 * IPC and kernel call goes through.
 */
#include "priv.h"
#include "proc.h"

struct priv priv_table[NR_PRIVS];

/*
 * The shared unprivileged slot: no kernel calls, no native IPC (user
 * processes speak the Linux ABI), no resources.  Its signal manager will be
 * PM.  It is never freed.
 */
void
priv_init(void)
{
	struct priv *u = &priv_table[USER_PRIV_ID];

	memset(u, 0, sizeof(*u));
	u->s_id = USER_PRIV_ID;
	u->s_flags = PRIV_IN_USE;
	u->s_sig_mgr = NONE;
	u->s_mem_limit = PRIV_MEM_DEFAULT;
}

struct priv *
priv_user(void)
{
	return &priv_table[USER_PRIV_ID];
}

struct priv *
priv_alloc(struct proc *p)
{
	for (int i = 0; i < NR_PRIVS; i++) {
		struct priv *s = &priv_table[i];

		if (s->s_flags & PRIV_IN_USE)
			continue;
		memset(s, 0, sizeof(*s));
		s->s_id = i;
		s->s_proc_slot = p->p_slot;
		s->s_flags = PRIV_IN_USE | PRIV_SYS_PROC;
		s->s_sig_mgr = NONE;
		s->s_mem_limit = PRIV_MEM_DEFAULT;
		p->p_priv = s;
		return s;
	}
	return NULL;
}

/*
 * Release s.  ipc_clear_refs has already cleared its pending bits
 * elsewhere; here the other masks forget it as a target, so whoever gets
 * this id next inherits nobody's permission to reach it.
 */
void
priv_free(struct priv *s)
{
	if (s == priv_user())
		return;
	/* In use, and its process's: the pending bits are found through this link. */
	assert((s->s_flags & PRIV_IN_USE) && proc_addr(s->s_proc_slot)->p_priv == s);
	timer_cancel(&s->s_alarm);
	timer_cancel(&s->s_call_timer);
	for (int i = 0; i < NR_PRIVS; i++)
		bitmap_clear(priv_table[i].s_ipc_to, s->s_id);
	s->s_flags = 0;
}

/* Structures in use (kernel identities and the user one included). */
int
priv_count_used(void)
{
	int n = 0;

	for (int i = 0; i < NR_PRIVS; i++)
		n += (priv_table[i].s_flags & PRIV_IN_USE) != 0 || i == USER_PRIV_ID;
	return n;
}

/* Does one of s's I/O port ranges hold all of [base, limit]? */
bool
priv_has_io(const struct priv *s, uint64_t base, uint64_t limit)
{
	for (int i = 0; i < s->s_nr_io_ranges; i++)
		if (base >= s->s_io_tab[i].base && limit <= s->s_io_tab[i].limit)
			return true;
	return false;
}

/* Does one of s's memory ranges hold all of [base, limit]? */
bool
priv_has_mem(const struct priv *s, uint64_t base, uint64_t limit)
{
	for (int i = 0; i < s->s_nr_mem_ranges; i++)
		if (base >= s->s_mem_tab[i].base && limit <= s->s_mem_tab[i].limit)
			return true;
	return false;
}
