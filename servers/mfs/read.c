/*
 * Reading a file: read_bytes() copies a range of it (holes read as
 * zeroes); READ and READLINK move it to the caller's grant MFS_IO_CHUNK
 * bytes at a time through iobuf, the one copy buffer (GETDENTS and WRITE
 * use it too).  A read takes at most the size of one inode.  Entry points:
 * read_bytes, do_read, do_readlink.
 */
#include <string.h>
#include "mfs.h"

uint8_t iobuf[MFS_IO_CHUNK] __attribute__((aligned(64))); /* as the blocks: 8 bytes a step */

/* Copy bytes [pos, pos + len) of the file into buf (holes read as zeroes). */
int
read_bytes(const struct inode *in, uint64_t pos, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len > 0) {
		uint64_t off = pos % fs.bs;
		size_t n = fs.bs - off < len ? fs.bs - off : len;
		int64_t zone = bmap(in, pos / fs.bs);
		const uint8_t *block;

		if (zone < 0)
			return (int)zone;
		if (zone == 0) {
			memset(out, 0, n);
		} else {
			if (!(block = get_block((uint64_t)zone)))
				return -EIO;
			memcpy(out, block + off, n);
		}
		out += n;
		pos += n;
		len -= n;
	}
	return 0;
}

/* READ and READLINK: file bytes to the caller's grant, in chunks. */
static int
read_to_grant(endpoint_t caller, message *m, const struct inode *in)
{
	struct msg_fs_io rq = m->m_fs_io;
	uint64_t size = in->i_d.i_size, done = 0, want;
	int r;

	if (rq.io_pos >= size)
		want = 0;
	else
		want = size - rq.io_pos < rq.io_size ? size - rq.io_pos : rq.io_size;
	while (done < want) {
		size_t n = want - done < MFS_IO_CHUNK ? want - done : MFS_IO_CHUNK;

		if ((r = read_bytes(in, rq.io_pos + done, iobuf, n)) < 0)
			return r;
		if ((r = sys_safecopyto(caller, rq.io_grant, done, iobuf, n)) < 0)
			return r;
		done += n;
	}
	m->m_fs_io_reply = (struct msg_fs_io_reply){ .r_pos = rq.io_pos + done, .r_bytes = done };
	return 0;
}

int
do_read(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_io.io_ino);

	if (!fs.mounted || !in)
		return -EINVAL;
	if (is_type(in, MFS_S_IFDIR))
		return -EISDIR;
	if (!is_type(in, MFS_S_IFREG))
		return -EINVAL;
	touch_atime(in, m->m_fs_io.io_time);
	return read_to_grant(caller, m, in);
}

int
do_readlink(endpoint_t caller, message *m)
{
	struct inode *in = held_inode(m->m_fs_io.io_ino);

	if (!fs.mounted || !in)
		return -EINVAL;
	if (!is_type(in, MFS_S_IFLNK))
		return -EINVAL;
	m->m_fs_io.io_pos = 0;
	return read_to_grant(caller, m, in);
}
