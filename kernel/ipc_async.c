/*
 * SENDA: asynchronous sends from a table in the sender's own memory.
 *
 * ipc_senda() registers the table (replacing any earlier one) and delivers
 * every valid, unfinished entry whose receiver is waiting; for the others it
 * sets the sender's bit in the receiver's s_asyn_pending.  When a receiver
 * with such bits calls RECEIVE, ipc_async_receive() reads the senders'
 * tables again and delivers the first acceptable entry.  The kernel writes
 * each entry's result and AMF_DONE back into the table, and notifies the
 * sender from ASYNCM when the entry asks for it (AMF_NOTIFY).
 */
#include "ipc.h"
#include "priv.h"
#include "vm.h"
#include "linux.h"
#include <ax/ipc.h>

static vir_addr_t
entry_addr(const struct proc *sender, size_t i)
{
	return sender->p_asyntab + i * sizeof(asynmsg_t);
}

/* Write back the outcome of entry i of sender's table. */
static void
entry_finish(struct proc *sender, size_t i, asynmsg_t *am, int result)
{
	am->flags |= AMF_DONE;
	am->result = result;
	if (vm_copy_to_table(sender, entry_addr(sender, i), am, 16) < 0)
		return; /* the sender unmapped its own table: its loss */
	if (am->flags & AMF_NOTIFY)
		ipc_notify_from(proc_addr(ASYNCM), sender);
}

/*
 * May sender's entry reach dst?  Its mask must allow it, or the entry is
 * the reply dst waits for and is delivered now (ipc_is_reply); a NOREPLY
 * entry never is.  Checked when the entry is sent and again when a receive
 * takes it, so a pending entry never passes a mask that does not allow it.
 */
static bool
entry_allowed(struct proc *sender, struct proc *dst, const asynmsg_t *am)
{
	return priv_may_send(sender, dst) ||
	       (!(am->flags & AMF_NOREPLY) && ipc_is_reply(sender, dst));
}

/* Validate entry's destination; 0 and *dst, or the error for the entry. */
static int
entry_target(struct proc *sender, const asynmsg_t *am, struct proc **dst)
{
	int r = proc_lookup(am->dst, dst);

	if (r < 0)
		return r;
	if (proc_is_kernel(*dst))
		return -EINVAL;
	return entry_allowed(sender, *dst, am) ? 0 : -EPERM;
}

/* Try to deliver entry i now; true when it is finished (either way). */
static bool
entry_try(struct proc *sender, size_t i, asynmsg_t *am)
{
	struct proc *dst;
	int r = entry_target(sender, am, &dst);

	if (r < 0) {
		entry_finish(sender, i, am, r);
		return true;
	}
	if (linux_is_user(dst)) { /* only the reply to its Linux call, now */
		am->msg.m_source = sender->p_endpoint;
		entry_finish(sender, i, am, linux_reply(sender, dst, &am->msg));
		return true;
	}
	if (ipc_can_receive(dst, sender) &&
	    !((dst->p_misc_flags & MF_REPLY_PEND) && (am->flags & AMF_NOREPLY))) {
		am->msg.m_source = sender->p_endpoint;
		ipc_deliver(dst, &am->msg, IPC_STATUS_SENDA);
		entry_finish(sender, i, am, 0);
		return true;
	}
	bitmap_set(dst->p_priv->s_asyn_pending, sender->p_priv->s_id);
	return false;
}

int
ipc_senda(struct proc *caller, vir_addr_t table, size_t count)
{
	asynmsg_t am;

	if (count > SENDA_MAX)
		return -EDOM;
	if (table & 15)
		return -EINVAL;
	if (count && !arch_user_range_ok(table, count * sizeof(asynmsg_t)))
		return -EFAULT;
	caller->p_asyntab = table;
	caller->p_asynsize = count;
	for (size_t i = 0; i < count; i++) {
		if (vm_copy_from_table(caller, &am, entry_addr(caller, i), sizeof(am)) < 0)
			return -EFAULT;
		if ((am.flags & (AMF_VALID | AMF_DONE)) == AMF_VALID)
			entry_try(caller, i, &am);
	}
	return 0;
}

