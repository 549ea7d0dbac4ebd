/*
 * MFS's view of a Minix v3 file system on disk (docs/files.md has the
 * layout): the superblock at byte 1024, the inode and zone bitmaps from
 * block 2, the inode table, then data zones.  Every field is little-endian,
 * as x86-64 is.  Nothing read from disk is used before it is checked: the
 * superblock at mount (super_check), inodes as they come into the cache
 * (inode_check), zone numbers and directory entries where they are used.
 */
#ifndef MFS_H
#define MFS_H

#include <libsys.h>

#define MFS_MAGIC        0x4d5a
#define MFS_SUPER_OFFSET 1024
#define MFS_MIN_BLOCK    1024
#define MFS_MAX_BLOCK    4096
#define MFS_NR_DZONES    7  /* direct zones */
#define MFS_NR_ZONES     10 /* 7 direct, single, double, triple indirect */
#define MFS_NAME_MAX     60
#define MFS_ROOT_INO     1

/* The superblock's first 32 bytes (Linux's minix3_super_block). */
struct mfs_super {
	uint32_t s_ninodes;
	uint16_t s_pad0;
	uint16_t s_imap_blocks;
	uint16_t s_zmap_blocks;
	uint16_t s_firstdatazone;
	uint16_t s_log_zone_size; /* must be 0: a zone is a block */
	uint16_t s_flags;         /* MINIX's clean bit; mkfs.minix writes 0 */
	uint32_t s_max_size;
	uint32_t s_zones; /* blocks on the device */
	uint16_t s_magic;
	uint16_t s_pad2;
	uint16_t s_block_size;
	uint8_t s_disk_version;
	uint8_t s_pad3;
};
AX_STATIC_ASSERT(sizeof(struct mfs_super) == 32, "the v3 superblock's fields are 32 bytes");

struct mfs_dinode {
	uint16_t i_mode;
	uint16_t i_nlinks;
	uint16_t i_uid;
	uint16_t i_gid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_mtime;
	uint32_t i_ctime;
	uint32_t i_zone[MFS_NR_ZONES];
};
AX_STATIC_ASSERT(sizeof(struct mfs_dinode) == 64, "a v3 inode is 64 bytes");

struct mfs_dirent {
	uint32_t d_ino;            /* 0: a free slot */
	char d_name[MFS_NAME_MAX]; /* NUL-padded, no NUL at 60 */
};
AX_STATIC_ASSERT(sizeof(struct mfs_dirent) == 64, "a v3 directory entry is 64 bytes");

/* Linux's file types in i_mode. */
#define MFS_S_IFMT   0170000
#define MFS_S_IFSOCK 0140000
#define MFS_S_IFLNK  0120000
#define MFS_S_IFREG  0100000
#define MFS_S_IFBLK  0060000
#define MFS_S_IFDIR  0040000
#define MFS_S_IFCHR  0020000
#define MFS_S_IFIFO  0010000

#endif
