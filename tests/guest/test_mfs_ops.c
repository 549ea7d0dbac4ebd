/*
 * MFS's write side beyond create/write/unlink, through the VFS-FS
 * protocol as VFS speaks it (mfs_client.c): LINK, SYMLINK, MKNOD, RENAME,
 * CHMOD, CHOWN, UTIME, TRUNCATE to any size, and the times VFS stamps
 * (mfs.write_requests), each checked by what a later request reads back
 * and by the free counts of STATFS coming back exactly where they were.
 * Works on the fsimage drive's second partition, an empty file system.
 */
#include "guest.h"
#include "mfs_client.h"
#include "sefsvc_proto.h"
#include <ax/memory.h>
#include <bdev.h>
#include <stdlib.h>

#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFREG  0100000
#define S_IFLNK  0120000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define EMPTY_FS (MEMORY_FSIMG + 2)

#define DATA_BYTES 300000
static uint8_t *data; /* DATA_BYTES from the heap (ops_setup): not in every test's bss */

/* mfs_setup(), and data[] for the test. */
static bool
ops_setup(void)
{
	if (!data && !(data = malloc(DATA_BYTES)))
		return false;
	return mfs_setup();
}

static int
fs_stat(fs_ino_t ino, struct msg_fs_stat *st)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_inode.i_ino = ino;
	r = fs_call(FS_STAT, &m);
	*st = m.m_fs_stat;
	return r;
}

static int
fs_symlink(fs_ino_t dir, const char *name, const char *target, size_t tlen)
{
	grant_id_t g = cpf_grant_direct(mfs, target, tlen ? tlen : 1, GRANT_READ);
	int r = fs_name_req(FS_SYMLINK, dir, name, 0, (fs_ino_t)g, (uint32_t)tlen, 0, NULL);

	cpf_revoke(g);
	return r;
}

static int
fs_rename(fs_ino_t odir, const char *oname, fs_ino_t ndir, const char *nname, uint32_t t)
{
	grant_id_t go = cpf_grant_direct(mfs, oname, strlen(oname), GRANT_READ);
	grant_id_t gn = cpf_grant_direct(mfs, nname, strlen(nname), GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_rename.rn_old_dir = odir;
	m.m_fs_rename.rn_new_dir = ndir;
	m.m_fs_rename.rn_old_name = go;
	m.m_fs_rename.rn_old_len = (uint32_t)strlen(oname);
	m.m_fs_rename.rn_new_name = gn;
	m.m_fs_rename.rn_new_len = (uint32_t)strlen(nname);
	m.m_fs_rename.rn_time = t;
	r = fs_call(FS_RENAME, &m);
	cpf_revoke(go);
	cpf_revoke(gn);
	return r;
}

static int
fs_attr(int type, fs_ino_t ino, const struct msg_fs_attr *a, struct msg_fs_node *out)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_attr = *a;
	m.m_fs_attr.a_ino = ino;
	r = fs_call(type, &m);
	if (out)
		*out = m.m_fs_node;
	return r;
}

static int
fs_truncate(fs_ino_t ino, uint64_t size)
{
	struct msg_fs_attr a = { .a_size = size };

	return fs_attr(FS_TRUNCATE, ino, &a, NULL);
}

/* The inode `path` names, looked up (one reference: the caller PUTNODEs it). */
static fs_ino_t
held(fs_ino_t root, const char *path, uint32_t flags)
{
	struct msg_fs_lookup_reply lr;

	return fs_lookup(root, path, flags, &lr) == 0 ? lr.r_ino : 0;
}

/* Zones in use now minus zones in use at s0 (STATFS). */
static int64_t
zones_taken(const struct fs_statfs *s0)
{
	struct fs_statfs s;

	if (fs_statfs(&s) < 0)
		return -1000000;
	return (int64_t)s0->f_bfree - (int64_t)s.f_bfree;
}

static int64_t
inodes_taken(const struct fs_statfs *s0)
{
	struct fs_statfs s;

	if (fs_statfs(&s) < 0)
		return -1000000;
	return (int64_t)s0->f_ffree - (int64_t)s.f_ffree;
}

