/*
 * The VFS <-> file-system protocol (docs/files.md): what VFS asks a file
 * system server (servers/mfs) and what it answers.  One FS process serves
 * one mounted device; VFS is its only client (today: a native test client,
 * tests/guest/test_mfs.c, speaks it exactly as VFS will).
 *
 * Transport: SENDREC of one message.  Requests are FS_BASE + n; the reply's
 * m_type is 0 or -E, and its payload one of the reply structs below.  Names,
 * paths and data never travel in the message: the requester grants them
 * (cpf_grant_direct on its own memory, or a magic grant on a user's buffer)
 * and the FS copies with sys_safecopyfrom/to, the owner of every grant being
 * the request's m_source, which the kernel wrote.  Sizes of names are given
 * without a terminating NUL; the FS never trusts a NUL in the grant.
 *
 * Inodes are named by number (fs_ino_t).  Every request that answers an
 * inode (READSUPER, LOOKUP, CREATE) hands VFS one reference on it; VFS gives references back with PUTNODE(ino, count),
 * the sum of the references it holds.  An inode unlinked while referenced
 * is freed at its last PUTNODE.  Any request may name only an inode VFS
 * holds a reference on (else EINVAL): the FS never acts on an inode nobody
 * looked up.
 *
 * Lookup follows MINIX's REQ_LOOKUP: VFS hands the whole rest of a path,
 * relative to a directory of this FS, and the FS walks it component by
 * component ('/' separated, empty components and "." skipped), checking
 * search permission with the caller's uid/gid.  It stops:
 *   - at the end: 0, the node (one reference), r_offset = path_len;
 *   - at a symbolic link that is not the last component, or is the last and
 *     FS_LOOKUP_NOFOLLOW is not set: ESYMLINK, r_ino = the link (one
 *     reference; VFS reads it with READLINK, splices, PUTNODEs it) and
 *     r_offset = where the rest of the path starts, after the link's name;
 *   - at a mount point (an inode MOUNTPOINT marked) it enters: EENTERMOUNT,
 *     r_ino = the covered inode (one reference), r_offset after its name;
 *   - at ".." in the FS's root that is not root_ino (the caller's root):
 *     ELEAVEMOUNT, no reference, r_offset = the start of that "..";
 *   - on error (ENOENT, ENOTDIR, EACCES, ENAMETOOLONG for a component longer
 *     than the FS's names, EIO for a corrupt directory): no reference.
 * VFS counts the ESYMLINK answers of one system call (ELOOP past 40).
 *
 * Times: Minix v3 keeps seconds, and an FS has no wall clock of its own.
 * VFS stamps the requests that change a file with its clock (PM's
 * realtime), in seconds: n_time, io_time, a_ctime, rn_time.  0 means "no
 * time given": the times are left as they are.  What each request stamps
 * is what POSIX says (a new node: all three; its directory: mtime and
 * ctime; WRITE, TRUNCATE: mtime and ctime; LINK, CHMOD, CHOWN: ctime;
 * RENAME: the moved inode's ctime, both directories' mtime and ctime).
 * READ and GETDENTS may carry the date for atime, which the FS sets as
 * Linux's relatime does (when atime is not newer than mtime or ctime, or
 * is a day old).
 *
 * servers/mfs answers every request; a read-only mount answers EROFS to
 * the write side.  servers/procfs answers the read side only.
 */
#ifndef AX_VFS_FS_H
#define AX_VFS_FS_H

#include <ax/types.h>
#include <ax/grant.h>

#define FS_BASE 0x0B00

