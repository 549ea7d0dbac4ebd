/*
 * procfs: the process file system (README.md), a file-system server that
 * answers the read side of the VFS-FS protocol (ax/vfs_fs.h) exactly as
 * MFS does, so VFS mounts it like any other: READSUPER (no device: the
 * label is not used), UNMOUNT, LOOKUP, PUTNODE, STAT, READ, GETDENTS,
 * READLINK, STATFS, MOUNTPOINT, SYNC; the write side answers EROFS.
 *
 * As with MFS, a request may name only an inode VFS holds a reference on
 * (EINVAL): procfs counts them in a small table (held[]).  /proc/self is
 * answered per caller: LOOKUP carries the caller's pid (l_pid), and the
 * link it answers is a node of that pid, whose READLINK is the pid.
 * Entry point: main (the dispatch table).
 */
#include <sef.h>
#include <dispatch.h>
#include <stdio.h>
#include <string.h>
#include "procfs.h"

#define NR_HELD 256

static struct {
	fs_ino_t ino;
	uint32_t count;
} held[NR_HELD];
static bool mounted;
static char text[PROC_TEXT_MAX];
static char pathbuf[FS_PATH_MAX + 1];

static int
held_slot(fs_ino_t ino)
{
	for (int i = 0; i < NR_HELD; i++)
		if (held[i].count > 0 && held[i].ino == ino)
			return i;
	return -1;
}

/* One more reference VFS holds on ino: 0, or -ENFILE. */
static int
take_ref(fs_ino_t ino)
{
	int i = held_slot(ino);

	if (i < 0)
		for (i = 0; i < NR_HELD && held[i].count > 0; i++)
			;
	if (i == NR_HELD)
		return -ENFILE;
	held[i].ino = ino;
	held[i].count++;
	return 0;
}

/* A node VFS holds: 0 and what it is, -EINVAL (not held) or -ENOENT (its process is gone). */
static int
held_node(fs_ino_t ino, struct pnode *pn)
{
	if (!mounted || held_slot(ino) < 0)
		return -EINVAL;
	return pnode_of(ino, pn);
}

/* The node's uid and gid: a process's nodes are its owner's (ps reads them), the rest root's. */
static void
owner_of(const struct pnode *pn, uint32_t *uid, uint32_t *gid)
{
	static struct pm_procinfo t[PROC_NR_PROCS];
	const struct pm_procinfo *p;
	int n;

	*uid = *gid = 0;
	if (pn->kind != PN_PID_DIR && pn->kind != PN_PID_FILE)
		return;
	if ((n = procs_snapshot(t, PROC_NR_PROCS)) > 0 && (p = proc_find(t, n, pn->pid))) {
		*uid = p->euid;
		*gid = p->egid;
	}
}

static int
do_readsuper(endpoint_t caller, message *m)
{
	(void)caller;
	if (mounted)
		return -EBUSY;
	memset(held, 0, sizeof(held));
	mounted = true;
	take_ref(PROC_ROOT_INO);
	memset(&m->m_fs_node, 0, sizeof(m->m_fs_node));
	m->m_fs_node.n_ino = PROC_ROOT_INO;
	m->m_fs_node.n_mode = 0040555;
	m->m_fs_node.n_flags = FS_RES_RDONLY;
	return 0;
}

static int
do_unmount(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	if (!mounted)
		return -EINVAL;
	for (int i = 0; i < NR_HELD; i++)
		if (held[i].count > 0 && held[i].ino != PROC_ROOT_INO)
			return -EBUSY;
	mounted = false;
	return 0;
}

static int
do_putnode(endpoint_t caller, message *m)
{
	int i = held_slot(m->m_fs_putnode.p_ino);
	uint32_t count = m->m_fs_putnode.p_count;

	(void)caller;
	if (!mounted || i < 0 || count == 0 || count > held[i].count)
		return -EINVAL;
	held[i].count -= count;
	return 0;
}

static void
fill_reply(struct msg_fs_lookup_reply *r, fs_ino_t ino, const struct pnode *pn, uint32_t off)
{
	memset(r, 0, sizeof(*r));
	r->r_ino = ino;
	r->r_mode = pn->mode;
	owner_of(pn, &r->r_uid, &r->r_gid);
	r->r_offset = off;
}

