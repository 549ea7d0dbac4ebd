/*
 * Interrupt hooks: a system process attaches to an IRQ line (sys_irqctl) and
 * gets a NOTIFY from HARDWARE when it fires, with its chosen notify id set in
 * the message's interrupt bitmap.  The line stays masked until the driver
 * re-enables it, unless its policy is IRQ_REENABLE.
 */
#ifndef KERNEL_INTERRUPT_H
#define KERNEL_INTERRUPT_H

#include "proc.h"

void irq_handle(int irq);
int irq_set_policy(struct proc *p, int irq, int policy, int notify_id);
int irq_control(struct proc *p, int request, int hook_id);
void irq_release_all(struct proc *p);
void irq_release_unpermitted(struct proc *p);
int irq_hooks_in_use(void);
bool irq_line_hooked(int irq); /* a driver has a hook on the line */

#endif
