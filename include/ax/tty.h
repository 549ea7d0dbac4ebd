/*
 * What the tty driver sends on its own (requests 0x0900): the terminal
 * signals its line discipline saw, for whoever registered with the ioctl
 * TTY_IOC_SIGTARGET (ax/termios.h); later PM, which signals the
 * foreground process group.
 *
 *   TTY_SIGNAL   sig (SIGINT, SIGQUIT or SIGTSTP: ax/signal.h), pgrp (as
 *                last set by TIOCSPGRP, 0 if never), minor.  Sent by
 *                asynsend, so a slow or dead receiver never blocks the
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
