/*
 * The tty driver's state, shared by tty.c (the character protocol, the
 * interrupt path and the request queues) and tty_ioctl.c (the terminal
 * ioctls).  One process drives one serial port, as minor 0.
 */
#ifndef TTY_TTY_H
#define TTY_TTY_H

#include <chardriver.h>
#include <ax/termios.h>
#include "ldisc.h"
#include "uart.h"

#define TTY_QUEUE   8 /* suspended requests of one kind */
#define TTY_SELECTS 4 /* clients waiting for select ops */

/* A suspended read, write or draining ioctl, answered later. */
struct tty_request {
	endpoint_t tr_endpt; /* the requester: the grant's owner, and who gets the reply */
	cdev_id_t tr_id;
	grant_id_t tr_grant;
	size_t tr_size;
	size_t tr_done;            /* write: bytes taken so far */
	unsigned long tr_ioctl;    /* ioctl: TCSETSW or TCSETSF ... */
	struct termios tr_termios; /* ... and the settings to apply once drained */
};

/* Requests wait in arrival order. */
struct tty_queue {
	struct tty_request q_req[TTY_QUEUE];
	int q_len;
};

struct tty {
	struct uart t_uart;
	struct ldisc t_ld;
	struct winsize t_winsize;
	int32_t t_session;       /* the session this is the controlling terminal of; 0: none */
	int32_t t_pgrp;          /* the foreground process group (TIOCSPGRP); 0: none */
	endpoint_t t_sig_target; /* told of signals (TTY_IOC_SIGTARGET); NONE: PM, by its label */
	struct serial_icounter_struct t_count;
	struct tty_queue t_readers, t_writers, t_drainers;
	struct {
		endpoint_t endpt;
		unsigned ops; /* ops still to report; 0: free */
	} t_selects[TTY_SELECTS];
	uint64_t t_deadline; /* the head reader's VTIME, in ticks; 0: none */
	bool t_timed_out;    /* ... has passed */
};

extern struct tty tty;

/* tty.c: what the ioctls need of the rest. */
int tty_queue_add(struct tty_queue *q, const struct tty_request *r); /* -EBUSY if full */
void tty_queue_remove(struct tty_queue *q, int i);
int tty_apply_termios(const struct termios *t, bool flush_input);
void tty_input(uint8_t c); /* a byte as if received */
void tty_events(void);     /* finish what input, output or settings allow */

void tty_report_signal(int sig, int32_t pgrp); /* TTY_SIGNAL to the signal target */

/* tty_keep.c: the settings, kept in DS across restarts */
void tty_keep_settings(void);
bool tty_kept_settings(void);

/* tty_job.c: the controlling terminal, the foreground group */
#define TTY_JOB_STOP 1 /* tty_job_check: the user's group was signalled: hold the request */
bool tty_is_ctty_of(const struct cdev_user *u);
int tty_job_check(const struct cdev_user *u, int sig);
int64_t tty_job_hold(int check, int type, endpoint_t endpt, cdev_id_t id, grant_id_t grant,
		     size_t size, int flags, unsigned long request, const struct cdev_user *u);
int64_t tty_job_cancel(endpoint_t endpt, cdev_id_t id);
void tty_job_retry(void);
/* tty.c: a held request served again (CDEV_READ, CDEV_WRITE, CDEV_IOCTL) */
int64_t tty_resubmit(int type, endpoint_t endpt, cdev_id_t id, grant_id_t grant, size_t size,
		     int flags, unsigned long request, const struct cdev_user *u);
int tty_job_open(int access, const struct cdev_user *u);
int tty_job_set_ctty(const struct cdev_user *u);
int tty_job_release(const struct cdev_user *u);

/* tty_ioctl.c */
int tty_ioctl(devminor_t minor, unsigned long request, endpoint_t endpt, grant_id_t grant,
	      int flags, const struct cdev_user *user, cdev_id_t id);
void tty_finish_drains(void);

#endif
