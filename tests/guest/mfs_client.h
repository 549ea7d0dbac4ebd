/*
 * The MFS tests' client of the VFS-FS protocol (mfs_client.c): MFS's
 * endpoint, one wrapper per request shape, the shared file buffer and the
 * FNV-1a checksum both the guest and the host compute.  Every wrapper
 * answers 0 (or a count) or -E, as MFS answered.
 */
#ifndef MFS_CLIENT_H
#define MFS_CLIENT_H

#include <libsys.h>
#include <ax/vfs_fs.h>
#include "mfs_tree.h"

#define MFS_FILEBUF (300000 + 4096)

extern endpoint_t mfs;   /* the FS server the calls go to: MFS (test_procfs.c: procfs) */
extern uint8_t *filebuf; /* MFS_FILEBUF bytes, once mfs_setup() ran */

bool mfs_setup(void);
int fs_call(int type, message *m);
int fs_mount_flags(devminor_t minor, uint32_t flags, fs_ino_t *root);
int fs_mount(devminor_t minor, fs_ino_t *root); /* read-only */
int fs_mount_rw(devminor_t minor, fs_ino_t *root);
int fs_unmount(void);
int fs_lookup(fs_ino_t dir, const char *path, uint32_t flags, struct msg_fs_lookup_reply *out);
int fs_lookup_pid(fs_ino_t dir, const char *path, uint32_t flags, int32_t pid,
		  struct msg_fs_lookup_reply *out);
int fs_putnode(fs_ino_t ino, uint32_t count);
int64_t fs_io(int type, fs_ino_t ino, uint64_t pos, void *buf, size_t size, uint64_t *next);
int64_t read_file(fs_ino_t ino, size_t piece);
int fs_name_call(int type, fs_ino_t dir, const char *name, uint32_t mode, struct msg_fs_node *out);
int fs_name_req(int type, fs_ino_t dir, const char *name, uint32_t mode, fs_ino_t ino,
		uint32_t rdev, uint32_t t, struct msg_fs_node *out);
int64_t fs_write(fs_ino_t ino, uint64_t pos, const void *buf, size_t size);
int fs_statfs(struct fs_statfs *st);
uint32_t fnv_more(uint32_t h, const uint8_t *p, size_t n);
uint32_t fnv(const uint8_t *p, size_t n);
uint32_t expected_fnv(const struct mfs_tree_file *f);

#endif
