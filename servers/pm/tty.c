/*
 * Signals a terminal asks for (include/ax/tty.h, docs/files.md
 * "Terminals"): ^C, ^\ and ^Z for the foreground process group,
 * SIGTTIN/SIGTTOU for a background group that used the terminal, SIGHUP
 * and SIGCONT when a session lets go of it.  The tty driver sends
 * TTY_SIGNAL asynchronously; there is no reply.  Only a terminal driver
 * may ask: the system process named "tty".
 */
#include "pm.h"
#include <stdio.h>
#include <ax/signal.h>
#include <ax/tty.h>

void
pm_tty_signal(endpoint_t caller, const message *m)
{
	int32_t pgrp = m->m_tty_signal.pgrp;
	int sig = m->m_tty_signal.sig;
	endpoint_t tty = NONE;

	if (sys_lookup("tty", &tty) < 0 || caller != tty) {
		printf("pm: TTY_SIGNAL from %d, who is no terminal: ignored\n", caller);
		return;
	}
	if (sig < 1 || sig > NSIG_AX || pgrp <= 0)
		return;
	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *t = &mproc[i];

		if ((t->mp_flags & MP_IN_USE) && !(t->mp_flags & (MP_NATIVE | MP_ZOMBIE)) &&
		    t->mp_pgid == pgrp)
			pm_raise(t, sig);
	}
}
