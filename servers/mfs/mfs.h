/*
 * MFS's view of a Minix v3 file system on disk (docs/files.md has the
 * layout): the superblock at byte 1024, the inode and zone bitmaps from
 * block 2, the inode table, then data zones.  Every field is little-endian,
 * as x86-64 is.  Nothing read from disk is used before it is checked: the
 * superblock at mount (super_check), inodes as they come into the cache
 * (inode_check), zone numbers and directory entries where they are used.
 *
 * Below the on-disk layout: the in-core state the server's files share
 * (the mount in `fs`, the in-core inode) and each file's entry points.
 */
#ifndef MFS_H
#define MFS_H

#include <libsys.h>
#include <bdev.h>
#include <ax/vfs_fs.h>

#define MFS_MAGIC        0x4d5a
#define MFS_SUPER_OFFSET 1024
#define MFS_MIN_BLOCK    1024
#define MFS_MAX_BLOCK    4096
#define MFS_NR_DZONES    7  /* direct zones */
#define MFS_NR_ZONES     10 /* 7 direct, single, double, triple indirect */
#define MFS_NAME_MAX     60
#define MFS_ROOT_INO     1
#define MFS_LINK_MAX     65530 /* Linux's MINIX2_LINK_MAX, which its minix driver applies to v3 */
#define MFS_CLEAN        0x0001 /* s_flags: MINIX's clean bit (set at unmount, cleared at a rw mount) */
#define MFS_FLAGS_MUST \
	0xff00 /* s_flags: MINIX's mandatory bits; none is known, so none may be set */

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

/* ---- in core ---------------------------------------------------------- */

#define MFS_NR_BUFS   256 /* the block cache's slots at most (cache.c: from the device's size) */
#define MFS_MIN_BUFS  32
#define MFS_NR_INODES 128
#define MFS_IO_CHUNK  4096 /* bytes one copy moves at most */

struct inode {
	fs_ino_t i_num;   /* 0: a free slot */
	uint32_t i_count; /* references VFS holds */
	uint64_t i_used;
	bool i_mountpoint;
	struct mfs_dinode i_d;
};

/* The mount (super.c); its geometry is what every other file reads. */
struct mfs_fs {
	bool mounted;
	bool rdonly;
	bdev_t dev;
	char label[FS_LABEL_MAX +
		   1]; /* the block driver's, and the minor: a live update reopens them */
	int32_t minor;
	struct mfs_super sb;
	uint32_t bs;          /* block size */
	uint32_t inode_block; /* first block of the inode table */
	uint64_t dev_blocks;
	uint64_t isearch, zsearch; /* no free bit below these */
};

extern struct mfs_fs fs;
extern uint64_t use_clock;          /* cache.c: last use, for both caches' LRU */
extern uint8_t iobuf[MFS_IO_CHUNK]; /* read.c: the one copy buffer */

/* cache.c: the block cache */
const uint8_t *get_block(uint64_t block);
uint8_t *get_block_rw(uint64_t block, bool read);
int sync_all(void);
int buf_setup(void);
void buf_release(void);
int buf_in_use(int *slots);

/* inode.c: the inode cache; PUTNODE, STAT, MOUNTPOINT */
int inode_check(const struct mfs_dinode *d);
int get_inode(fs_ino_t num, struct inode **ip);
struct inode *held_inode(fs_ino_t num);
int new_inode(fs_ino_t num, struct inode **ip);
int write_inode(const struct inode *in);
int release_inode(struct inode *in);
int writable_inode(fs_ino_t num, struct inode **ip);
void unpin_inode(struct inode *in);
void stamp(struct inode *in, unsigned what, uint32_t t);
void touch_atime(struct inode *in, uint32_t now);
uint32_t stat_blocks(const struct inode *in);
#define T_ATIME 0x1
#define T_MTIME 0x2
#define T_CTIME 0x4
bool is_type(const struct inode *in, uint16_t type);
void fill_node(struct msg_fs_node *n, const struct inode *in);
void inode_clear(void);
bool inode_busy(void);
void inode_in_use(int *cached, int *held);
/* A reference VFS holds, as a live update hands it over (update.c). */
struct mfs_held {
	uint32_t ino;
	uint32_t count; /* | MFS_HELD_MOUNTPOINT */
};
#define MFS_HELD_MOUNTPOINT 0x80000000u
int inode_held_list(struct mfs_held *out, int max);

