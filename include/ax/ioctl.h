/*
 * ioctl request codes, encoded as Linux encodes them, because user programs
 * speak the Linux ABI and their requests reach drivers unchanged:
 *
 *   bits 31-30  direction (from the caller's side: _IOC_WRITE = the driver
 *               reads the caller's buffer, _IOC_READ = it writes it)
 *   bits 29-16  size of the argument in bytes
 *   bits 15-8   type (a letter per driver family)
 *   bits 7-0    number
 *
 * A client library sizes the grant for an ioctl's argument from the code
 * alone.  Old codes without a size (the termios ones, 0x54xx) are listed
 * with their sizes by the driver that owns them.
 */
#ifndef AX_IOCTL_H
#define AX_IOCTL_H

#define _IOC_NONE  0u
#define _IOC_WRITE 1u
#define _IOC_READ  2u

#define _IOC(dir, type, nr, size)                                                       \
	(((unsigned)(dir) << 30) | ((unsigned)(size) << 16) | ((unsigned)(type) << 8) | \
	 (unsigned)(nr))

#define _IO(type, nr)      _IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, t)  _IOC(_IOC_READ, (type), (nr), sizeof(t))
#define _IOW(type, nr, t)  _IOC(_IOC_WRITE, (type), (nr), sizeof(t))
#define _IOWR(type, nr, t) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(t))

#define _IOC_DIR(code)  (((unsigned)(code) >> 30) & 3u)
#define _IOC_SIZE(code) (((unsigned)(code) >> 16) & 0x3fffu)
#define _IOC_TYPE(code) (((unsigned)(code) >> 8) & 0xffu)
#define _IOC_NR(code)   ((unsigned)(code)&0xffu)

#endif
