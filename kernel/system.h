/*
 * Kernel-call handlers, one per file in kernel/system/, named do_<call>.
 * Each gets the caller and its request message, validates everything, then
 * acts; it returns 0 or -E (placed in the reply's m_type) or EDONTREPLY, and
 * writes its reply payload into the same message.
 *
 * Bounded work: the kernel runs with interrupts off, so a handler whose
 * work grows with its arguments (a copy of any size) does at most
 * KCALL_WORK_BYTES of it per entry, records how far it got in
 * caller->p_resume.r_done and returns EKCALL_AGAIN.  The caller then
 * leaves the kernel as if preempted, with its system call set to run again
 * (pending interrupts are taken, the clock ticks and is charged to it,
 * higher-priority processes run), and the call resumes where it stopped.
 * r_done is 0 on a call's first entry and belongs to that call only.
 */
#ifndef KERNEL_SYSTEM_H
#define KERNEL_SYSTEM_H

#include "proc.h"

#define KCALL_WORK_BYTES (128 * 1024) /* the most one entry copies */

#define KCALL(nr, NAME, name) int do_##name(struct proc *caller, message *m);
#include <ax/kcall.def>
#undef KCALL

#endif
