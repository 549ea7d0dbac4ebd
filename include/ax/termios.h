/*
 * Terminals: Linux's kernel struct termios (36 bytes, the layout TCGETS
 * copies out; glibc's user-space struct is bigger and converts), its flag
 * values, the c_cc indices, and the terminal ioctls, all with Linux's
 * numbers: user programs speak the Linux ABI and their ioctls reach the tty
 * driver unchanged.
 *
 * The terminal ioctls are old codes (0x54xx) that carry no size or
 * direction; tty_ioctl_arg() gives both, for the driver and for any client
 * that must size an argument's grant (ax/ioctl.h).  TCSBRK, TCXONC, TCFLSH
 * and the other codes whose argument is a value, not a pointer, are not
 * supported (ENOTTY): the character protocol moves arguments by grant.
 * TIOCSCTTY's argument (steal the terminal from another session, for
 * root) is not looked at: the terminal of another session is refused.
 *
 * One request is Axolotl's own: TTY_IOC_SIGTARGET names the endpoint that
 * is told, by a TTY_SIGNAL message, when the line discipline sees ^C, ^\ or
 * ^Z (docs/drivers.md, "The tty driver").  PM will register there.
 */
#ifndef AX_TERMIOS_H
#define AX_TERMIOS_H

#include <ax/types.h>
#include <ax/ioctl.h>

#define NCCS 19

struct termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
AX_STATIC_ASSERT(sizeof(struct termios) == 36, "Linux's kernel termios is 36 bytes");

struct winsize {
	uint16_t ws_row;
	uint16_t ws_col;
	uint16_t ws_xpixel;
	uint16_t ws_ypixel;
};
AX_STATIC_ASSERT(sizeof(struct winsize) == 8, "Linux's winsize is 8 bytes");

/* TIOCGICOUNT: what the serial port counted since the driver started. */
struct serial_icounter_struct {
	int32_t cts, dsr, rng, dcd;
	int32_t rx, tx;
	int32_t frame, overrun, parity, brk;
	int32_t buf_overrun;
	int32_t reserved[9];
};
AX_STATIC_ASSERT(sizeof(struct serial_icounter_struct) == 80, "Linux's icounter is 80 bytes");

/* c_cc indices; a value of 0 disables the function (_POSIX_VDISABLE). */
#define VINTR    0
#define VQUIT    1
#define VERASE   2
#define VKILL    3
#define VEOF     4
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16

/* c_iflag */
#define IGNBRK  0000001
#define BRKINT  0000002
#define IGNPAR  0000004
#define PARMRK  0000010
#define INPCK   0000020
#define ISTRIP  0000040
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IUCLC   0001000
#define IXON    0002000
#define IXANY   0004000
#define IXOFF   0010000
#define IMAXBEL 0020000
#define IUTF8   0040000

/* c_oflag */
#define OPOST  0000001
#define OLCUC  0000002
#define ONLCR  0000004
#define OCRNL  0000010
#define ONOCR  0000020
#define ONLRET 0000040

/* c_cflag */
#define CBAUD   0010017
#define B0      0000000
#define B1200   0000011
#define B2400   0000013
#define B4800   0000014
#define B9600   0000015
#define B19200  0000016
#define B38400  0000017
#define B57600  0010001
#define B115200 0010002
#define CSIZE   0000060
#define CS5     0000000
#define CS6     0000020
#define CS7     0000040
#define CS8     0000060
#define CSTOPB  0000100
#define CREAD   0000200
#define PARENB  0000400
#define PARODD  0001000
#define HUPCL   0002000
#define CLOCAL  0004000

/* c_lflag */
#define ISIG    0000001
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE  0004000
#define IEXTEN  0100000

/* ioctls: Linux's numbers */
#define TCGETS      0x5401 /* struct termios, to the caller */
#define TCSETS      0x5402 /* struct termios, from the caller: now */
#define TCSETSW     0x5403 /* ... after the output has drained */
#define TCSETSF     0x5404 /* ... after draining, and flush pending input */
#define TIOCSCTTY   0x540e /* no argument: become the session's controlling terminal */
#define TIOCGPGRP   0x540f /* int32_t: the foreground process group */
#define TIOCSPGRP   0x5410 /* int32_t */
#define TIOCOUTQ    0x5411 /* int32_t: bytes not yet sent */
#define TIOCSTI     0x5412 /* uint8_t: insert as if typed */
#define TIOCGWINSZ  0x5413 /* struct winsize */
#define TIOCSWINSZ  0x5414 /* struct winsize */
#define FIONREAD    0x541b /* int32_t: bytes a read could take now */
#define TIOCINQ     FIONREAD
#define TIOCNOTTY   0x5422 /* no argument: the session lets go of its terminal */
#define TIOCGSID    0x5429 /* int32_t: the session the terminal controls */
#define TIOCGICOUNT 0x545d /* struct serial_icounter_struct */

/* Axolotl's own: the endpoint (int32_t) told of terminal signals; NONE: nobody. */
#define TTY_IOC_SIGTARGET _IOW('T', 0xa0, int32_t)

/*
 * The size and direction (_IOC_READ: the driver writes the caller's
 * buffer, _IOC_WRITE: it reads it) of a terminal ioctl's argument; false
 * for a code that is not one.
 */
static inline bool
tty_ioctl_arg(unsigned code, unsigned *dir, uint32_t *size)
{
	static const struct {
		unsigned code, dir;
		uint32_t size;
	} args[] = {
		{ TCGETS, _IOC_READ, sizeof(struct termios) },
		{ TCSETS, _IOC_WRITE, sizeof(struct termios) },
		{ TCSETSW, _IOC_WRITE, sizeof(struct termios) },
		{ TCSETSF, _IOC_WRITE, sizeof(struct termios) },
		{ TIOCSCTTY, _IOC_NONE, 0 },
		{ TIOCGPGRP, _IOC_READ, sizeof(int32_t) },
		{ TIOCSPGRP, _IOC_WRITE, sizeof(int32_t) },
		{ TIOCOUTQ, _IOC_READ, sizeof(int32_t) },
		{ TIOCSTI, _IOC_WRITE, sizeof(uint8_t) },
		{ TIOCGWINSZ, _IOC_READ, sizeof(struct winsize) },
		{ TIOCSWINSZ, _IOC_WRITE, sizeof(struct winsize) },
		{ FIONREAD, _IOC_READ, sizeof(int32_t) },
		{ TIOCNOTTY, _IOC_NONE, 0 },
		{ TIOCGSID, _IOC_READ, sizeof(int32_t) },
		{ TIOCGICOUNT, _IOC_READ, sizeof(struct serial_icounter_struct) },
		{ TTY_IOC_SIGTARGET, _IOC_WRITE, sizeof(int32_t) },
	};

	for (unsigned i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
		if (args[i].code == code) {
			*dir = args[i].dir;
			*size = args[i].size;
			return true;
		}
	}
	return false;
}

#endif