/*
 * Give caller, which is in RECEIVE (running, not blocked), the first pending
 * entry of sender's table addressed to it.  Returns 1 when one was taken,
 * 0 when none, -EFAULT when caller's buffer is bad (the entry stays).
 * *more says whether other entries for caller remain.
 */
static int
async_from(struct proc *caller, struct proc *sender, bool *more)
{
	int taken = 0;
	asynmsg_t am;

	*more = false;
	for (size_t i = 0; i < sender->p_asynsize; i++) {
		if (vm_copy_from_table(sender, &am, entry_addr(sender, i), sizeof(am)) < 0)
			break;
		if ((am.flags & (AMF_VALID | AMF_DONE)) != AMF_VALID ||
		    am.dst != caller->p_endpoint)
			continue;
		if (!entry_allowed(sender, caller, &am)) {
			entry_finish(sender, i, &am, -EPERM);
			continue;
		}
		if (taken || ((caller->p_misc_flags & MF_REPLY_PEND) && (am.flags & AMF_NOREPLY))) {
			*more = true;
			continue;
		}
		am.msg.m_source = sender->p_endpoint;
		if (vm_copy_to_user(caller, caller->p_msgbuf, &am.msg, sizeof(message)) < 0)
			return -EFAULT;
		arch_set_status(&caller->p_arch, IPC_STATUS_SENDA);
		entry_finish(sender, i, &am, 0);
		taken = 1;
	}
	return taken;
}

int
ipc_async_receive(struct proc *caller, endpoint_t src_e)
{
	uint64_t *pending = caller->p_priv->s_asyn_pending;

	for (int w = 0; w < BITMAP_WORDS(NR_PRIVS); w++) {
		for (uint64_t bits = pending[w]; bits; bits &= bits - 1) {
			int id = w * 64 + __builtin_ctzll(bits);
			struct proc *sender = proc_addr(priv_table[id].s_proc_slot);
			bool more;
			int r;

			if (src_e != ANY && src_e != sender->p_endpoint)
				continue;
			r = async_from(caller, sender, &more);
			if (!more && r >= 0)
				bitmap_clear(pending, id);
			if (r != 0)
				return r;
		}
	}
	return 0;
}

/*
 * The dead process's SENDA table is gone; entries sent to it fail.  Only a
 * sender whose bit is set in dead's s_asyn_pending can hold one (entry_try
 * sets it for every entry it could not deliver; ipc_async_receive clears it
 * once dead took them all), so only those tables are read: a death costs
 * what was pending for the dead, not SENDA_MAX entries of every process
 * that ever called asynsend (which made restart_insns and lu_insns depend
 * on what ran earlier in the boot: 6,500 more per death once VM had made
 * its first file mmap).  An entry whose bit went otherwise (its sender's
 * pending bits forgotten, or its table swapped by an update) fails when
 * its sender next registers the table, as entry_try finds no receiver.
 * A dead without privileges has no bits: every table is read, as before.
 */
void
ipc_async_cancel(struct proc *dead)
{
	const uint64_t *pending = dead->p_priv ? dead->p_priv->s_asyn_pending : NULL;

	for (int id = 0; id < NR_PRIVS; id++) {
		struct priv *s = &priv_table[id];
		struct proc *sender = proc_addr(s->s_proc_slot);
		asynmsg_t am;

		if (!(s->s_flags & PRIV_IN_USE) || sender == dead || !sender->p_asynsize ||
		    (pending && !bitmap_test(pending, (unsigned)id)))
			continue;
		for (size_t i = 0; i < sender->p_asynsize; i++) {
			if (vm_copy_from_table(sender, &am, entry_addr(sender, i), sizeof(am)) < 0)
				break;
			if ((am.flags & (AMF_VALID | AMF_DONE)) == AMF_VALID &&
			    am.dst == dead->p_endpoint)
				entry_finish(sender, i, &am, -EDEADSRCDST);
		}
	}
}