TEST(mfs, write_requests,
     "link, symlink, mknod, rename, chmod, chown, utime and truncate to any size do what POSIX "
     "says and give every inode and zone back")
{
	struct fs_statfs s0;
	struct msg_fs_stat st;
	struct msg_fs_node node;
	struct msg_fs_lookup_reply lr;
	struct msg_fs_attr a;
	fs_ino_t root, f, x, q, y;
	uint32_t nroot;
	int64_t n;

	EXPECT(ops_setup(), "mfs is not running");
	for (size_t i = 0; i < DATA_BYTES; i++)
		data[i] = mfs_tree_byte(21, (uint32_t)i);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_stat(root, &st), 0);
	nroot = st.s_nlink;

	/* CREATE stamps the times VFS gives; the directory's mtime and ctime too. */
	EXPECT_EQ(fs_name_req(FS_CREATE, root, "a", 0644, 0, 0, 1000000, NULL), 0);
	EXPECT((f = held(root, "a", 0)) != 0, "a not found");
	EXPECT_EQ(fs_putnode(f, 1), 0); /* CREATE's reference */
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT(st.s_atime == 1000000 && st.s_mtime == 1000000 && st.s_ctime == 1000000,
	       "times %u %u %u", st.s_atime, st.s_mtime, st.s_ctime);
	EXPECT_EQ(fs_stat(root, &st), 0);
	EXPECT(st.s_mtime == 1000000 && st.s_ctime == 1000000, "dir times %u %u", st.s_mtime,
	       st.s_ctime);
	EXPECT_EQ(fs_write(f, 0, data, 3000), 3000);

	/* LINK: a second name; not a directory, not an existing name. */
	EXPECT_EQ(fs_name_req(FS_LINK, root, "b", 0, f, 0, 1000001, NULL), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 2);
	EXPECT_EQ(st.s_ctime, 1000001);
	EXPECT_EQ(fs_name_req(FS_LINK, root, "b", 0, f, 0, 0, NULL), -EEXIST);
	EXPECT_EQ(fs_name_req(FS_LINK, root, "r", 0, root, 0, 0, NULL), -EPERM);
	EXPECT_EQ(fs_name_req(FS_LINK, root, "r", 0, 99999, 0, 0, NULL), -EINVAL); /* not held */
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "a", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT((f = held(root, "b", 0)) != 0, "b lost with a");
	EXPECT_EQ(fs_io(FS_READ, f, 0, filebuf, 4096, NULL), 3000);
	EXPECT(memcmp(filebuf, data, 3000) == 0, "b's bytes differ");
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 1);

	/* SYMLINK: the target in one zone; too long, empty: refused. */
	EXPECT_EQ(fs_symlink(root, "s", "b", 1), 0);
	EXPECT_EQ(fs_lookup(root, "s", 0, &lr), -ESYMLINK);
	EXPECT_EQ(fs_io(FS_READLINK, lr.r_ino, 0, filebuf, 100, NULL), 1);
	EXPECT_EQ(filebuf[0], 'b');
	EXPECT_EQ(fs_stat(lr.r_ino, &st), 0);
	EXPECT_EQ(st.s_mode, S_IFLNK | 0777);
	EXPECT_EQ(st.s_size, 1);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	memset(filebuf, 'p', 1024);
	EXPECT_EQ(fs_symlink(root, "s2", (const char *)filebuf, 1024), -ENAMETOOLONG);
	EXPECT_EQ(fs_symlink(root, "s2", (const char *)filebuf, 1023), 0);
	EXPECT_EQ(fs_symlink(root, "s3", "", 0), -ENOENT);
	EXPECT_EQ(fs_symlink(root, "s", "b", 1), -EEXIST);

	/* MKNOD: the device number in zone 0, read back by lookup and stat. */
	EXPECT_EQ(fs_name_req(FS_MKNOD, root, "tty", S_IFCHR | 0620, 0, 0x0403, 0, NULL), 0);
	EXPECT_EQ(fs_lookup(root, "tty", 0, &lr), 0);
	EXPECT_EQ(lr.r_rdev, 0x0403);
	EXPECT_EQ(lr.r_mode, S_IFCHR | 0620);
	EXPECT_EQ(fs_stat(lr.r_ino, &st), 0);
	EXPECT_EQ(st.s_rdev, 0x0403);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 10, NULL), -EINVAL); /* no data */
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_name_req(FS_MKNOD, root, "fifo", S_IFIFO | 0600, 0, 0, 0, NULL), 0);
	EXPECT_EQ(fs_name_req(FS_MKNOD, root, "dir", S_IFDIR | 0755, 0, 0, 0, NULL), -EINVAL);
	EXPECT_EQ(fs_name_req(FS_MKNOD, root, "lnk", S_IFLNK | 0777, 0, 0, 0, NULL), -EINVAL);

	/* CHMOD keeps the type; CHOWN drops set-id bits; ids past 16 bits refused. */
	a = (struct msg_fs_attr){ .a_mode = S_IFDIR | 06755, .a_ctime = 1000002 };
	EXPECT_EQ(fs_attr(FS_CHMOD, f, &a, &node), 0);
	EXPECT_EQ(node.n_mode, S_IFREG | 06755);
	a = (struct msg_fs_attr){ .a_uid = 1000, .a_gid = FS_ID_KEEP, .a_ctime = 1000003 };
	EXPECT_EQ(fs_attr(FS_CHOWN, f, &a, &node), 0);
	EXPECT_EQ(node.n_uid, 1000);
	EXPECT_EQ(node.n_gid, 0);
	EXPECT_EQ(node.n_mode, S_IFREG | 0755); /* setuid, and setgid of a group-executable file */
	a = (struct msg_fs_attr){ .a_uid = 70000, .a_gid = 5 };
	EXPECT_EQ(fs_attr(FS_CHOWN, f, &a, NULL), -EINVAL);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT(st.s_uid == 1000 && st.s_gid == 0 && st.s_ctime == 1000003, "%u %u %u", st.s_uid,
	       st.s_gid, st.s_ctime);

	/* UTIME: only the times a_flags names (UTIME_OMIT resolved by VFS). */
	a = (struct msg_fs_attr){ .a_atime = 5, .a_mtime = 6, .a_flags = FS_UTIME_ATIME };
	EXPECT_EQ(fs_attr(FS_UTIME, f, &a, NULL), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT(st.s_atime == 5 && st.s_mtime == 1000000, "atime %u mtime %u", st.s_atime,
	       st.s_mtime);
	a = (struct msg_fs_attr){
		.a_atime = 7, .a_mtime = 8, .a_ctime = 9, .a_flags = FS_UTIME_ATIME | FS_UTIME_MTIME
	};
	EXPECT_EQ(fs_attr(FS_UTIME, f, &a, NULL), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT(st.s_atime == 7 && st.s_mtime == 8 && st.s_ctime == 9, "%u %u %u", st.s_atime,
	       st.s_mtime, st.s_ctime);
	a.a_flags = 0x10;
	EXPECT_EQ(fs_attr(FS_UTIME, f, &a, NULL), -EINVAL);

	/*
	 * TRUNCATE to any size.  300000 bytes: 293 blocks, and the single,
	 * double and one second-level indirect block.  Cut to one block past
	 * the single indirect part, then to its end (the double indirect
	 * blocks go), then into the direct zones (the tail zeroed, so a
	 * grown file reads zeroes), then 0.
	 */
	{
		struct fs_statfs s1;

		EXPECT_EQ(fs_statfs(&s1), 0);
		EXPECT_EQ(fs_write(f, 0, data, DATA_BYTES), (int64_t)DATA_BYTES);
		EXPECT_EQ(zones_taken(&s1), 293 + 3 - 3); /* the first 3 blocks were there */
		EXPECT_EQ(fs_truncate(f, 264 * 1024), 0);
		EXPECT_EQ(zones_taken(&s1), 264 + 3 - 3);
		EXPECT_EQ(fs_truncate(f, 263 * 1024), 0);
		EXPECT_EQ(zones_taken(&s1), 263 + 1 - 3);
		EXPECT_EQ(fs_truncate(f, 5000), 0);
		EXPECT_EQ(zones_taken(&s1), 5 - 3);
		EXPECT_EQ(fs_stat(f, &st), 0);
		EXPECT_EQ(st.s_size, 5000);
		EXPECT_EQ(fs_truncate(f, 10000), 0); /* a hole from 5000 on */
		EXPECT_EQ(fs_io(FS_READ, f, 0, filebuf, 10000, NULL), 10000);
		EXPECT(memcmp(filebuf, data, 5000) == 0, "the first 5000 bytes changed");
		for (int i = 5000; i < 10000; i++)
			EXPECT(filebuf[i] == 0, "byte %d of the grown file is %u", i, filebuf[i]);
		EXPECT_EQ(zones_taken(&s1), 5 - 3);
		EXPECT_EQ(fs_truncate(f, 0), 0);
		EXPECT_EQ(zones_taken(&s1), -3);
		EXPECT_EQ(fs_write(f, 0, data, 3000), 3000);
	}
	EXPECT_EQ(fs_putnode(f, 1), 0);

	/* RENAME of a file: in one directory, over another file (freed). */
	EXPECT_EQ(fs_rename(root, "b", root, "c", 1000004), 0);
	EXPECT_EQ(fs_lookup(root, "b", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "d", 0644, &node), 0);
	EXPECT_EQ(fs_putnode(node.n_ino, 1), 0);
	n = inodes_taken(&s0);
	EXPECT_EQ(fs_rename(root, "c", root, "d", 0), 0);
	EXPECT_EQ(inodes_taken(&s0), n - 1); /* the old "d" */
	EXPECT((f = held(root, "d", 0)) != 0, "d");
	EXPECT_EQ(fs_io(FS_READ, f, 0, filebuf, 4096, NULL), 3000);
	EXPECT(memcmp(filebuf, data, 3000) == 0, "d does not hold c's bytes");
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 1);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(fs_rename(root, "nosuch", root, "e", 0), -ENOENT);
	EXPECT_EQ(fs_rename(root, "d", root, "..", 0), -EINVAL);
	/* Two names of one inode: nothing happens. */
	EXPECT((f = held(root, "d", 0)) != 0, "d");
	EXPECT_EQ(fs_name_req(FS_LINK, root, "d2", 0, f, 0, 0, NULL), 0);
	EXPECT_EQ(fs_rename(root, "d", root, "d2", 0), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 2);
	EXPECT_EQ(fs_putnode(f, 1), 0);

	/* RENAME of directories: x/y moved up ("..", link counts), loops refused. */
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "x", 0755, NULL), 0);
	EXPECT((x = held(root, "x", 0)) != 0, "x");
	EXPECT_EQ(fs_name_call(FS_MKDIR, x, "y", 0755, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, x, "q", 0755, NULL), 0);
	EXPECT((q = held(x, "q", 0)) != 0, "q");
	EXPECT_EQ(fs_stat(x, &st), 0);
	EXPECT_EQ(st.s_nlink, 4);
	EXPECT_EQ(fs_rename(root, "x", x, "z", 0), -EINVAL); /* into itself */
	EXPECT_EQ(fs_rename(root, "x", q, "z", 0), -EINVAL); /* below itself */
	EXPECT_EQ(fs_rename(x, "y", root, "y2", 0), 0);
	EXPECT_EQ(fs_stat(x, &st), 0);
	EXPECT_EQ(st.s_nlink, 3);
	EXPECT_EQ(fs_stat(root, &st), 0);
	EXPECT_EQ(st.s_nlink, nroot + 2);               /* x and y2 */
	EXPECT_EQ(fs_lookup(root, "y2/..", 0, &lr), 0); /* its ".." is the root now */
	EXPECT_EQ(lr.r_ino, root);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT((y = held(root, "y2", 0)) != 0, "y2");
	EXPECT_EQ(fs_lookup(y, "../x/q", 0, &lr), 0);
	EXPECT_EQ(lr.r_ino, q);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	/* Directory over a file, file over a directory, over a non-empty or held one. */
	EXPECT_EQ(fs_rename(root, "y2", root, "d", 0), -ENOTDIR);
	EXPECT_EQ(fs_rename(root, "d", root, "y2", 0), -EISDIR);
	EXPECT_EQ(fs_rename(root, "y2", root, "x", 0), -ENOTEMPTY); /* held or not */
	EXPECT_EQ(fs_putnode(y, 1), 0);
	EXPECT_EQ(fs_putnode(q, 1), 0);
	EXPECT_EQ(fs_putnode(x, 1), 0);
	EXPECT_EQ(fs_rename(root, "y2", root, "x", 0), -ENOTEMPTY);
	/* Over an empty directory: replaced, and it is freed; the link counts follow. */
	n = inodes_taken(&s0);
	EXPECT_EQ(fs_rename(root, "y2", root, "x/q", 0), -EINVAL); /* a name, not a path */
	EXPECT((x = held(root, "x", 0)) != 0, "x");
	EXPECT_EQ(fs_rename(root, "y2", x, "q", 0), 0);
	EXPECT_EQ(inodes_taken(&s0), n - 1);
	EXPECT_EQ(fs_stat(x, &st), 0);
	EXPECT_EQ(st.s_nlink, 3); /* ".", "..": its entry in root, q's ".." */
	EXPECT_EQ(fs_stat(root, &st), 0);
	EXPECT_EQ(st.s_nlink, nroot + 1);
	EXPECT_EQ(fs_lookup(x, "q/..", 0, &lr), 0);
	EXPECT_EQ(lr.r_ino, x);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_putnode(x, 1), 0);

	/*
	 * A directory VFS holds (a working directory) removed, by RMDIR or
	 * replaced by RENAME, as Linux: dead (no links, nothing found in it,
	 * no name made in it, no entries), freed at its last PUTNODE.
	 */
	n = inodes_taken(&s0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "hd", 0755, NULL), 0);
	EXPECT((f = held(root, "hd", 0)) != 0, "hd");
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "hd", 0, NULL), 0);
	EXPECT_EQ(fs_lookup(root, "hd", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 0);
	EXPECT_EQ(st.s_size, 0);
	EXPECT_EQ(fs_lookup(f, "..", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_name_call(FS_CREATE, f, "new", 0644, NULL), -ENOENT);
	EXPECT_EQ(fs_name_call(FS_MKDIR, f, "new", 0755, NULL), -ENOENT);
	EXPECT_EQ(fs_rename(root, "d", f, "new", 0), -ENOENT);
	EXPECT_EQ(fs_io(FS_GETDENTS, f, 0, filebuf, 4096, NULL), -ENOENT);
	EXPECT_EQ(inodes_taken(&s0), n + 1);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(inodes_taken(&s0), n);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "hd", 0755, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "he", 0755, NULL), 0);
	EXPECT((f = held(root, "hd", 0)) != 0, "hd");
	EXPECT_EQ(fs_rename(root, "he", root, "hd", 0), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 0);
	EXPECT_EQ(fs_lookup(f, "..", 0, &lr), -ENOENT);
	EXPECT_EQ(inodes_taken(&s0), n + 2);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(inodes_taken(&s0), n + 1);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "hd", 0, NULL), 0);
	EXPECT_EQ(inodes_taken(&s0), n);
	EXPECT_EQ(fs_stat(root, &st), 0);
	EXPECT_EQ(st.s_nlink, nroot + 1); /* x */

	/* A read-only mount refuses every change. */
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount(EMPTY_FS, &root), 0);
	EXPECT((f = held(root, "d", 0)) != 0, "d after the remount");
	EXPECT_EQ(fs_name_req(FS_LINK, root, "e", 0, f, 0, 0, NULL), -EROFS);
	EXPECT_EQ(fs_symlink(root, "e", "d", 1), -EROFS);
	EXPECT_EQ(fs_name_req(FS_MKNOD, root, "e", S_IFIFO | 0600, 0, 0, 0, NULL), -EROFS);
	EXPECT_EQ(fs_rename(root, "d", root, "e", 0), -EROFS);
	a = (struct msg_fs_attr){ .a_mode = 0600 };
	EXPECT_EQ(fs_attr(FS_CHMOD, f, &a, NULL), -EROFS);
	EXPECT_EQ(fs_attr(FS_CHOWN, f, &a, NULL), -EROFS);
	EXPECT_EQ(fs_attr(FS_UTIME, f, &a, NULL), -EROFS);
	EXPECT_EQ(fs_truncate(f, 0), -EROFS);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);

	/* Everything removed: the free counts are back where they were. */
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	{
		static const char *const files[] = { "d", "d2", "s", "s2", "tty", "fifo" };

		for (size_t i = 0; i < ARRAY_SIZE(files); i++)
			EXPECT(fs_name_call(FS_UNLINK, root, files[i], 0, NULL) == 0, "unlink %s",
			       files[i]);
	}
	EXPECT((x = held(root, "x", 0)) != 0, "x");
	EXPECT_EQ(fs_name_call(FS_RMDIR, x, "q", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(x, 1), 0);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "x", 0, NULL), 0);
	EXPECT_EQ(zones_taken(&s0), 0);
	EXPECT_EQ(inodes_taken(&s0), 0);
	EXPECT_EQ(fs_stat(root, &st), 0);
	EXPECT_EQ(st.s_nlink, nroot);
	EXPECT_EQ(fs_unmount(), 0);
}

