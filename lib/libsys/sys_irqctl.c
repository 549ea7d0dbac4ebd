/* Wrappers for KCALL_IRQCTL: attach to a line, then enable/disable/detach. */
#include "libsys.h"
#include <string.h>

int
sys_irqsetpolicy(int irq, int policy, int notify_id, int *hook_id)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_irqctl.request = IRQ_SETPOLICY;
	m.m_sys_irqctl.irq = irq;
	m.m_sys_irqctl.policy = policy;
	m.m_sys_irqctl.notify_id = notify_id;
	r = kernel_call(KCALL_IRQCTL, &m);
	if (r == 0)
		*hook_id = m.m_sys_irqctl_reply.hook_id;
	return r;
}

int
sys_irqctl(int request, int hook_id)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_irqctl.request = request;
	m.m_sys_irqctl.hook_id = hook_id;
	return kernel_call(KCALL_IRQCTL, &m);
}
