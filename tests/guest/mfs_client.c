/*
 * The MFS tests' client side of the VFS-FS protocol (ax/vfs_fs.h), shared
 * by test_mfs.c, test_mfs_ops.c and test_procfs.c (which points `mfs` at
 * procfs): each call grants what it names or moves, as VFS does, and
 * revokes the grant after the answer.
 */
#include "guest.h"
#include "sefsvc_proto.h"
#include "mfs_client.h"
#include <stdlib.h>

uint8_t *filebuf; /* MFS_FILEBUF bytes from the heap (mfs_setup): not in every test's bss */

endpoint_t mfs;

int
fs_call(int type, message *m)
{
	int r;

	m->m_type = type;
	if ((r = ipc_sendrec(mfs, m)) < 0)
		return r;
	return m->m_type;
}

/* READSUPER of the memory driver's minor: 0 and the root inode, or -E. */
int
fs_mount_flags(devminor_t minor, uint32_t flags, fs_ino_t *root)
{
	static const char label[] = "memory";
	grant_id_t g = cpf_grant_direct(mfs, label, sizeof(label) - 1, GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_readsuper.rs_label = g;
	m.m_fs_readsuper.rs_label_len = sizeof(label) - 1;
	m.m_fs_readsuper.rs_minor = minor;
	m.m_fs_readsuper.rs_flags = flags;
	r = fs_call(FS_READSUPER, &m);
	cpf_revoke(g);
	if (r == 0)
		*root = m.m_fs_node.n_ino;
	return r;
}

int
fs_mount(devminor_t minor, fs_ino_t *root)
{
	return fs_mount_flags(minor, FS_RDONLY, root);
}

int
fs_mount_rw(devminor_t minor, fs_ino_t *root)
{
	return fs_mount_flags(minor, 0, root);
}

int
fs_unmount(void)
{
	message m;

	memset(&m, 0, sizeof(m));
	return fs_call(FS_UNMOUNT, &m);
}

int
fs_lookup(fs_ino_t dir, const char *path, uint32_t flags, struct msg_fs_lookup_reply *out)
{
	return fs_lookup_pid(dir, path, flags, 0, out);
}

/* LOOKUP on behalf of process `pid` (procfs's /proc/self). */
int
fs_lookup_pid(fs_ino_t dir, const char *path, uint32_t flags, int32_t pid,
	      struct msg_fs_lookup_reply *out)
{
	size_t len = strlen(path);
	grant_id_t g = cpf_grant_direct(mfs, path, len ? len : 1, GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_lookup.l_dir = dir;
	m.m_fs_lookup.l_path = g;
	m.m_fs_lookup.l_len = (uint32_t)len;
	m.m_fs_lookup.l_flags = flags;
	m.m_fs_lookup.l_pid = pid;
	r = fs_call(FS_LOOKUP, &m);
	cpf_revoke(g);
	if (out)
		*out = m.m_fs_lookup_reply;
	return r;
}

int
fs_putnode(fs_ino_t ino, uint32_t count)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_fs_putnode.p_ino = ino;
	m.m_fs_putnode.p_count = count;
	return fs_call(FS_PUTNODE, &m);
}

/* READ, READLINK or GETDENTS into buf: bytes moved, or -E. */
int64_t
fs_io(int type, fs_ino_t ino, uint64_t pos, void *buf, size_t size, uint64_t *next)
{
	grant_id_t g = cpf_grant_direct(mfs, buf, size, GRANT_WRITE);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_io.io_ino = ino;
	m.m_fs_io.io_pos = pos;
	m.m_fs_io.io_grant = g;
	m.m_fs_io.io_size = (uint32_t)size;
	r = fs_call(type, &m);
	cpf_revoke(g);
	if (r < 0)
		return r;
	if (next)
		*next = m.m_fs_io_reply.r_pos;
	return (int64_t)m.m_fs_io_reply.r_bytes;
}

/* A whole file, read in pieces of `piece` bytes: its size, or -E. */
int64_t
read_file(fs_ino_t ino, size_t piece)
{
	uint64_t pos = 0;
	int64_t n;

	do {
		if (pos + piece > MFS_FILEBUF)
			return -E2BIG;
		n = fs_io(FS_READ, ino, pos, filebuf + pos, piece, NULL);
		if (n < 0)
			return n;
		pos += (uint64_t)n;
	} while (n > 0);
	return (int64_t)pos;
}

/* FNV-1a: the checksum both sides compute. */
uint32_t
fnv_more(uint32_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

uint32_t
fnv(const uint8_t *p, size_t n)
{
	return fnv_more(2166136261u, p, n);
}

uint32_t
expected_fnv(const struct mfs_tree_file *f)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < f->size; i++)
		h = (h ^ mfs_tree_byte(f->seed, i)) * 16777619u;
	return h;
}

/*
 * MFS's endpoint; a mount an earlier test left is undone.  A test that
 * failed half-way may have left references too (UNMOUNT: EBUSY): MFS is
 * then refreshed by RS, so one failure does not fail every test after it.
 */
bool
mfs_setup(void)
{
	struct msg_rs_reply reply;
	message m;

	if (!filebuf && !(filebuf = malloc(MFS_FILEBUF)))
		return false;
	mfs = svc_lookup("mfs", NULL, NULL);
	if (mfs == NONE)
		return false;
	memset(&m, 0, sizeof(m));
	if (fs_call(FS_UNMOUNT, &m) != -EBUSY)
		return true;
	if (rs_request(RS_REFRESH, "mfs", &reply) < 0)
		return false;
	mfs = svc_await_new("mfs", mfs, 200);
	return mfs != NONE;
}

int
fs_name_call(int type, fs_ino_t dir, const char *name, uint32_t mode, struct msg_fs_node *out)
{
	return fs_name_req(type, dir, name, mode, 0, 0, 0, out);
}

/* A name request with every field the write side uses (LINK's inode, MKNOD's device, the time). */
int
fs_name_req(int type, fs_ino_t dir, const char *name, uint32_t mode, fs_ino_t ino, uint32_t rdev,
	    uint32_t t, struct msg_fs_node *out)
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
	if (out)
		*out = m.m_fs_node;
	return r;
}

int64_t
fs_write(fs_ino_t ino, uint64_t pos, const void *buf, size_t size)
{
	grant_id_t g = cpf_grant_direct(mfs, buf, size, GRANT_READ);
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_fs_io.io_ino = ino;
	m.m_fs_io.io_pos = pos;
	m.m_fs_io.io_grant = g;
	m.m_fs_io.io_size = (uint32_t)size;
	r = fs_call(FS_WRITE, &m);
	cpf_revoke(g);
	return r < 0 ? r : (int64_t)m.m_fs_io_reply.r_bytes;
}

int
fs_statfs(struct fs_statfs *st)
{
	int64_t r = fs_io(FS_STATFS, 0, 0, st, sizeof(*st), NULL);

	return r < 0 ? (int)r : 0;
}