/* ---- mfs.linux_fsck: a tree written through MFS, checked by Linux ------ */

#define FSCK_DISK  2             /* RAM disk the tree is written on */
#define FSCK_BYTES (2048 * 1024) /* the first partition's size (tools/axrun.py) */
#define FSCK_PIECE 512           /* image bytes per console line */
static uint8_t *fsck_image;      /* from the heap: not in every test process's bss */

/* Base64 (RFC 4648) of n bytes into out (NUL-terminated): the console carries text only. */
static void
base64(const uint8_t *in, size_t n, char *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? in[i + 2] : 0);

		out[o++] = digits[v >> 18 & 63];
		out[o++] = digits[v >> 12 & 63];
		out[o++] = i + 1 < n ? digits[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? digits[v & 63] : '=';
	}
	out[o] = '\0';
}

/*
 * The image to the harness over the console (tools/axrun.py, FsckImage):
 * each 512-byte piece that is not all zeroes as "AXFSCK-BLOCK offset
 * base64", then "AXFSCK-END size checksum".  The harness rebuilds the
 * image (the pieces not sent are zeroes), checks the checksum, and runs
 * fsck.minix -f on it: a complaint turns this test's PASS into a FAIL.
 */
static void
send_image(const uint8_t *img, size_t size)
{
	static char line[64 + FSCK_PIECE * 4 / 3 + 8];
	unsigned sent = 0;

	for (size_t off = 0; off < size; off += FSCK_PIECE) {
		size_t i = 0;
		int len;

		while (i < FSCK_PIECE && img[off + i] == 0)
			i++;
		if (i == FSCK_PIECE)
			continue;
		len = snprintf(line, sizeof(line), "AXFSCK-BLOCK %zx ", off);
		base64(img + off, FSCK_PIECE, line + len);
		len += (int)strlen(line + len);
		line[len++] = '\n';
		sys_diag_print(line, (size_t)len);
		/*
		 * The kernel prints a line in one piece; hundreds of them in a
		 * row would keep every service from answering RS's pings (which
		 * then kills them all): a tick's rest now and then.
		 */
		if (++sent % 8 == 0)
			tickdelay(1);
	}
	printf("AXFSCK-END %zx %08x\n", size, fnv(img, size));
}