/* LOOKUP as MFS answers it (docs/files.md), over procfs's tree. */
static int
do_lookup(endpoint_t caller, message *m)
{
	struct msg_fs_lookup rq = m->m_fs_lookup;
	fs_ino_t cur = rq.l_dir;
	struct pnode pn;
	uint32_t pos = 0;
	int r;

	if ((r = held_node(cur, &pn)) < 0)
		return r;
	if (rq.l_len > FS_PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = sys_safecopystr(caller, rq.l_path, pathbuf, rq.l_len)) < 0)
		return r;
	for (;;) {
		uint32_t start, len;

		while (pos < rq.l_len && pathbuf[pos] == '/')
			pos++;
		if (pos == rq.l_len)
			break;
		start = pos;
		while (pos < rq.l_len && pathbuf[pos] != '/')
			pos++;
		len = pos - start;
		if (pn.kind != PN_ROOT && pn.kind != PN_PID_DIR)
			return -ENOTDIR;
		if (len == 1 && pathbuf[start] == '.')
			continue;
		if (len == 2 && memcmp(pathbuf + start, "..", 2) == 0) {
			if (pn.kind == PN_ROOT) {
				if (rq.l_root == PROC_ROOT_INO)
					continue;
				m->m_fs_lookup_reply =
					(struct msg_fs_lookup_reply){ .r_offset = start };
				return -ELEAVEMOUNT;
			}
			cur = PROC_ROOT_INO;
			pnode_of(cur, &pn);
			continue;
		}
		if ((r = tree_lookup(cur, pathbuf + start, len, rq.l_pid, &cur)) < 0)
			return r;
		if ((r = pnode_of(cur, &pn)) < 0)
			return r;
		if (pnode_is_link(&pn) && (pos < rq.l_len || !(rq.l_flags & FS_LOOKUP_NOFOLLOW))) {
			if ((r = take_ref(cur)) < 0)
				return r;
			fill_reply(&m->m_fs_lookup_reply, cur, &pn, pos);
			return -ESYMLINK;
		}
	}
	if ((r = take_ref(cur)) < 0)
		return r;
	fill_reply(&m->m_fs_lookup_reply, cur, &pn, pos);
	return 0;
}

static int
do_stat(endpoint_t caller, message *m)
{
	fs_ino_t ino = m->m_fs_inode.i_ino;
	struct msg_fs_stat *s = &m->m_fs_stat;
	struct pnode pn;
	int r;

	(void)caller;
	if ((r = held_node(ino, &pn)) < 0)
		return r;
	memset(s, 0, sizeof(*s));
	s->s_ino = ino;
	s->s_mode = pn.mode;
	s->s_nlink = pn.kind == PN_ROOT || pn.kind == PN_PID_DIR ? 2 : 1;
	owner_of(&pn, &s->s_uid, &s->s_gid);
	if (pnode_is_link(&pn) && (r = link_text(&pn, text, sizeof(text))) > 0)
		s->s_size = (uint64_t)r;
	s->s_blksize = 1024;
	return 0;
}

/* READ and READLINK: bytes [pos, pos + size) of the text, to the grant. */
static int
text_to_grant(endpoint_t caller, message *m, int len)
{
	struct msg_fs_io rq = m->m_fs_io;
	uint64_t n = 0;
	int r;

	if (len < 0)
		return len;
	if (rq.io_pos < (uint64_t)len)
		n = (uint64_t)len - rq.io_pos < rq.io_size ? (uint64_t)len - rq.io_pos : rq.io_size;
	if (n > 0 && (r = sys_safecopyto(caller, rq.io_grant, 0, text + rq.io_pos, n)) < 0)
		return r;
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = rq.io_pos + n, .r_bytes = n };
	return 0;
}

static int
do_read(endpoint_t caller, message *m)
{
	struct pnode pn;
	int r, len;

	if ((r = held_node(m->m_fs_io.io_ino, &pn)) < 0)
		return r;
	if (pn.kind == PN_ROOT || pn.kind == PN_PID_DIR)
		return -EISDIR;
	if (pnode_is_link(&pn))
		return -EINVAL;
	len = make_text(&pn, m->m_fs_io.io_pid, text, sizeof(text));
	if (len >= (int)sizeof(text))
		len = sizeof(text) - 1; /* snprintf's whole length: what fit is what there is */
	return text_to_grant(caller, m, len);
}

