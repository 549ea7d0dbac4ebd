/*
 * Reading a file: read_bytes() copies a range of it (holes read as
 * zeroes); READ and READLINK move it to the caller's grant MFS_IO_CHUNK
 * bytes at a time through iobuf, the one copy buffer (GETDENTS and WRITE
 * use it too).  A read takes at most the size of one inode.  Entry points:
 * read_bytes, do_read, do_readlink.
 */
#include <stdlib.h>
#include <string.h>
#include "mfs.h"

uint8_t iobuf[MFS_IO_CHUNK]
	__attribute__((aligned(4096))); /* a page: the kernel copies whole pages */

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

/*
 * The page cache: the bytes of PAGES recently read 4 KiB pages of regular
 * files, keyed by (inode, page), above the block cache.  A READ that lies
 * in one page is answered from it with one copy, without finding and
 * copying the file's blocks again (with 1 KiB blocks, four block lookups
 * and a 4 KiB copy into iobuf).  A page holds what read_bytes gave for
 * the file's bytes at the time; only WRITE and truncate_to change a
 * regular file's bytes or size, and an inode number names another file
 * only after new_inode: each drops the inode's pages (page_drop).  Its
 * pages come from the heap at mount, empty, and go back at unmount
 * (page_setup, page_release: an instance that mounts nothing holds none,
 * as the block cache's slots); a live update or a restart starts with it
 * empty.
 */
#define PAGES     16
#define PAGE_SIZE 4096

static struct page {
	fs_ino_t p_ino; /* 0: empty */
	uint64_t p_index;
	uint64_t p_used;
} pages[PAGES];
static uint8_t (*page_data)[PAGE_SIZE]; /* PAGES pages, page-aligned in page_mem */
static void *page_mem;
static unsigned pages_held; /* pages with an inode: page_drop has nothing to do at 0 */

void
page_drop(fs_ino_t ino)
{
	if (pages_held == 0)
		return;
	for (int i = 0; i < PAGES; i++)
		if (pages[i].p_ino == ino) {
			pages[i] = (struct page){ 0 };
			pages_held--;
		}
}

void
page_release(void)
{
	memset(pages, 0, sizeof(pages));
	pages_held = 0;
	free(page_mem);
	page_mem = NULL;
	page_data = NULL;
}

int
page_setup(void)
{
	page_release();
	if (!(page_mem = malloc(PAGES * PAGE_SIZE + PAGE_SIZE - 1)))
		return -ENOMEM;
	page_data = (uint8_t(*)[PAGE_SIZE])(((uintptr_t)page_mem + PAGE_SIZE - 1) &
					    ~(uintptr_t)(PAGE_SIZE - 1));
	return 0;
}

/* Page `index` of regular file `in` (its first `size - index*PAGE_SIZE` bytes good), or NULL on EIO. */
static const uint8_t *
page_get(const struct inode *in, uint64_t index, int *err)
{
	struct page *victim = &pages[0];
	uint64_t start = index * PAGE_SIZE;
	size_t n = in->i_d.i_size - start < PAGE_SIZE ? in->i_d.i_size - start : PAGE_SIZE;
	int i;

	for (i = 0; i < PAGES; i++) {
		if (pages[i].p_ino == in->i_num && pages[i].p_index == index) {
			pages[i].p_used = ++use_clock;
			return page_data[i];
		}
		if (pages[i].p_used < victim->p_used)
			victim = &pages[i];
	}
	i = (int)(victim - pages);
	if (victim->p_ino) {
		victim->p_ino = 0;
		pages_held--;
	}
	if ((*err = read_bytes(in, start, page_data[i], n)) < 0)
		return NULL;
	*victim = (struct page){ .p_ino = in->i_num, .p_index = index, .p_used = ++use_clock };
	pages_held++;
	return page_data[i];
}

/* READ and READLINK: file bytes to the caller's grant, in chunks (READ in one page: the page cache). */
static int
read_to_grant(endpoint_t caller, message *m, const struct inode *in, bool cache)
{
	struct msg_fs_io rq = m->m_fs_io;
	uint64_t size = in->i_d.i_size, done = 0, want;
	int r;

	if (rq.io_pos >= size)
		want = 0;
	else
		want = size - rq.io_pos < rq.io_size ? size - rq.io_pos : rq.io_size;
	if (cache && page_data && want > 0 && rq.io_pos % PAGE_SIZE + want <= PAGE_SIZE) {
		const uint8_t *p = page_get(in, rq.io_pos / PAGE_SIZE, &r);

		if (!p)
			return r;
		if ((r = sys_safecopyto(caller, rq.io_grant, 0, p + rq.io_pos % PAGE_SIZE, want)) <
		    0)
			return r;
		done = want;
	}
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
	return read_to_grant(caller, m, in, true);
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
	return read_to_grant(caller, m, in, false);
}
