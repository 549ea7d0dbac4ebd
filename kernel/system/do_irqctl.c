/*
 * IRQCTL: attach to an interrupt line, detach, mask and unmask it.  Reads:
 * m_sys_irqctl (request, irq, policy, notify_id, hook_id).  Writes:
 * m_sys_irqctl_reply.hook_id for IRQ_SETPOLICY.  The line must be in the
 * caller's privilege IRQ mask (EPERM); only the owner may use a hook.
 */
#include "system.h"
#include "interrupt.h"

int
do_irqctl(struct proc *caller, message *m)
{
	struct msg_sys_irqctl req = m->m_sys_irqctl;
	int r;

	if (req.request != IRQ_SETPOLICY)
		return irq_control(caller, req.request, req.hook_id);
	r = irq_set_policy(caller, req.irq, req.policy, req.notify_id);
	if (r < 0)
		return r;
	memset(&m->m_sys_irqctl_reply, 0, sizeof(m->m_sys_irqctl_reply));
	m->m_sys_irqctl_reply.hook_id = r;
	return 0;
}
