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
#include <ax/memory.h>

#define S_IFMT   0170000
#define S_IFDIR  0040000
#define S_IFREG  0100000
#define S_IFLNK  0120000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define EMPTY_FS (MEMORY_FSIMG + 2)

static uint8_t data[300000];

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

/* A name request with every field the write side uses. */
static int
fs_name_full(int type, fs_ino_t dir, const char *name, uint32_t mode, fs_ino_t ino,
	     uint32_t rdev, uint32_t t)
{
	size_t len = strlen(name);
	grant_id_t g = cpf_grant_direct(mfs, name, len ? len : 1, GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_name.n_dir = dir;
	m.m_fs_name.n_name = g;
	m.m_fs_name.n_len = (uint32_t)len;
	m.m_fs_name.n_mode = mode;
	m.m_fs_name.n_ino = ino;
	m.m_fs_name.n_rdev = rdev;
	m.m_fs_name.n_time = t;
	r = fs_call(type, &m);
	cpf_revoke(g);
	return r;
}

static int
fs_symlink(fs_ino_t dir, const char *name, const char *target, size_t tlen)
{
	grant_id_t g = cpf_grant_direct(mfs, target, tlen ? tlen : 1, GRANT_READ);
	int r = fs_name_full(FS_SYMLINK, dir, name, 0, (fs_ino_t)g, (uint32_t)tlen, 0);

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

	EXPECT(mfs_setup(), "mfs is not running");
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = mfs_tree_byte(21, (uint32_t)i);
	EXPECT_EQ(fs_mount_rw(EMPTY_FS, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_stat(root, &st), 0);
	nroot = st.s_nlink;

	/* CREATE stamps the times VFS gives; the directory's mtime and ctime too. */
	EXPECT_EQ(fs_name_full(FS_CREATE, root, "a", 0644, 0, 0, 1000000), 0);
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
	EXPECT_EQ(fs_name_full(FS_LINK, root, "b", 0, f, 0, 1000001), 0);
	EXPECT_EQ(fs_stat(f, &st), 0);
	EXPECT_EQ(st.s_nlink, 2);
	EXPECT_EQ(st.s_ctime, 1000001);
	EXPECT_EQ(fs_name_full(FS_LINK, root, "b", 0, f, 0, 0), -EEXIST);
	EXPECT_EQ(fs_name_full(FS_LINK, root, "r", 0, root, 0, 0), -EPERM);
	EXPECT_EQ(fs_name_full(FS_LINK, root, "r", 0, 99999, 0, 0), -EINVAL); /* not held */
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
	EXPECT_EQ(fs_name_full(FS_MKNOD, root, "tty", S_IFCHR | 0620, 0, 0x0403, 0), 0);
	EXPECT_EQ(fs_lookup(root, "tty", 0, &lr), 0);
	EXPECT_EQ(lr.r_rdev, 0x0403);
	EXPECT_EQ(lr.r_mode, S_IFCHR | 0620);
	EXPECT_EQ(fs_stat(lr.r_ino, &st), 0);
	EXPECT_EQ(st.s_rdev, 0x0403);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 10, NULL), -EINVAL); /* no data */
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_name_full(FS_MKNOD, root, "fifo", S_IFIFO | 0600, 0, 0, 0), 0);
	EXPECT_EQ(fs_name_full(FS_MKNOD, root, "dir", S_IFDIR | 0755, 0, 0, 0), -EINVAL);
	EXPECT_EQ(fs_name_full(FS_MKNOD, root, "lnk", S_IFLNK | 0777, 0, 0, 0), -EINVAL);

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
	a = (struct msg_fs_attr){ .a_atime = 7, .a_mtime = 8, .a_ctime = 9,
				  .a_flags = FS_UTIME_ATIME | FS_UTIME_MTIME };
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
		EXPECT_EQ(fs_write(f, 0, data, sizeof(data)), (int64_t)sizeof(data));
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
	EXPECT_EQ(fs_name_full(FS_LINK, root, "d2", 0, f, 0, 0), 0);
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
	EXPECT_EQ(st.s_nlink, nroot + 2); /* x and y2 */
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
	EXPECT_EQ(fs_rename(root, "y2", root, "x", 0), -EBUSY); /* held */
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

	/* A read-only mount refuses every change. */
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount(EMPTY_FS, &root), 0);
	EXPECT((f = held(root, "d", 0)) != 0, "d after the remount");
	EXPECT_EQ(fs_name_full(FS_LINK, root, "e", 0, f, 0, 0), -EROFS);
	EXPECT_EQ(fs_symlink(root, "e", "d", 1), -EROFS);
	EXPECT_EQ(fs_name_full(FS_MKNOD, root, "e", S_IFIFO | 0600, 0, 0, 0), -EROFS);
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