/* A file `name` in dir of `size` bytes of pattern `seed`: 0 or -E. */
static int
make_file(fs_ino_t dir, const char *name, uint32_t size, uint32_t seed)
{
	struct msg_fs_node node;
	int r;

	if ((r = fs_name_call(FS_CREATE, dir, name, 0644, &node)) < 0)
		return r;
	for (uint32_t i = 0; i < size; i++)
		data[i] = mfs_tree_byte(seed, i);
	if (size > 0 && fs_write(node.n_ino, 0, data, size) != (int64_t)size)
		r = -EIO;
	fs_putnode(node.n_ino, 1);
	return r;
}

/* The size of `path` and whether its bytes are pattern `seed` up to `good`: 0 or a reason. */
static const char *
check_file(fs_ino_t root, const char *path, uint32_t size, uint32_t seed, uint32_t good)
{
	struct msg_fs_lookup_reply lr;
	int64_t n;

	if (fs_lookup(root, path, 0, &lr) != 0)
		return "not found";
	n = read_file(lr.r_ino, 4096);
	fs_putnode(lr.r_ino, 1);
	if (n != size)
		return "wrong size";
	for (uint32_t i = 0; i < size; i++)
		if (filebuf[i] != (i < good ? mfs_tree_byte(seed, i) : 0))
			return "wrong bytes";
	return NULL;
}

