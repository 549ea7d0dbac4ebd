/*
 * Kernel-call handlers, one per file in kernel/system/, named do_<call>.
 * Each gets the caller and its request message, validates everything, then
 * acts; it returns 0 or -E (placed in the reply's m_type) or EDONTREPLY, and
 * writes its reply payload into the same message.
 */
#ifndef KERNEL_SYSTEM_H
#define KERNEL_SYSTEM_H

#include "proc.h"

#define KCALL(nr, NAME, name) int do_##name(struct proc *caller, message *m);
#include <ax/kcall.def>
#undef KCALL

#endif
