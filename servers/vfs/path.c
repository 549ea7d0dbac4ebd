/*
 * Path lookup across mounts and symbolic links, the copies to and from a
 * caller's memory, and permission checks (docs/files.md, "Lookup").
 *
 * VFS hands an FS the whole rest of a path (FS_LOOKUP) and goes on from
 * its answer: the end (a node), a mount point entered (EENTERMOUNT: on at
 * the mounted root), ".." out of an FS's root (ELEAVEMOUNT: on at the
 * covered directory, whose FS walks that ".."), or a symbolic link
 * (ESYMLINK: VFS reads the link, splices its text in place of the link's
 * name, and walks again; more than SYMLOOP_MAX links in one call is
 * ELOOP).  A path is at most LX_PATH_MAX bytes with its NUL, before and
 * after splicing (ENAMETOOLONG); a component longer than the FS's names
 * is the FS's ENAMETOOLONG.
 */
#include "vfs_int.h"
#include <string.h>

/* Copy len bytes from the caller's addr: 0 or -EFAULT. */
int
copy_from_user(struct fproc *fp, uint64_t addr, void *dst, size_t len)
{
	grant_id_t g;
	int r;

	if (len == 0)
		return 0;
	g = cpf_grant_magic(self_endpoint, fp->fp_endpt, addr, len, GRANT_READ);
	if (g == GRANT_INVALID)
		return -EFAULT;
	r = sys_safecopyfrom(self_endpoint, g, 0, dst, len);
	cpf_revoke(g);
	return r < 0 ? -EFAULT : 0;
}

int
copy_to_user(struct fproc *fp, uint64_t addr, const void *src, size_t len)
{
	grant_id_t g;
	int r;

	if (len == 0)
		return 0;
	g = cpf_grant_magic(self_endpoint, fp->fp_endpt, addr, len, GRANT_WRITE);
	if (g == GRANT_INVALID)
		return -EFAULT;
	r = sys_safecopyto(self_endpoint, g, 0, src, len);
	cpf_revoke(g);
	return r < 0 ? -EFAULT : 0;
}

/*
 * The NUL-terminated path at the caller's addr into buf (LX_PATH_MAX
 * bytes): its length, -EFAULT, or -ENAMETOOLONG.  It is copied a page at a
 * time, so a short path just before an unmapped page is not a fault; the
 * first piece is at most PATH_FIRST bytes, since a copy costs an
 * instruction per byte (unaligned) and most paths are short: a copy to the
 * end of the page cost up to 4,000 instructions for an 8-byte path, more
 * or less by where the linker had put the string.
 */
#define PATH_FIRST 128

int
path_copy_in(struct fproc *fp, uint64_t addr, char *buf)
{
	size_t done = 0;

	while (done < LX_PATH_MAX) {
		size_t chunk = 4096 - ((addr + done) & 4095);
		char *nul;

		if (done == 0 && chunk > PATH_FIRST)
			chunk = PATH_FIRST;
		if (chunk > LX_PATH_MAX - done)
			chunk = LX_PATH_MAX - done;
		if (copy_from_user(fp, addr + done, buf + done, chunk) < 0)
			return -EFAULT;
		if ((nul = memchr(buf + done, '\0', chunk)))
			return (int)(nul - buf);
		done += chunk;
	}
	return -ENAMETOOLONG;
}

/* The vnode a *at() call starts from: its own reference, or -E. */
static int
start_dir(struct fproc *fp, int dirfd, const char *path, struct vnode **out)
{
	struct filp *f;

	if (path[0] == '/')
		*out = fp->fp_root;
	else if (dirfd == LX_AT_FDCWD)
		*out = fp->fp_cwd;
	else if (!(f = fd_filp(fp, dirfd)))
		return -EBADF;
	else if (!LX_ISDIR(f->f_vno->v_mode))
		return -ENOTDIR;
	else
		*out = f->f_vno;
	vnode_dup(*out);
	return 0;
}

/* Read a link's text into out (LX_PATH_MAX bytes): its length or -E. */
static int
read_link(struct vnode *link, char *out)
{
	grant_id_t g = cpf_grant_direct(link->v_mnt->m_fs, out, LX_PATH_MAX - 1, GRANT_WRITE);
	uint64_t bytes = 0;
	int r;

	if (g == GRANT_INVALID)
		return -ENOMEM;
	r = fs_io(link, FS_READLINK, 0, g, LX_PATH_MAX - 1, NULL, &bytes);
	cpf_revoke(g);
	if (r < 0)
		return r;
	out[bytes] = '\0';
	return (int)bytes;
}

/*
 * The last lookup's answer for the node it ended on, which holds what
 * STAT would say (r_nlink != 0): stat(2) of a path answers from it.  Good
 * for the rest of the Linux call only (main.c forgets it at each call).
 */