TEST(mfs, linux_fsck,
     "a tree written through MFS (files of many sizes, dirs, links, symlinks, devices, renames, "
     "unlinks, truncates) passes Linux's fsck.minix -f on the host")
{
	static const uint32_t sizes[] = { 0,      1,     1023, 1024, 1025, 7 * 1024, 7 * 1024 + 1,
					  100000, 270000 };
	int d = bdev_driver("memory");
	bdev_t img = bdev_dev(d, MEMORY_FSIMG + 1), ram = bdev_dev(d, MEMORY_RAM(FSCK_DISK));
	uint64_t size = FSCK_BYTES;
	struct msg_fs_lookup_reply lr;
	struct msg_fs_attr a;
	fs_ino_t root, t, ta, held_ino;
	char name[32];
	const char *why;
	uint8_t flags[2];

	EXPECT(ops_setup(), "mfs is not running");
	EXPECT(d >= 0, "bdev_driver: %d", d);
	EXPECT((fsck_image = malloc(FSCK_BYTES)) != NULL, "no memory for the image");
	EXPECT_EQ(bdev_open(img, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_read(img, 0, fsck_image, FSCK_BYTES, 0), FSCK_BYTES);
	EXPECT_EQ(bdev_close(img), 0);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_write(ram, 0, fsck_image, FSCK_BYTES, 0), FSCK_BYTES);

	EXPECT_EQ(fs_mount_rw(MEMORY_RAM(FSCK_DISK), &root), 0);
	/* A writable mount clears the clean bit on the device at once. */
	EXPECT_EQ(bdev_read(ram, 0, fsck_image, 2048, 0), 2048);
	EXPECT_EQ(fsck_image[1024 + 14] & 1, 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "t", 0755, NULL), 0);
	EXPECT((t = held(root, "t", 0)) != 0, "t");
	EXPECT_EQ(fs_name_call(FS_MKDIR, t, "a", 0700, NULL), 0);
	EXPECT((ta = held(t, "a", 0)) != 0, "t/a");
	EXPECT_EQ(fs_name_call(FS_MKDIR, ta, "b", 0755, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, t, "empty", 0755, NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		snprintf(name, sizeof(name), "f%u", sizes[i]);
		EXPECT(make_file(t, name, sizes[i], 30 + (uint32_t)i) == 0, "make %s", name);
	}
	/* Links, symlinks, devices. */
	EXPECT_EQ(fs_lookup(t, "f100000", 0, &lr), 0);
	EXPECT_EQ(fs_name_req(FS_LINK, ta, "hl", 0, lr.r_ino, 0, 0, NULL), 0);
	EXPECT_EQ(fs_name_req(FS_LINK, root, "hl2", 0, lr.r_ino, 0, 0, NULL), 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "hl2", 0, NULL), 0);
	EXPECT_EQ(fs_symlink(t, "s1", "f1", 2), 0);
	memset(filebuf, 'x', 500);
	EXPECT_EQ(fs_symlink(ta, "s2", (const char *)filebuf, 500), 0);
	EXPECT_EQ(fs_name_req(FS_MKNOD, t, "cdev", 0020620, 0, 0x0401, 0, NULL), 0);
	EXPECT_EQ(fs_name_req(FS_MKNOD, t, "bdev", 0060600, 0, 0x0300, 0, NULL), 0);
	EXPECT_EQ(fs_name_req(FS_MKNOD, t, "fifo", 0010644, 0, 0, 0, NULL), 0);
	/* Renames: a file across directories, a directory up, over a file, over an empty dir. */
	EXPECT_EQ(fs_lookup(ta, "b", 0, &lr), 0);
	EXPECT_EQ(fs_rename(t, "f1", lr.r_ino, "f1moved", 0), 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_rename(ta, "b", t, "b2", 0), 0);
	EXPECT_EQ(fs_rename(t, "f1023", t, "f1024", 0), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, t, "mv", 0755, NULL), 0);
	EXPECT_EQ(fs_rename(t, "mv", t, "empty", 0), 0);
	/* Unlinks and truncates, in the host's tree too. */
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "indirect", 0, NULL), 0);
	EXPECT_EQ(fs_lookup(root, "double", 0, &lr), 0);
	EXPECT_EQ(fs_truncate(lr.r_ino, 150000), 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup(t, "f270000", 0, &lr), 0);
	EXPECT_EQ(fs_truncate(lr.r_ino, 3000), 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup(t, "f1025", 0, &lr), 0);
	EXPECT_EQ(fs_truncate(lr.r_ino, 9000), 0);
	a = (struct msg_fs_attr){ .a_mode = 0600, .a_ctime = 1700000000 };
	EXPECT_EQ(fs_attr(FS_CHMOD, lr.r_ino, &a, NULL), 0);
	a = (struct msg_fs_attr){ .a_uid = 1000, .a_gid = 1000 };
	EXPECT_EQ(fs_attr(FS_CHOWN, lr.r_ino, &a, NULL), 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	/* A file unlinked while held, freed at its PUTNODE. */
	EXPECT_EQ(make_file(t, "tmp", 20000, 40), 0);
	EXPECT((held_ino = held(t, "tmp", 0)) != 0, "tmp");
	EXPECT_EQ(fs_name_call(FS_UNLINK, t, "tmp", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(held_ino, 1), 0);
	/* A directory removed while held (a working directory), freed at its PUTNODE. */
	EXPECT_EQ(fs_name_call(FS_MKDIR, t, "cwd", 0755, NULL), 0);
	EXPECT((held_ino = held(t, "cwd", 0)) != 0, "cwd");
	EXPECT_EQ(fs_name_call(FS_RMDIR, t, "cwd", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(held_ino, 1), 0);
	EXPECT_EQ(fs_putnode(ta, 1), 0);
	EXPECT_EQ(fs_putnode(t, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);

	/* It reads back, read-only, as written. */
	EXPECT_EQ(fs_mount(MEMORY_RAM(FSCK_DISK), &root), 0);
	why = check_file(root, "double", 150000, 4, 150000);
	EXPECT(!why, "double: %s", why);
	why = check_file(root, "t/f270000", 3000, 38, 3000);
	EXPECT(!why, "t/f270000: %s", why);
	why = check_file(root, "t/f1025", 9000, 34, 1025);
	EXPECT(!why, "t/f1025: %s", why);
	why = check_file(root, "t/f1024", 1023, 32, 1023);
	EXPECT(!why, "t/f1024: %s", why);
	why = check_file(root, "t/b2/f1moved", 1, 31, 1);
	EXPECT(!why, "t/b2/f1moved: %s", why);
	why = check_file(root, "t/a/hl", 100000, 37, 100000);
	EXPECT(!why, "t/a/hl: %s", why);
	EXPECT_EQ(fs_lookup(root, "indirect", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_unmount(), 0);

	/* The whole image to the host; UNMOUNT set the clean bit last. */
	EXPECT_EQ(bdev_read(ram, 0, fsck_image, FSCK_BYTES, 0), FSCK_BYTES);
	memcpy(flags, fsck_image + 1024 + 14, 2);
	EXPECT_EQ(flags[0] & 1, 1);
	send_image(fsck_image, FSCK_BYTES);
	size = 0;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}

/* ---- mfs.lu_under_load: a live update of MFS under a writer ------------- */

TEST(mfs, lu_under_load,
     "MFS live-updated while a client writes: the mount, the references and every byte carry "
     "over, and the client sees no error")
{
	enum { PIECES = 256, PIECE_BYTES = 4096 };
	struct fs_statfs s0, s1;
	struct msg_fs_node node;
	struct msg_fs_lookup_reply lr;
	struct msg_rs_reply rr;
	fs_ino_t root, f, mnt, gone;
	endpoint_t rs, before;
	uint32_t want = 2166136261u, got = 2166136261u;
	bool under_way = false;
	uint64_t status;
	message m;

	EXPECT(ops_setup(), "mfs is not running");
	EXPECT_EQ(sys_lookup("rs", &rs), 0);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	/* Held across the update: a file, a mount point, a file unlinked while held. */
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "lu", 0644, &node), 0);
	f = node.n_ino;
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "lud", 0755, NULL), 0);
	EXPECT((mnt = held(root, "lud", 0)) != 0, "lud");
	memset(&m, 0, sizeof(m));
	m.m_fs_inode.i_ino = mnt;
	EXPECT_EQ(fs_call(FS_MOUNTPOINT, &m), 0);
	EXPECT_EQ(make_file(root, "gone", 5000, 50), 0);
	EXPECT((gone = held(root, "gone", 0)) != 0, "gone");
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "gone", 0, NULL), 0);
	EXPECT_EQ(fs_write(f, 0, data, 1), 1); /* a dirty block the old version must write back */

	before = mfs;
	EXPECT_EQ(rs_update_send("mfs", "mfs", SEF_LU_STATE_WORK_FREE, 500, 0), 0);
	for (int i = 0; i < PIECES; i++) {
		for (int k = 0; k < PIECE_BYTES; k++)
			data[k] = mfs_tree_byte(60, (uint32_t)(i * PIECE_BYTES + k));
		want = fnv_more(want, data, PIECE_BYTES);
		EXPECT_EQ(fs_write(f, (uint64_t)i * PIECE_BYTES, data, PIECE_BYTES), PIECE_BYTES);
		if (i % 4 == 0 && rs_request(RS_LOOKUP, "mfs", &rr) == 0 && rr.lu_new != NONE)
			under_way = true;
	}
	/* RS's answer to the update: done, not rolled back. */
	EXPECT_EQ(ipc_receive(rs, &m, &status), 0);
	EXPECT_EQ(m.m_type, 0);
	EXPECT_EQ(svc_lookup("mfs", NULL, NULL), before); /* an update keeps the endpoint */
	if (!under_way)
		printf("mfs.lu_under_load: the update fell between two looks at RS\n");

	/* The references came over: the mount point, the held file, the unlinked one. */
	EXPECT_EQ(fs_lookup(root, "lud/x", 0, &lr), -EENTERMOUNT);
	EXPECT_EQ(fs_putnode(mnt, 2), 0);
	EXPECT_EQ(fs_io(FS_READ, gone, 0, filebuf, 5000, NULL), 5000);
	EXPECT_EQ(filebuf[4999], mfs_tree_byte(50, 4999));
	EXPECT_EQ(inodes_taken(&s0), 3);
	EXPECT_EQ(fs_putnode(gone, 1), 0); /* freed now, by the new version */
	EXPECT_EQ(inodes_taken(&s0), 2);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	/* Every byte, after a remount: through the device. */
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT((f = held(root, "lu", 0)) != 0, "lu after the remount");
	for (int i = 0; i < PIECES; i++) {
		EXPECT_EQ(fs_io(FS_READ, f, (uint64_t)i * PIECE_BYTES, data, PIECE_BYTES, NULL),
			  PIECE_BYTES);
		got = fnv_more(got, data, PIECE_BYTES);
	}
	EXPECT(got == want, "checksum %08x, not %08x", got, want);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "lu", 0, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "lud", 0, NULL), 0);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s1.f_bfree, s0.f_bfree);
	EXPECT_EQ(s1.f_ffree, s0.f_ffree);
	EXPECT_EQ(fs_unmount(), 0);
}