/* zone.c: a file's zones */
bool zone_ok(uint32_t zone);
int64_t bmap_at(struct inode *in, uint64_t n, bool alloc);
int64_t bmap(const struct inode *in, uint64_t n);
int free_zones(struct inode *in);
int truncate_to(struct inode *in, uint64_t size);

/* check.c: the check of a writable mount */
int check_fs(void);

/* bitmap.c: the inode and zone bitmaps */
int64_t alloc_bit(uint32_t first, uint64_t limit, uint64_t *hint);
int free_bit(uint32_t first, uint64_t bit, uint64_t *hint);
int64_t count_free(uint32_t first_block, uint64_t limit);
int64_t alloc_zone(void);
int free_zone(uint32_t zone);

/* dir.c: directory entries */
int64_t search_dir(const struct inode *dir, const char *name, size_t len, uint64_t *where);
void name_cache_clear(void);
int dir_enter(struct inode *dir, const char *name, uint32_t ino);
int dir_set(struct inode *dir, uint64_t pos, uint32_t ino);
int dir_empty(const struct inode *dir);
int dir_removable(const struct inode *in);
int dir_kill(struct inode *in); /* a held directory lost its last name: emptied */
int copy_name(endpoint_t caller, grant_id_t grant, uint32_t len, char *name);
int name_request(endpoint_t caller, const struct msg_fs_name *rq, struct inode **dirp, char *name);

/* read.c */
int read_bytes(const struct inode *in, uint64_t pos, void *buf, size_t len);
void page_drop(fs_ino_t ino); /* the page cache: a file's bytes changed, or its number reused */
int page_setup(void);         /* at mount: its pages from the heap, 0 or -ENOMEM */
void page_release(void);

/* update.c: live update with the state carried over */
int mfs_lu_save(int state);
int mfs_init_lu(int type, const struct msg_rs_init *info);

/* The requests, by file (main.c's table dispatches them). */
int mount_device(const char *label, int32_t minor, bool rdonly, bool checked); /* super.c */
int do_readsuper(endpoint_t caller, message *m);
int do_unmount(endpoint_t caller, message *m);
int do_statfs(endpoint_t caller, message *m);
int do_sync(endpoint_t caller, message *m);
int do_putnode(endpoint_t caller, message *m); /* inode.c */
int do_stat(endpoint_t caller, message *m);
int do_mountpoint(endpoint_t caller, message *m);
int do_lookup(endpoint_t caller, message *m);   /* path.c */
int do_getdents(endpoint_t caller, message *m); /* dir.c */
int do_read(endpoint_t caller, message *m);     /* read.c */
int do_readlink(endpoint_t caller, message *m);
int do_write(endpoint_t caller, message *m); /* write.c */
int do_truncate(endpoint_t caller, message *m);
int do_create(endpoint_t caller, message *m); /* create.c */
int do_mkdir(endpoint_t caller, message *m);
int do_mknod(endpoint_t caller, message *m);
int do_symlink(endpoint_t caller, message *m);
int do_unlink(endpoint_t caller, message *m); /* link.c */
int do_rmdir(endpoint_t caller, message *m);
int do_link(endpoint_t caller, message *m);
int do_rename(endpoint_t caller, message *m); /* rename.c */
int do_chmod(endpoint_t caller, message *m);  /* attr.c */
int do_chown(endpoint_t caller, message *m);
int do_utime(endpoint_t caller, message *m);

#endif