static struct {
	const struct vnode *v;
	struct msg_fs_lookup_reply rp;
} last;

void
lookup_attrs_forget(void)
{
	last.v = NULL;
}

bool
lookup_attrs(const struct vnode *v, struct msg_fs_stat *st)
{
	const struct msg_fs_lookup_reply *rp = &last.rp;

	if (v != last.v || rp->r_nlink == 0 || v->v_mnt->m_blksize == 0)
		return false;
	*st = (struct msg_fs_stat){ .s_ino = rp->r_ino,
				    .s_size = rp->r_size,
				    .s_mode = rp->r_mode,
				    .s_nlink = rp->r_nlink,
				    .s_uid = rp->r_uid,
				    .s_gid = rp->r_gid,
				    .s_rdev = rp->r_rdev,
				    .s_atime = rp->r_atime,
				    .s_mtime = rp->r_mtime,
				    .s_ctime = rp->r_ctime,
				    .s_blocks = rp->r_blocks,
				    .s_blksize = v->v_mnt->m_blksize };
	return true;
}

static char walk[LX_PATH_MAX + 1];  /* the path being walked */
static char ltext[LX_PATH_MAX + 1]; /* a link's text */
static char spliced[LX_PATH_MAX + 1];

/*
 * Resolve path (NUL-terminated, in VFS's memory) for fp from dirfd: *res
 * the node, with a reference for the caller.  PATH_FOLLOW follows a link
 * in the last component.  Not re-entrant (one lookup at a time: VFS has
 * one thread).
 */
int
lookup(struct fproc *fp, int dirfd, const char *path, int flags, struct vnode **res)
{
	size_t len = strlen(path), off = 0;
	bool want_dir = len > 0 && path[len - 1] == '/';
	struct vnode *cur, *v = NULL;
	int loops = 0, r;

	last.v = NULL;
	if (len == 0)
		return -ENOENT;
	if (len >= LX_PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = start_dir(fp, dirfd, path, &cur)) < 0)
		return r;
	memcpy(walk, path, len + 1);
	for (;;) {
		struct msg_fs_lookup_reply rp;
		grant_id_t g;
		message m;
		size_t rest;

		while (walk[off] == '/')
			off++;
		if (!walk[off]) {
			if (want_dir && !LX_ISDIR(cur->v_mode)) {
				vnode_put(cur);
				return -ENOTDIR;
			}
			*res = cur;
			return 0;
		}
		rest = strlen(walk + off);
		g = cpf_grant_direct(cur->v_mnt->m_fs, walk + off, rest, GRANT_READ);
		if (g == GRANT_INVALID) {
			vnode_put(cur);
			return -ENOMEM;
		}
		memset(&m, 0, sizeof(m));
		m.m_fs_lookup.l_dir = cur->v_ino;
		m.m_fs_lookup.l_root = fp->fp_root->v_mnt == cur->v_mnt ? fp->fp_root->v_ino : 0;
		m.m_fs_lookup.l_path = g;
		m.m_fs_lookup.l_len = (uint32_t)rest;
		m.m_fs_lookup.l_flags = (flags & PATH_FOLLOW) || want_dir ? 0 : FS_LOOKUP_NOFOLLOW;
		m.m_fs_lookup.l_uid = fp->fp_euid;
		m.m_fs_lookup.l_gid = fp->fp_egid;
		m.m_fs_lookup.l_pid = fp->fp_pid; /* procfs answers /proc/self by it */
		r = fs_call(cur->v_mnt, FS_LOOKUP, &m);
		cpf_revoke(g);
		rp = m.m_fs_lookup_reply;
		if (r == 0 || r == -EENTERMOUNT || r == -ESYMLINK) {
			if (rp.r_offset > rest) { /* an FS that lies about the path */
				vnode_put(cur);
				return -EIO;
			}
			v = vnode_get(cur->v_mnt, rp.r_ino, rp.r_size, rp.r_mode, rp.r_uid,
				      rp.r_gid, rp.r_rdev);
			if (!v) {
				vnode_put(cur);
				return -ENFILE;
			}
		}
		switch (r) {
		case 0:
			last.v = v;
			last.rp = rp;
			vnode_put(cur);
			if (v->v_mounted) { /* the walk ended on a mount point */
				cur = v->v_mounted->m_root;
				vnode_dup(cur);
				vnode_put(v);
				v = cur;
			}
			if (want_dir && !LX_ISDIR(v->v_mode)) {
				vnode_put(v);
				return -ENOTDIR;
			}
			*res = v;
			return 0;
		case -EENTERMOUNT:
			if (!v->v_mounted) {
				vnode_put(v);
				vnode_put(cur);
				return -EIO;
			}
			vnode_put(cur);
			cur = v->v_mounted->m_root;
			vnode_dup(cur);
			vnode_put(v);
			off += rp.r_offset;
			break;
		case -ELEAVEMOUNT:
			if (rp.r_offset > rest) {
				vnode_put(cur);
				return -EIO;
			}
			off += rp.r_offset; /* at the ".." */
			if (strncmp(walk + off, "..", 2) != 0) {
				vnode_put(cur);
				return -EIO;
			}
			if (!cur->v_mnt->m_covered || cur == fp->fp_root) {
				off += 2; /* ".." of the top stays there */
				break;
			}
			v = cur->v_mnt->m_covered;
			vnode_dup(v);
			vnode_put(cur);
			cur = v; /* its FS walks the ".." */
			break;
		case -ESYMLINK: {
			size_t name_end = off + rp.r_offset, name_start = name_end, tail, pre;
			int n;

			if (++loops > SYMLOOP_MAX) {
				vnode_put(v);
				vnode_put(cur);
				return -ELOOP;
			}
			n = read_link(v, ltext);
			vnode_put(v);
			if (n <= 0) {
				vnode_put(cur);
				return n == 0 ? -ENOENT : n;
			}
			while (name_start > off && walk[name_start - 1] != '/')
				name_start--;
			tail = strlen(walk + name_end);
			pre = ltext[0] == '/' ? 0 : name_start - off;
			if (pre + (size_t)n + tail >= LX_PATH_MAX) {
				vnode_put(cur);
				return -ENAMETOOLONG;
			}
			memcpy(spliced, walk + off, pre);
			memcpy(spliced + pre, ltext, (size_t)n);
			memcpy(spliced + pre + n, walk + name_end, tail + 1);
			memcpy(walk, spliced, pre + (size_t)n + tail + 1);
			off = 0;
			if (ltext[0] == '/') {
				vnode_put(cur);
				cur = fp->fp_root;
				vnode_dup(cur);
			}
			break;
		}
		default:
			vnode_put(cur);
			return r < 0 ? r : -EIO;
		}
	}
}