/* LOOKUP of path from dir as uid/gid: the inode (its reference given back at once), or -E. */
static int64_t
ino_as(fs_ino_t dir, const char *path, uint32_t uid, uint32_t gid)
{
	grant_id_t g = cpf_grant_direct(mfs, path, strlen(path), GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_lookup.l_dir = dir;
	m.m_fs_lookup.l_path = g;
	m.m_fs_lookup.l_len = (uint32_t)strlen(path);
	m.m_fs_lookup.l_uid = uid;
	m.m_fs_lookup.l_gid = gid;
	r = fs_call(FS_LOOKUP, &m);
	cpf_revoke(g);
	if (r < 0)
		return r;
	fs_putnode(m.m_fs_lookup_reply.r_ino, 1);
	return m.m_fs_lookup_reply.r_ino;
}

static int64_t
ino_at(fs_ino_t dir, const char *path)
{
	return ino_as(dir, path, 0, 0);
}

/* A new file dir/name: its inode number (CREATE's reference given back), or -E. */
static int64_t
new_file(fs_ino_t dir, const char *name)
{
	struct msg_fs_node node;
	int r;

	if ((r = fs_name_call(FS_CREATE, dir, name, 0644, &node)) < 0)
		return r;
	fs_putnode(node.n_ino, 1);
	return node.n_ino;
}

TEST(mfs, name_cache,
     "MFS's name cache answers what the directory says after unlink, rename, a slot or a "
     "directory's inode taken again, link, chmod, a lookup by another uid and a remount")
{
	struct fs_statfs s0;
	struct msg_fs_attr a;
	fs_ino_t root, d;
	int64_t x, y, w, q, e;

	EXPECT(ops_setup(), "mfs is not running");
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "nc", 0755, NULL), 0);
	EXPECT((d = held(root, "nc", 0)) != 0, "nc not found");

	/* Found twice (the second from the cache), then unlinked: gone, and a new x is the new one. */
	EXPECT((x = new_file(d, "x")) > 0, "create x: %lld", (long long)x);
	EXPECT_EQ(ino_at(root, "nc/x"), x);
	EXPECT_EQ(ino_at(root, "nc/x"), x);
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "x", 0, NULL), 0);
	EXPECT_EQ(ino_at(root, "nc/x"), -ENOENT);
	EXPECT_EQ(ino_at(d, "x"), -ENOENT);
	EXPECT((x = new_file(d, "x")) > 0, "create x again: %lld", (long long)x);
	EXPECT_EQ(ino_at(d, "x"), x);

	/* rename: the old name is gone, the new one names the inode; over a name: replaced. */
	EXPECT((y = new_file(d, "y")) > 0, "create y");
	EXPECT_EQ(ino_at(d, "y"), y);
	EXPECT_EQ(fs_rename(d, "y", d, "z", 0), 0);
	EXPECT_EQ(ino_at(d, "y"), -ENOENT);
	EXPECT_EQ(ino_at(d, "z"), y);
	EXPECT((w = new_file(d, "w")) > 0, "create w");
	EXPECT_EQ(ino_at(d, "w"), w);
	EXPECT_EQ(fs_rename(d, "z", d, "w", 0), 0);
	EXPECT_EQ(ino_at(d, "w"), y);
	EXPECT_EQ(ino_at(d, "z"), -ENOENT);
	EXPECT_EQ(fs_rename(d, "w", root, "w", 0), 0); /* to another directory */
	EXPECT_EQ(ino_at(d, "w"), -ENOENT);
	EXPECT_EQ(ino_at(root, "w"), y);
	EXPECT_EQ(fs_rename(root, "w", d, "w", 0), 0);
	EXPECT_EQ(ino_at(d, "w"), y);

	/* x's slot taken by another name: x is not found there. */
	EXPECT_EQ(ino_at(d, "x"), x);
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "x", 0, NULL), 0);
	EXPECT((q = new_file(d, "q")) > 0, "create q");
	EXPECT_EQ(ino_at(d, "x"), -ENOENT);
	EXPECT_EQ(ino_at(d, "q"), q);

	/* link: a second name; the first unlinked, the second stays. */
	{
		fs_ino_t h = held(d, "w", 0);

		EXPECT_EQ(fs_name_req(FS_LINK, d, "w2", 0, h, 0, 0, NULL), 0);
		EXPECT_EQ(fs_putnode(h, 1), 0);
	}
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "w", 0, NULL), 0);
	EXPECT_EQ(ino_at(d, "w"), -ENOENT);
	EXPECT_EQ(ino_at(d, "w2"), y);

	/* Search permission is checked for each caller, cached name or not. */
	EXPECT_EQ(ino_as(root, "nc/q", 1000, 1000), q);
	a = (struct msg_fs_attr){ .a_mode = 0700 };
	EXPECT_EQ(fs_attr(FS_CHMOD, d, &a, NULL), 0);
	EXPECT_EQ(ino_as(root, "nc/q", 1000, 1000), -EACCES);
	EXPECT_EQ(ino_as(root, "nc/q", 0, 0), q);
	a = (struct msg_fs_attr){ .a_mode = 0755 };
	EXPECT_EQ(fs_attr(FS_CHMOD, d, &a, NULL), 0);
	EXPECT_EQ(ino_as(root, "nc/q", 1000, 1000), q);

	/* The directory removed and made again (its inode number taken again): empty. */
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "q", 0, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "w2", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(d, 1), 0);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "nc", 0, NULL), 0);
	EXPECT_EQ(ino_at(root, "nc/q"), -ENOENT);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "nc", 0755, NULL), 0);
	EXPECT((d = held(root, "nc", 0)) != 0, "nc not found again");
	EXPECT_EQ(ino_at(d, "q"), -ENOENT);
	EXPECT_EQ(ino_at(d, "w2"), -ENOENT);
	EXPECT((e = new_file(d, "q")) > 0, "create q in the new nc");
	EXPECT_EQ(ino_at(root, "nc/q"), e);

	/* After a remount the names are found again, and removed they are gone. */
	EXPECT_EQ(fs_putnode(d, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(ino_at(root, "nc/q"), e);
	EXPECT((d = held(root, "nc", 0)) != 0, "nc lost at the remount");
	EXPECT_EQ(fs_name_call(FS_UNLINK, d, "q", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(d, 1), 0);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "nc", 0, NULL), 0);
	EXPECT_EQ(ino_at(root, "nc/q"), -ENOENT);
	EXPECT_EQ(ino_at(root, "nc"), -ENOENT);
	EXPECT_EQ(zones_taken(&s0), 0);
	EXPECT_EQ(inodes_taken(&s0), 0);
	EXPECT_EQ(fs_unmount(), 0);
}