static int
do_readlink(endpoint_t caller, message *m)
{
	struct pnode pn;
	int r;

	if ((r = held_node(m->m_fs_io.io_ino, &pn)) < 0)
		return r;
	if (!pnode_is_link(&pn))
		return -EINVAL;
	m->m_fs_io.io_pos = 0;
	return text_to_grant(caller, m, link_text(&pn, text, sizeof(text)));
}

static int
do_getdents(endpoint_t caller, message *m)
{
	struct msg_fs_io rq = m->m_fs_io;
	static uint8_t buf[PROC_TEXT_MAX];
	uint64_t next = rq.io_pos;
	int r, used;

	if (!mounted || held_slot(rq.io_ino) < 0)
		return -EINVAL;
	used = tree_getdents(rq.io_ino, rq.io_pos, buf,
			     rq.io_size < sizeof(buf) ? rq.io_size : sizeof(buf), &next);
	if (used < 0)
		return used;
	if (used > 0 && (r = sys_safecopyto(caller, rq.io_grant, 0, buf, (size_t)used)) < 0)
		return r;
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = next, .r_bytes = (uint64_t)used };
	return 0;
}

/* STATFS: Linux's proc answers zero blocks (df hides it unless -a). */
static int
do_statfs(endpoint_t caller, message *m)
{
	struct fs_statfs st;

	if (!mounted)
		return -EINVAL;
	if (m->m_fs_io.io_size < sizeof(st))
		return -EINVAL;
	memset(&st, 0, sizeof(st));
	st.f_bsize = 1024;
	st.f_namelen = 255;
	st.f_magic = PROC_MAGIC;
	return sys_safecopyto(caller, m->m_fs_io.io_grant, 0, &st, sizeof(st));
}

static int
do_mountpoint(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return mounted ? -EBUSY : -EINVAL; /* nothing is mounted on /proc's nodes */
}

static int
do_sync(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return mounted ? 0 : -EINVAL;
}

/* The write side: a read-only file system. */
static int
do_rdonly(endpoint_t caller, message *m)
{
	(void)caller;
	(void)m;
	return mounted ? -EROFS : -EINVAL;
}

static void
procfs_dump(struct dump *d)
{
	int n = 0;

	for (int i = 0; i < NR_HELD; i++)
		n += held[i].count > 0;
	dump_printf(d, "procfs: %s, %d nodes held\n", mounted ? "mounted" : "not mounted", n);
}

/* clang-format off */
static dispatch_fn *const procfs_calls[FS_NR_REQUESTS] = {
	[FS_READSUPER - FS_BASE] = do_readsuper,
	[FS_UNMOUNT - FS_BASE] = do_unmount,
	[FS_LOOKUP - FS_BASE] = do_lookup,
	[FS_PUTNODE - FS_BASE] = do_putnode,
	[FS_STAT - FS_BASE] = do_stat,
	[FS_READ - FS_BASE] = do_read,
	[FS_GETDENTS - FS_BASE] = do_getdents,
	[FS_READLINK - FS_BASE] = do_readlink,
	[FS_STATFS - FS_BASE] = do_statfs,
	[FS_MOUNTPOINT - FS_BASE] = do_mountpoint,
	[FS_WRITE - FS_BASE] = do_rdonly,
	[FS_TRUNCATE - FS_BASE] = do_rdonly,
	[FS_CREATE - FS_BASE] = do_rdonly,
	[FS_MKDIR - FS_BASE] = do_rdonly,
	[FS_MKNOD - FS_BASE] = do_rdonly,
	[FS_UNLINK - FS_BASE] = do_rdonly,
	[FS_RMDIR - FS_BASE] = do_rdonly,
	[FS_LINK - FS_BASE] = do_rdonly,
	[FS_SYMLINK - FS_BASE] = do_rdonly,
	[FS_RENAME - FS_BASE] = do_rdonly,
	[FS_CHMOD - FS_BASE] = do_rdonly,
	[FS_CHOWN - FS_BASE] = do_rdonly,
	[FS_UTIME - FS_BASE] = do_rdonly,
	[FS_SYNC - FS_BASE] = do_sync,
};
/* clang-format on */
static const struct dispatch procfs_dispatch = DISPATCH(FS_BASE, procfs_calls, procfs_dump);

int
main(int argc, char **argv)
{
	message m;

	(void)argc;
	(void)argv;
	sef_startup();
	for (;;) {
		if (sef_receive(ANY, &m) < 0 || m.m_type == NOTIFY_MESSAGE)
			continue;
		dispatch_serve(&procfs_dispatch, m.m_source, &m);
	}
}
