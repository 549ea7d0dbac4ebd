/*
 * Changing a file's data: WRITE (zones allocated as the bytes reach them,
 * the size grown as they land; a short count when the disk fills) and
 * TRUNCATE (to any size: zone.c's truncate_to).  Both stamp mtime and
 * ctime with the time VFS sends.  Entry points: do_write, do_truncate.
 */
#include <string.h>
#include "mfs.h"

/* The opening checks WRITE and TRUNCATE share: a held regular file on a writable mount. */
static int
regular_file(fs_ino_t num, struct inode **ip)
{
	int r;

	if ((r = writable_inode(num, ip)) < 0)
		return r;
	if (!is_type(*ip, MFS_S_IFREG))
		return is_type(*ip, MFS_S_IFDIR) ? -EISDIR : -EINVAL;
	return 0;
}

/* The caller's bytes to the file, from io_pos on (WRITE). */
int
do_write(endpoint_t caller, message *m)
{
	struct msg_fs_io rq = m->m_fs_io;
	struct inode *in;
	uint64_t done = 0, want = rq.io_size;
	int r;

	if ((r = regular_file(rq.io_ino, &in)) < 0)
		return r;
	page_drop(in->i_num);
	if (rq.io_pos >= fs.sb.s_max_size && want > 0)
		return -EFBIG;
	if (rq.io_pos >= fs.sb.s_max_size)
		want = 0; /* nothing to write: the reply says 0 bytes */
	else if (want > fs.sb.s_max_size - rq.io_pos)
		want = fs.sb.s_max_size - rq.io_pos;
	while (done < want && r == 0) {
		size_t chunk = want - done < MFS_IO_CHUNK ? want - done : MFS_IO_CHUNK, put = 0;

		if ((r = sys_safecopyfrom(caller, rq.io_grant, done, iobuf, chunk)) < 0)
			break;
		while (put < chunk) {
			uint64_t pos = rq.io_pos + done + put, off = pos % fs.bs;
			size_t n = fs.bs - off < chunk - put ? fs.bs - off : chunk - put;
			int64_t zone = bmap_at(in, pos / fs.bs, true);
			uint8_t *block;

			if (zone <= 0) {
				r = zone < 0 ? (int)zone : -EIO;
				break;
			}
			/* A whole block is overwritten: no need to read it first. */
			if (!(block = get_block_rw((uint64_t)zone, n != fs.bs))) {
				r = -EIO;
				break;
			}
			memcpy(block + off, iobuf + put, n);
			put += n;
			if (pos + n > in->i_d.i_size)
				in->i_d.i_size = (uint32_t)(pos + n);
		}
		done += put;
	}
	if (done > 0)
		stamp(in, T_MTIME | T_CTIME, rq.io_time);
	if (write_inode(in) < 0 && r == 0)
		r = -EIO;
	if (done == 0 && r < 0)
		return r;
	/* Part of it went: the bytes that did (the next write meets the error). */
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = rq.io_pos + done, .r_bytes = done };
	return 0;
}

/* TRUNCATE to any size: the zones past it freed, or a hole to it. */
int
do_truncate(endpoint_t caller, message *m)
{
	struct inode *in;
	uint64_t size = m->m_fs_attr.a_size;
	int r;

	(void)caller;
	if ((r = regular_file(m->m_fs_attr.a_ino, &in)) < 0)
		return r;
	if (size > fs.sb.s_max_size)
		return -EFBIG;
	stamp(in, T_MTIME | T_CTIME, m->m_fs_attr.a_ctime);
	return truncate_to(in, size);
}