/* READ of size bytes at pos of ino into filebuf: the count, or -E. */
static int64_t
read_at(fs_ino_t ino, uint64_t pos, size_t size)
{
	return fs_io(FS_READ, ino, pos, filebuf, size, NULL);
}

/* filebuf[0, n) is data[from, from + n)? */
static bool
same(uint64_t from, size_t n)
{
	return memcmp(filebuf, data + from, n) == 0;
}

TEST(mfs, page_cache,
     "MFS's page cache answers a file's bytes as they are after a write, a truncate, a hole, "
     "and an inode number given to a new file, and after a remount")
{
	struct fs_statfs s0;
	struct msg_fs_node node;
	fs_ino_t root, f, g;
	static const uint8_t zero[4096];

	EXPECT(ops_setup(), "mfs is not running");
	for (size_t i = 0; i < DATA_BYTES; i++)
		data[i] = mfs_tree_byte(33, (uint32_t)i);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "pc", 0644, &node), 0);
	f = node.n_ino;
	EXPECT_EQ(fs_write(f, 0, data, 10000), 10000);

	/* Pages read twice (the second from the cache), whole and in part, and the last one short. */
	EXPECT_EQ(read_at(f, 0, 4096), 4096);
	EXPECT_EQ(read_at(f, 0, 4096), 4096);
	EXPECT(same(0, 4096), "page 0");
	EXPECT_EQ(read_at(f, 4096 + 100, 50), 50);
	EXPECT(same(4096 + 100, 50), "page 1 in part");
	EXPECT_EQ(read_at(f, 8192, 4096), 10000 - 8192);
	EXPECT_EQ(read_at(f, 8192, 4096), 10000 - 8192);
	EXPECT(same(8192, 10000 - 8192), "the short last page");
	EXPECT_EQ(read_at(f, 2000, 4096), 4096); /* across two pages: not from the cache */
	EXPECT(same(2000, 4096), "across pages");

	/* A write inside a cached page, and one that grows the file past its short last page. */
	data[10] ^= 0xff;
	EXPECT_EQ(fs_write(f, 10, data + 10, 1), 1);
	EXPECT_EQ(read_at(f, 0, 4096), 4096);
	EXPECT(same(0, 4096), "page 0 after a write");
	EXPECT_EQ(fs_write(f, 10000, data + 10000, 2000), 2000);
	EXPECT_EQ(read_at(f, 8192, 4096), 12000 - 8192);
	EXPECT(same(8192, 12000 - 8192), "the last page grown");

	/* truncate: shorter, then longer with a hole that reads as zeroes. */
	EXPECT_EQ(fs_truncate(f, 5000), 0);
	EXPECT_EQ(read_at(f, 4096, 4096), 5000 - 4096);
	EXPECT(same(4096, 5000 - 4096), "page 1 after the truncate");
	EXPECT_EQ(read_at(f, 8192, 4096), 0);
	EXPECT_EQ(fs_truncate(f, 12288), 0);
	EXPECT_EQ(read_at(f, 4096, 4096), 4096);
	EXPECT(same(4096, 5000 - 4096) && memcmp(filebuf + 904, zero, 4096 - 904) == 0,
	       "the hole after 5000");
	EXPECT_EQ(read_at(f, 8192, 4096), 4096);
	EXPECT(memcmp(filebuf, zero, 4096) == 0, "the hole's last page");

	/* The file removed, its inode number given to a new file: the new file's bytes. */
	EXPECT_EQ(read_at(f, 0, 4096), 4096);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "pc", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(f, 1), 0);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "pc2", 0644, &node), 0);
	g = node.n_ino;
	EXPECT_EQ(g, f); /* the lowest free inode: the one just freed */
	EXPECT_EQ(read_at(g, 0, 4096), 0);
	EXPECT_EQ(fs_write(g, 0, data + 50000, 3000), 3000);
	EXPECT_EQ(read_at(g, 0, 4096), 3000);
	EXPECT(same(50000, 3000), "the new file's bytes");

	/* After a remount: the same bytes. */
	EXPECT_EQ(fs_putnode(g, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT((g = held(root, "pc2", 0)) != 0, "pc2 lost at the remount");
	EXPECT_EQ(read_at(g, 0, 4096), 3000);
	EXPECT(same(50000, 3000), "the bytes after the remount");
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "pc2", 0, NULL), 0);
	EXPECT_EQ(fs_putnode(g, 1), 0);
	EXPECT_EQ(zones_taken(&s0), 0);
	EXPECT_EQ(inodes_taken(&s0), 0);
	EXPECT_EQ(fs_unmount(), 0);
}
