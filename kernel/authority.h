/*
 * The authority model (docs/kernel.md, "Authority"): which process may
 * manage which, and what a process may give away.
 *
 * Responsibility: a process is responsible for the processes it spawned
 * and for those whose signal manager it is; a root (PRIV_ROOT: RS, its
 * replica; the test and demo harnesses) is responsible for every process.
 * The control calls that name a target (privctl, update, kill) act only on
 * a process the caller is responsible for.
 *
 * No amplification: privctl gives a process only calls, IPC targets, I/O
 * ports, IRQ lines, memory ranges, flags and memory limit (no larger than
 * its own) that the caller holds itself,
 * and update puts a program only under privileges the caller holds.  A
 * root holds every resource by definition.
 */
#ifndef KERNEL_AUTHORITY_H
#define KERNEL_AUTHORITY_H

#include "proc.h"
#include "priv.h"

bool auth_is_root(const struct proc *p);
bool auth_responsible(const struct proc *caller, const struct proc *target);

bool auth_holds_io(const struct priv *h, uint64_t base, uint64_t limit);
bool auth_holds_irq(const struct priv *h, uint64_t irq);
bool auth_holds_mem(const struct priv *h, uint64_t base, uint64_t limit);
int auth_may_give(const struct proc *caller, const struct priv_desc *d);
bool auth_holds_all(const struct proc *caller, const struct priv *s);

#endif
