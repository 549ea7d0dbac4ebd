/*
 * Signals as the kernel and signal managers see them.  Numbers are Linux's
 * (user programs will see the same ones); a set is a 64-bit mask with bit
 * (n - 1) for signal n.  Kernel-generated signals go to the process's signal
 * manager (its privilege slot names it), never to the process itself.
 */
#ifndef AX_SIGNAL_H
#define AX_SIGNAL_H

#include <ax/types.h>

#define SIGHUP  1 /* the controlling terminal's session ended */
#define SIGINT  2 /* VINTR (^C) at a terminal */
#define SIGQUIT 3 /* VQUIT at a terminal */
#define SIGILL  4
#define SIGTRAP 5
#define SIGABRT 6 /* sys_exit: a system process ends itself */
#define SIGBUS  7
#define SIGFPE  8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGPIPE 13 /* a write to a pipe with no reader */
#define SIGTERM 15
#define SIGCONT 18
#define SIGTSTP 20 /* VSUSP (^Z) at a terminal */
#define SIGTTIN 21 /* a background read of the controlling terminal */
#define SIGTTOU 22 /* a background write (TOSTOP) or settings change */
#define SIGHUNG \
	62 /* kernel: a caller waited past its bound for this
				   process's answer (a bounded call, sys_setalarm) */
#define SIGLXDONE \
	63 /* kernel, to PM: the Linux call of a user process PM stopped
				   (sigctl) has ended (linux_signal.c) */
#define NSIG_AX 64

typedef uint64_t sigset_ax_t;

static inline sigset_ax_t
sig_bit(int sig)
{
	return (sigset_ax_t)1 << (sig - 1);
}

#endif