enum {
	FS_READSUPER = FS_BASE, /* msg_fs_readsuper -> msg_fs_node */
	FS_UNMOUNT,             /* -: sync, close the device; the FS may mount again */
	FS_LOOKUP,              /* msg_fs_lookup -> msg_fs_lookup_reply */
	FS_PUTNODE,             /* msg_fs_putnode -> - */
	FS_STAT,                /* msg_fs_inode -> msg_fs_stat */
	FS_READ,                /* msg_fs_io -> msg_fs_io_reply */
	FS_GETDENTS,            /* msg_fs_io -> msg_fs_io_reply (linux_dirent64 records) */
	FS_READLINK,            /* msg_fs_io (pos 0) -> msg_fs_io_reply */
	FS_STATFS,              /* msg_fs_io (grant of a struct fs_statfs) -> - */
	FS_MOUNTPOINT,          /* msg_fs_inode -> -: EBUSY if it is one, ENOTDIR */
	/* The write side (EROFS on a read-only mount): */
	FS_WRITE,    /* msg_fs_io (io_time) -> msg_fs_io_reply (EFBIG, ENOSPC) */
	FS_TRUNCATE, /* msg_fs_attr (a_size, a_ctime) -> - (EFBIG) */
	FS_CREATE,   /* msg_fs_name (regular file) -> msg_fs_node */
	FS_MKDIR,    /* msg_fs_name -> - (no reference; EMLINK) */
	FS_MKNOD,    /* msg_fs_name (n_mode's type: CHR, BLK, FIFO, SOCK, REG; n_rdev) -> - */
	FS_UNLINK,   /* msg_fs_name (dir, name) -> msg_fs_node (n_ino: the inode; EISDIR) */
	FS_RMDIR,    /* msg_fs_name (dir, name) -> msg_fs_node (n_ino; ENOTEMPTY, EBUSY) */
	FS_LINK,     /* msg_fs_name (n_ino = the linked inode, held) -> - (EMLINK, EPERM: a dir) */
	FS_SYMLINK,  /* msg_fs_name (n_ino = target grant, n_rdev = its length) -> - */
	/* RENAME answers the replaced inode (n_ino, 0: none); EISDIR, ENOTDIR, ENOTEMPTY, EMLINK */
	FS_RENAME, /* msg_fs_rename -> msg_fs_node (EINVAL, EBUSY) */
	FS_CHMOD,  /* msg_fs_attr (a_mode's 07777) -> msg_fs_node */
	FS_CHOWN,  /* msg_fs_attr (a_uid, a_gid; FS_ID_KEEP keeps one) -> msg_fs_node */
	FS_UTIME,  /* msg_fs_attr (a_atime, a_mtime, as a_flags says) -> - */
	FS_SYNC,   /* -: every dirty block written */
	FS_END
};

#define FS_NR_REQUESTS (FS_END - FS_BASE)

typedef uint64_t fs_ino_t;

/* READSUPER flags (rs_flags) and capability bits in the answer (n_flags). */
#define FS_RDONLY     0x1 /* mount read-only */
#define FS_RES_RDONLY 0x1 /* answer: mounted read-only */

/* LOOKUP flags. */
#define FS_LOOKUP_NOFOLLOW 0x1 /* a symlink as last component is the answer */

#define FS_LABEL_MAX 16   /* bytes of a driver label, without the NUL */
#define FS_PATH_MAX  4096 /* a lookup's path, without the NUL */

/* READSUPER: mount the device `minor` of the block driver whose label is granted. */
struct msg_fs_readsuper {
	grant_id_t rs_label; /* the label's bytes, rs_label_len of them */
	uint32_t rs_label_len;
	int32_t rs_minor;
	uint32_t rs_flags; /* FS_RDONLY */
	uint8_t pad[40];
};

/* An inode and what VFS keeps of it: READSUPER's root, CREATE's file. */
struct msg_fs_node {
	fs_ino_t n_ino;
	uint64_t n_size;
	uint32_t n_mode; /* Linux's S_IF* | permission bits */
	uint32_t n_uid;
	uint32_t n_gid;
	uint32_t n_rdev;  /* device files: major << 8 | minor */
	uint32_t n_flags; /* READSUPER: FS_RES_* */
	uint8_t pad[20];
};

struct msg_fs_lookup {
	fs_ino_t l_dir;    /* where the path starts (a reference VFS holds) */
	fs_ino_t l_root;   /* the caller's root if on this FS, else 0 */
	grant_id_t l_path; /* l_len bytes, read only */
	uint32_t l_len;
	uint32_t l_flags; /* FS_LOOKUP_* */
	uint32_t l_uid;
	uint32_t l_gid;
	int32_t l_pid; /* the caller's pid (procfs answers /proc/self by it), 0: none */
	uint8_t pad[16];
};

struct msg_fs_lookup_reply {
	fs_ino_t r_ino; /* 0, ESYMLINK, EENTERMOUNT: the node (a reference) */
	uint64_t r_size;
	uint32_t r_mode;
	uint32_t r_uid;
	uint32_t r_gid;
	uint32_t r_rdev;
	uint32_t r_offset; /* bytes of the path consumed */
	/*
	 * The rest of what STAT would answer for the node (0, ESYMLINK,
	 * EENTERMOUNT), so that stat(2) of a path needs one request; r_nlink
	 * 0: not given (procfs), VFS asks STAT.
	 */
	uint32_t r_nlink;
	uint32_t r_atime, r_mtime, r_ctime;
	uint32_t r_blocks;
};

struct msg_fs_putnode {
	fs_ino_t p_ino;
	uint32_t p_count; /* references given back, >= 1 */
	uint8_t pad[44];
};

/* STAT, MOUNTPOINT: one inode. */
struct msg_fs_inode {
	fs_ino_t i_ino;
	uint8_t pad[48];
};

/* STAT's answer: what VFS needs to build a Linux struct stat. */
struct msg_fs_stat {
	fs_ino_t s_ino;
	uint64_t s_size;
	uint32_t s_mode;
	uint32_t s_nlink;
	uint32_t s_uid;
	uint32_t s_gid;
	uint32_t s_rdev;
	uint32_t s_atime; /* seconds; Minix v3 keeps no more */
	uint32_t s_mtime;
	uint32_t s_ctime;
	uint32_t s_blocks; /* 512-byte units allocated, indirect blocks included */
	uint32_t s_blksize;
};

