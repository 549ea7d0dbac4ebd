/*
 * What the tty driver sends on its own (requests 0x0900): the signals
 * for a process group that its line discipline and job control raise, for
 * the signal target: PM, which signals the group (the driver finds PM in
 * DS at its first start), or whoever registered with the ioctl
 * TTY_IOC_SIGTARGET (ax/termios.h) instead, as the tests do.
 *
 *   TTY_SIGNAL   sig, pgrp, minor: SIGINT, SIGQUIT or SIGTSTP typed
 *                (pgrp: the foreground group, as last set by TIOCSPGRP
 *                or by taking the terminal as a controlling one; 0 if
 *                none); SIGTTIN or SIGTTOU for a background group that
 *                read or wrote (pgrp: that group); SIGHUP then SIGCONT
 *                when the session lets go of the terminal (the foreground
 *                group).  Sent by asynsend with AMF_NOREPLY, so a slow or
 *                dead receiver never blocks the tty, and the message can
 *                never end a SENDREC the receiver has outstanding to the
 *                tty; there is no reply.
 */
#ifndef AX_TTY_H
#define AX_TTY_H

#include <ax/types.h>

#define TTY_BASE 0x0900

enum tty_message {
	TTY_SIGNAL = TTY_BASE,
};

struct msg_tty_signal {
	int32_t sig;
	int32_t pgrp;
	uint32_t minor;
	uint8_t pad[44];
};

#endif