/*
 * The directory that holds path's last component, and that component in
 * last (NAME_MAX + 1 bytes): "." for "/" and for a path of slashes.
 * Trailing slashes are dropped (mkdir("a/") makes "a").
 */
int
lookup_parent(struct fproc *fp, int dirfd, const char *path, struct vnode **dir, char *last)
{
	static char dpath[LX_PATH_MAX + 1];
	size_t len = strlen(path), start;
	int r;

	if (len == 0)
		return -ENOENT;
	if (len >= LX_PATH_MAX)
		return -ENAMETOOLONG;
	while (len > 1 && path[len - 1] == '/')
		len--;
	start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (len - start > 255)
		return -ENAMETOOLONG;
	if (start == len) { /* "/" */
		strlcpy(last, ".", 256);
		strlcpy(dpath, "/", sizeof(dpath));
	} else {
		memcpy(last, path + start, len - start);
		last[len - start] = '\0';
		if (start == 0)
			strlcpy(dpath, ".", sizeof(dpath));
		else {
			memcpy(dpath, path, start);
			dpath[start] = '\0';
		}
	}
	if ((r = lookup(fp, dirfd, dpath, PATH_FOLLOW, dir)) < 0)
		return r;
	if (!LX_ISDIR((*dir)->v_mode)) {
		vnode_put(*dir);
		return -ENOTDIR;
	}
	return 0;
}

static char upath[LX_PATH_MAX + 1];

/* lookup() of a path in the caller's memory. */
int
lookup_user(struct fproc *fp, int dirfd, uint64_t addr, int flags, struct vnode **res)
{
	int r;

	if ((r = path_copy_in(fp, addr, upath)) < 0)
		return r;
	return lookup(fp, dirfd, upath, flags, res);
}

/*
 * May fp read (4), write (2) or search/execute (1) v?  0 or -EACCES.  Root
 * may do everything but execute a file no one may execute.  The real ids
 * for access(), the effective ones otherwise.
 */
int
may_access(const struct fproc *fp, const struct vnode *v, int bits, bool real_ids)
{
	uint32_t uid = real_ids ? fp->fp_uid : fp->fp_euid;
	uint32_t gid = real_ids ? fp->fp_gid : fp->fp_egid;
	uint32_t perm;

	if (uid == 0) {
		if ((bits & 1) && !LX_ISDIR(v->v_mode) && !(v->v_mode & 0111))
			return -EACCES;
		return 0;
	}
	if (uid == v->v_uid)
		perm = (v->v_mode >> 6) & 7;
	else if (gid == v->v_gid)
		perm = (v->v_mode >> 3) & 7;
	else
		perm = v->v_mode & 7;
	return ((uint32_t)bits & ~perm) ? -EACCES : 0;
}