/*
 * READ, WRITE, GETDENTS, READLINK, STATFS: io_size bytes at io_pos, to or
 * from the grant.  GETDENTS's position is a cookie (the directory offset of
 * the next entry), and it answers whole linux_dirent64 records only (EINVAL
 * if not even one fits).
 */
struct msg_fs_io {
	fs_ino_t io_ino;
	uint64_t io_pos;
	grant_id_t io_grant;
	uint32_t io_size;
	uint32_t io_time; /* WRITE: mtime, ctime; READ, GETDENTS: atime (relatime); 0: none */
	int32_t io_pid;   /* READ: the pid whose call this is, 0: VFS's own (procfs: ps's R) */
	uint8_t pad[24];
};

struct msg_fs_io_reply {
	uint64_t r_pos;   /* the position after the transfer */
	uint64_t r_bytes; /* bytes moved (0: end of file) */
	uint8_t pad[40];
};

/*
 * CREATE, MKDIR, MKNOD, UNLINK, RMDIR, LINK, SYMLINK: a name in a
 * directory.  SYMLINK's target is 1 to (block size - 1) bytes
 * (ENAMETOOLONG past it; it lives in one data zone, as Linux's minix keeps
 * it), granted read-only.  MKNOD's device is major << 8 | minor (Linux's
 * old encoding, which its minix driver keeps in zone 0).
 */
struct msg_fs_name {
	fs_ino_t n_dir;
	fs_ino_t n_ino; /* LINK: the inode; SYMLINK: the target's grant */
	grant_id_t n_name;
	uint32_t n_len;
	uint32_t n_mode;
	uint32_t n_uid;
	uint32_t n_gid;
	uint32_t n_rdev; /* MKNOD: the device; SYMLINK: the target's length */
	uint32_t n_time; /* seconds, 0: none (the header's comment) */
	uint8_t pad[12];
};

/*
 * RENAME as POSIX says: an existing target is replaced (a file by a
 * non-directory, an empty directory nobody holds by a directory: else
 * EISDIR, ENOTDIR, ENOTEMPTY, EBUSY); a directory moved into itself or
 * below is EINVAL; the same inode under both names: nothing done; a moved
 * directory's ".." is rewritten.
 */
struct msg_fs_rename {
	fs_ino_t rn_old_dir;
	fs_ino_t rn_new_dir;
	grant_id_t rn_old_name;
	uint32_t rn_old_len;
	grant_id_t rn_new_name;
	uint32_t rn_new_len;
	uint32_t rn_time;
	uint8_t pad[20];
};

/* UTIME's a_flags: which times to set (UTIME_OMIT is the bit left out). */
#define FS_UTIME_ATIME 0x1
#define FS_UTIME_MTIME 0x2
#define FS_ID_KEEP     0xffffffffu /* CHOWN: this id unchanged (chown's -1) */

/* TRUNCATE, CHMOD, CHOWN, UTIME. */
struct msg_fs_attr {
	fs_ino_t a_ino;
	uint64_t a_size;
	uint32_t a_mode;
	uint32_t a_uid;
	uint32_t a_gid;
	uint32_t a_atime;
	uint32_t a_mtime;
	uint32_t a_ctime; /* the change's time (every one of the four), 0: none */
	uint32_t a_flags; /* UTIME: FS_UTIME_* */
	uint8_t pad[12];
};

/* STATFS's record, through the grant. */
struct fs_statfs {
	uint32_t f_bsize;
	uint32_t f_namelen;
	uint64_t f_blocks;
	uint64_t f_bfree;
	uint64_t f_files;
	uint64_t f_ffree;
	uint32_t f_magic; /* 0x4d5a for Minix v3 */
	uint32_t pad;
};
AX_STATIC_ASSERT(sizeof(struct fs_statfs) == 48, "fs_statfs is 48 bytes");

/* GETDENTS's records: Linux's struct linux_dirent64, so VFS passes them on. */
struct fs_dirent64 {
	uint64_t d_ino;
	int64_t d_off;     /* the cookie of the next entry */
	uint16_t d_reclen; /* a multiple of 8 */
	uint8_t d_type;    /* DT_* */
	char d_name[];
};
AX_STATIC_ASSERT(__builtin_offsetof(struct fs_dirent64, d_name) == 19,
		 "linux_dirent64's name at 19");

#define FS_DT_UNKNOWN 0
#define FS_DT_FIFO    1
#define FS_DT_CHR     2
#define FS_DT_DIR     4
#define FS_DT_BLK     6
#define FS_DT_REG     8
#define FS_DT_LNK     10
#define FS_DT_SOCK    12

#endif
