/*
 * Linux's x86-64 file ABI as VFS serves it: flag values and the structures
 * it copies to user memory (struct stat, statx, statfs, iovec), with
 * Linux's numbers and layouts (asm/stat.h, uapi/linux/stat.h, fcntl.h).
 */
#ifndef VFS_LXABI_H
#define VFS_LXABI_H

#include <ax/types.h>

#define LX_O_ACCMODE   03
#define LX_O_RDONLY    00
#define LX_O_WRONLY    01
#define LX_O_RDWR      02
#define LX_O_CREAT     0100
#define LX_O_EXCL      0200
#define LX_O_NOCTTY    0400
#define LX_O_TRUNC     01000
#define LX_O_APPEND    02000
#define LX_O_NONBLOCK  04000
#define LX_O_DSYNC     010000
#define LX_O_LARGEFILE 0100000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW  0400000
#define LX_O_CLOEXEC   02000000
#define LX_O_PATH      010000000
/* What F_SETFL may change. */
#define LX_O_SETFL     (LX_O_APPEND | LX_O_NONBLOCK)

#define LX_AT_FDCWD            (-100)
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_REMOVEDIR        0x200
#define LX_AT_EACCESS          0x200
#define LX_AT_SYMLINK_FOLLOW   0x400
#define LX_AT_EMPTY_PATH       0x1000

#define LX_F_DUPFD         0
#define LX_F_GETFD         1
#define LX_F_SETFD         2
#define LX_F_GETFL         3
#define LX_F_SETFL         4
#define LX_F_DUPFD_CLOEXEC 1030
#define LX_FD_CLOEXEC      1

#define LX_SEEK_SET 0
#define LX_SEEK_CUR 1
#define LX_SEEK_END 2

#define LX_RENAME_NOREPLACE 1

#define LX_MS_RDONLY  1
#define LX_MS_REMOUNT 32

#define LX_S_IFMT   0170000
#define LX_S_IFSOCK 0140000
#define LX_S_IFLNK  0120000
#define LX_S_IFREG  0100000
#define LX_S_IFBLK  0060000
#define LX_S_IFDIR  0040000
#define LX_S_IFCHR  0020000
#define LX_S_IFIFO  0010000
#define LX_S_ISUID  04000
#define LX_S_ISGID  02000
#define LX_S_ISVTX  01000
#define LX_ISDIR(m) (((m)&LX_S_IFMT) == LX_S_IFDIR)
#define LX_ISREG(m) (((m)&LX_S_IFMT) == LX_S_IFREG)
#define LX_ISLNK(m) (((m)&LX_S_IFMT) == LX_S_IFLNK)
#define LX_ISCHR(m) (((m)&LX_S_IFMT) == LX_S_IFCHR)
#define LX_ISBLK(m) (((m)&LX_S_IFMT) == LX_S_IFBLK)

#define LX_UTIME_NOW  ((1l << 30) - 1l)
#define LX_UTIME_OMIT ((1l << 30) - 2l)

#define LX_PATH_MAX 4096 /* with the NUL */
#define LX_IOV_MAX  1024

/* Device numbers as the image stores them: major << 8 | minor. */
#define DEV_MAJOR(d) (((d) >> 8) & 0xff)
#define DEV_MINOR(d) ((d)&0xff)

struct lx_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime_sec, st_atime_nsec;
	uint64_t st_mtime_sec, st_mtime_nsec;
	uint64_t st_ctime_sec, st_ctime_nsec;
	int64_t unused[3];
};
AX_STATIC_ASSERT(sizeof(struct lx_stat) == 144, "Linux's x86-64 struct stat");

struct lx_statx_ts {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t pad;
};

struct lx_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t pad1;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct lx_statx_ts stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
AX_STATIC_ASSERT(sizeof(struct lx_statx) == 256, "Linux's struct statx");
#define LX_STATX_BASIC_STATS 0x7ff

struct lx_statfs {
	int64_t f_type;
	int64_t f_bsize;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_bavail;
	uint64_t f_files;
	uint64_t f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen;
	int64_t f_frsize;
	int64_t f_flags;
	int64_t f_spare[4];
};
AX_STATIC_ASSERT(sizeof(struct lx_statfs) == 120, "Linux's x86-64 struct statfs");

struct lx_iovec {
	uint64_t iov_base;
	uint64_t iov_len;
};

struct lx_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

#endif
