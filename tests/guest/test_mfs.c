/*
 * MFS, the Minix v3 file system server, through the VFS-FS protocol
 * (ax/vfs_fs.h): this file is its client exactly as VFS will be, granting
 * names and buffers and holding inode references it gives back with
 * PUTNODE.  The disk is the memory driver's fsimage drive, made on the
 * host (tools/axrun.py): its first partition holds the tree of
 * tests/guest/mfs_tree.h (mkfs.minix -3, then tools/mkfs_tree.py), its
 * second an empty file system for the write tests.  The corruption and
 * full-disk tests copy the first to RAM disk 3 and work on the copy.
 */
#include "guest.h"
#include "sefsvc_proto.h"
#include "mfs_tree.h"
#include <bdev.h>
#include <ax/memory.h>
#include <ax/vfs_fs.h>
#include "mfs_client.h"
#include <stdlib.h>

#define KIB          1024
#define FSIMG_BYTES  (2048 * KIB) /* tools/axrun.py: FSIMAGE_KIB */
#define CORRUPT_DISK 3            /* RAM disk for the damaged copies */

/*
 * A copy of the file-system image (and of what a refused mount left, in
 * damaged_rw), from the heap of the tests that use them: in bss they would
 * be 4 MiB of every test process (tests/guest is one program), too much
 * for a small machine (vm.all_ram).
 */
static uint8_t *image, *back;

static bool
images(void)
{
	if (!image)
		image = malloc(FSIMG_BYTES);
	if (!back)
		back = malloc(FSIMG_BYTES);
	return image && back;
}

TEST(mfs, linux_mkfs,
     "an image from mkfs.minix -3 mounts in MFS and every file reads back as the host wrote it")
{
	struct msg_fs_lookup_reply lr;
	fs_ino_t root;
	uint64_t next;
	int64_t n;
	bool seen_hello = false, seen_dir = false, seen_n60 = false;

	EXPECT(mfs_setup(), "mfs is not running");
	EXPECT_EQ(fs_mount(MEMORY_FSIMG + 1, &root), 0);
	EXPECT_EQ(root, 1);
	EXPECT_EQ(fs_mount(MEMORY_FSIMG + 1, &root), -EBUSY);

	/* Every file of the tree: size, then contents, read in odd-sized pieces. */
	for (size_t i = 0; i < ARRAY_SIZE(mfs_tree); i++) {
		const struct mfs_tree_file *f = &mfs_tree[i];
		size_t piece = i % 2 ? 3000 : 4096;

		EXPECT_EQ(fs_lookup(root, f->path, 0, &lr), 0);
		EXPECT(lr.r_size == f->size, "%s: size %llu, not %u", f->path,
		       (unsigned long long)lr.r_size, f->size);
		EXPECT((lr.r_mode & 0170000) == 0100000, "%s: mode %o", f->path, lr.r_mode);
		n = read_file(lr.r_ino, piece);
		EXPECT(n == f->size, "%s: read %lld bytes", f->path, (long long)n);
		EXPECT(fnv(filebuf, f->size) == expected_fnv(f), "%s: checksum differs", f->path);
		EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	}
	/* An unaligned read in the middle of the double indirect part. */
	EXPECT_EQ(fs_lookup(root, "/double", 0, &lr), 0);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 290001, filebuf, 5000, &next), 5000);
	EXPECT_EQ(next, 295001);
	for (uint32_t i = 0; i < 5000; i++)
		EXPECT(filebuf[i] == mfs_tree_byte(4, 290001 + i), "double: byte %u", 290001 + i);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 300000, filebuf, 100, NULL), 0); /* end of file */
	EXPECT_EQ(fs_putnode(lr.r_ino, 2), -EINVAL);                        /* more than held */
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 100, NULL), -EINVAL); /* not held */

	EXPECT_EQ(fs_lookup(root, "hello.txt", 0, &lr), 0);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 200, NULL), (int64_t)strlen(MFS_HELLO));
	EXPECT(memcmp(filebuf, MFS_HELLO, strlen(MFS_HELLO)) == 0, "hello.txt differs");
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);

	/* STAT and STATFS. */
	{
		struct fs_statfs st;
		message m;

		EXPECT_EQ(fs_lookup(root, "indirect", 0, &lr), 0);
		memset(&m, 0, sizeof(m));
		m.m_fs_inode.i_ino = lr.r_ino;
		EXPECT_EQ(fs_call(FS_STAT, &m), 0);
		EXPECT_EQ(m.m_fs_stat.s_ino, lr.r_ino);
		EXPECT_EQ(m.m_fs_stat.s_size, 100000);
		EXPECT_EQ(m.m_fs_stat.s_mode & 0170000, 0100000);
		EXPECT_EQ(m.m_fs_stat.s_nlink, 1);
		EXPECT_EQ(m.m_fs_stat.s_blksize, 1024);
		/* 98 data blocks and an indirect one, in 512-byte units: Linux's count. */
		EXPECT_EQ(m.m_fs_stat.s_blocks, 198);
		EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
		EXPECT_EQ(fs_call(FS_STAT, &m), -EINVAL); /* no longer held */
		memset(&st, 0, sizeof(st));
		EXPECT_EQ(fs_io(FS_STATFS, 0, 0, &st, sizeof(st), NULL), 0);
		EXPECT_EQ(st.f_magic, 0x4d5a);
		EXPECT_EQ(st.f_bsize, 1024);
		EXPECT_EQ(st.f_blocks,
			  2048 - 47); /* the data zones (firstdatazone 47), as Linux says */
		/* The files' data (about 420 KiB) and the tables are in use. */
		EXPECT(st.f_bfree > 1000 && st.f_bfree < 2048 - 420, "f_bfree %llu",
		       (unsigned long long)st.f_bfree);
		EXPECT(st.f_ffree + 12 <= st.f_files, "f_ffree %llu of %llu",
		       (unsigned long long)st.f_ffree, (unsigned long long)st.f_files);
	}

	/* A mount point: lookups stop there with EENTERMOUNT. */
	{
		message m;
		fs_ino_t dir;

		EXPECT_EQ(fs_lookup(root, "dir", 0, &lr), 0);
		dir = lr.r_ino;
		memset(&m, 0, sizeof(m));
		m.m_fs_inode.i_ino = dir;
		EXPECT_EQ(fs_call(FS_MOUNTPOINT, &m), 0);
		EXPECT_EQ(fs_call(FS_MOUNTPOINT, &m), -EBUSY);
		EXPECT_EQ(fs_lookup(root, "dir/sub/deep", 0, &lr), -EENTERMOUNT);
		EXPECT_EQ(lr.r_ino, dir);
		EXPECT_EQ(lr.r_offset, 3);
		EXPECT_EQ(fs_putnode(dir, 2), 0);
		EXPECT_EQ(fs_lookup(root, "dir/sub/deep", 0, &lr),
			  0); /* unmarked with the last reference */
		EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	}

	/* Paths: "." and "//" skipped, ".." at the root leaves the FS, errors. */
	EXPECT_EQ(fs_lookup(root, "./dir//sub/./deep", 0, &lr), 0);
	EXPECT_EQ(lr.r_size, 5000);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup(root, "dir/sub/../../small", 0, &lr), 0);
	EXPECT_EQ(lr.r_size, 100);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup(root, "dir/../..", 0, &lr), -ELEAVEMOUNT);
	EXPECT_EQ(lr.r_offset, 7);
	EXPECT_EQ(fs_lookup(root, "nosuch", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_lookup(root, "small/x", 0, &lr), -ENOTDIR);
	EXPECT_EQ(fs_lookup(root, MFS_N60 "n", 0, &lr), -ENAMETOOLONG);
	EXPECT_EQ(fs_lookup(12345, "small", 0, &lr), -EINVAL); /* no reference held */

	/* The symlink: ESYMLINK with the rest's offset, its text by READLINK. */
	EXPECT_EQ(fs_lookup(root, MFS_LINK, 0, &lr), -ESYMLINK);
	EXPECT_EQ(lr.r_offset, strlen(MFS_LINK));
	n = fs_io(FS_READLINK, lr.r_ino, 0, filebuf, 100, NULL);
	EXPECT(n == (int64_t)strlen(MFS_LINK_TARGET) && memcmp(filebuf, MFS_LINK_TARGET, n) == 0,
	       "readlink: %lld", (long long)n);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup(root, MFS_LINK, FS_LOOKUP_NOFOLLOW, &lr), 0);
	EXPECT_EQ(lr.r_mode & 0170000, 0120000);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);

	/* The root's entries, by GETDENTS in small batches. */
	for (uint64_t pos = 0;; pos = next) {
		n = fs_io(FS_GETDENTS, root, pos, filebuf, 100, &next);
		EXPECT(n >= 0, "getdents: %lld", (long long)n);
		if (n == 0)
			break;
		for (int64_t off = 0; off < n;) {
			struct fs_dirent64 *d = (struct fs_dirent64 *)(filebuf + off);

			EXPECT(d->d_reclen >= 24 && d->d_reclen % 8 == 0, "reclen %u", d->d_reclen);
			seen_hello |= strcmp(d->d_name, "hello.txt") == 0;
			seen_dir |= strcmp(d->d_name, "dir") == 0;
			seen_n60 |= strcmp(d->d_name, MFS_N60) == 0;
			off += d->d_reclen;
		}
	}
	EXPECT(seen_hello && seen_dir && seen_n60, "getdents misses entries: %d %d %d", seen_hello,
	       seen_dir, seen_n60);
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_lookup(root, "small", 0, &lr), -EINVAL); /* nothing mounted */
}

/* The inode number `path` has in the good image, found through MFS. */
static fs_ino_t
ino_of(fs_ino_t root, const char *path)
{
	struct msg_fs_lookup_reply lr;

	if (fs_lookup(root, path, 0, &lr) != 0)
		return 0;
	fs_putnode(lr.r_ino, 1);
	return lr.r_ino;
}

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * The damaged image onto the RAM disk, mounted: what reading the first 100
 * bytes of `path` answers (bytes, or -E).
 */
static int64_t
damaged_read(bdev_t ram, const char *path)
{
	struct msg_fs_lookup_reply lr;
	fs_ino_t root;
	int64_t r;

	if (bdev_write(ram, 0, image, FSIMG_BYTES, 0) != FSIMG_BYTES)
		return -EIO - 1000;
	if ((r = fs_mount(MEMORY_RAM(CORRUPT_DISK), &root)) < 0)
		return r - 1000; /* not a read error */
	if ((r = fs_lookup(root, path, 0, &lr)) == 0) {
		r = fs_io(FS_READ, lr.r_ino, 0, filebuf, 100, NULL);
		fs_putnode(lr.r_ino, 1);
	}
	fs_unmount();
	return r;
}

/*
 * The damaged image onto the RAM disk: a writable mount must be refused
 * with EIO and leave the disk exactly as it was (not one byte written),
 * and a read-only mount must still work.  0, or a negative line number.
 */
static int
rw_refused(bdev_t ram)
{
	fs_ino_t root;

	if (bdev_write(ram, 0, image, FSIMG_BYTES, 0) != FSIMG_BYTES)
		return -__LINE__;
	if (fs_mount_rw(MEMORY_RAM(CORRUPT_DISK), &root) != -EIO)
		return -__LINE__;
	if (bdev_read(ram, 0, back, FSIMG_BYTES, 0) != FSIMG_BYTES ||
	    memcmp(back, image, FSIMG_BYTES) != 0)
		return -__LINE__;
	if (fs_mount(MEMORY_RAM(CORRUPT_DISK), &root) != 0)
		return -__LINE__;
	if (fs_unmount() != 0)
		return -__LINE__;
	return 0;
}

static void
flip_bit(uint8_t *map, uint64_t bit)
{
	map[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

TEST(mfs, corrupt, "a damaged image gives a mount error or EIO, and MFS goes on answering")
{
	int d = bdev_driver("memory");
	bdev_t img = bdev_dev(d, MEMORY_FSIMG + 1), ram = bdev_dev(d, MEMORY_RAM(CORRUPT_DISK));
	struct msg_fs_lookup_reply lr;
	uint64_t size = FSIMG_BYTES;
	uint32_t imap, zmap, itable, zones, ninodes, first;
	fs_ino_t root, small, dirino, direct;
	uint8_t *sb, *inode;
	int64_t n;

	EXPECT(mfs_setup(), "mfs is not running");
	EXPECT(images(), "no memory for the images");
	sb = image + 1024;
	EXPECT(d >= 0, "bdev_driver: %d", d);
	EXPECT_EQ(bdev_open(img, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_read(img, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
	EXPECT_EQ(bdev_close(img), 0);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	ninodes = le32(sb);
	imap = sb[6] | sb[7] << 8;
	zmap = sb[8] | sb[9] << 8;
	first = sb[10] | sb[11] << 8;
	zones = le32(sb + 20);
	itable = 2 + imap + zmap;

	/* The good copy mounts; learn two inode numbers from it. */
	EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
	EXPECT_EQ(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root), 0);
	small = ino_of(root, "small");
	dirino = ino_of(root, "dir");
	direct = ino_of(root, "direct");
	EXPECT(small != 0 && dirino != 0 && direct != 0, "lookups in the good copy failed");
	EXPECT_EQ(fs_unmount(), 0);

	/* Bad superblocks: each refused at mount. */
	static const struct {
		int off, width;
		uint32_t value;
		const char *what;
	} bad_super[] = {
		{ 24, 2, 0x1234, "magic" },
		{ 28, 2, 3000, "block size" },
		{ 28, 2, 8192, "block size too large" },
		{ 12, 2, 1, "zone size" },
		{ 20, 4, 0x7fffffff, "zones past the device" },
		{ 10, 2, 3, "data zone inside the inode table" },
		{ 6, 2, 0, "no inode map" },
		{ 0, 4, 0, "no inodes" },
		{ 14, 2, 0x0100, "mandatory flag MFS does not know" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad_super); i++) {
		uint8_t saved[4];

		memcpy(saved, sb + bad_super[i].off, 4);
		for (int b = 0; b < bad_super[i].width; b++)
			sb[bad_super[i].off + b] = (uint8_t)(bad_super[i].value >> (8 * b));
		EXPECT_EQ(bdev_write(ram, 1024, sb, 1024, 0), 1024);
		EXPECT(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root) == -EINVAL,
		       "a superblock with a bad %s mounted", bad_super[i].what);
		memcpy(sb + bad_super[i].off, saved, 4);
	}
	EXPECT_EQ(bdev_write(ram, 1024, sb, 1024, 0), 1024);

	/* The root inode not a directory: refused. */
	inode = image + itable * 1024; /* inode 1 */
	inode[1] = 0x80;               /* S_IFREG */
	EXPECT_EQ(bdev_write(ram, itable * 1024, image + itable * 1024, 1024, 0), 1024);
	EXPECT_EQ(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root), -EINVAL);
	inode[1] = 0x41; /* S_IFDIR | 0755's high byte */

	/*
	 * Zones outside the data area: "small"'s first zone past the device,
	 * in the inode table, just before the data area: EIO, never the
	 * wrong bytes.
	 */
	inode = image + itable * 1024 + (small - 1) * 64;
	put32(inode + 24, zones); /* the first block past the device */
	EXPECT_EQ(damaged_read(ram, "small"), -EIO);
	put32(inode + 24, itable + 1);
	EXPECT_EQ(damaged_read(ram, "small"), -EIO);
	put32(inode + 24, first - 1); /* the last block before the data area */
	EXPECT_EQ(damaged_read(ram, "small"), -EIO);

	/* A bad directory entry: an inode number past the table, a '/' in a name. */
	{
		uint32_t dzone = le32(image + itable * 1024 + (dirino - 1) * 64 + 24);
		uint8_t *ents = image + dzone * 1024;

		EXPECT(dzone >= first && dzone < zones, "dir's zone %u", dzone);
		put32(ents + 2 * 64, ninodes + 5); /* "sub", the third entry */
		EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
		EXPECT_EQ(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root), 0);
		EXPECT_EQ(fs_lookup(root, "dir/sub/deep", 0, &lr), -EIO);
		EXPECT_EQ(fs_lookup(root, "dir", 0, &lr), 0);
		n = fs_io(FS_GETDENTS, lr.r_ino, 0, filebuf, 4096, NULL);
		EXPECT_EQ(n, -EIO);
		EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
		EXPECT_EQ(fs_unmount(), 0);

		/*
		 * A directory loop: "sub" made a link back to "dir" itself,
		 * named "s/b" is refused; named "sub" a lookup through it is
		 * bounded by the path and ends.
		 */
		put32(ents + 2 * 64, (uint32_t)dirino);
		EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
		EXPECT_EQ(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root), 0);
		EXPECT_EQ(fs_lookup(root, "dir/sub/sub/sub/sub/sub/sub/sub/sub/nosuch", 0, &lr),
			  -ENOENT);
		EXPECT_EQ(fs_unmount(), 0);
		ents[2 * 64 + 5] = '/'; /* "s/b" */
		EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
		EXPECT_EQ(fs_mount(MEMORY_RAM(CORRUPT_DISK), &root), 0);
		EXPECT_EQ(fs_lookup(root, "dir/nosuch", 0, &lr), -EIO);
		EXPECT_EQ(fs_unmount(), 0);
	}

	/*
	 * Lies a writable mount would act on (check.c): each refused with
	 * EIO before one byte is written, the read-only mount still served.
	 * The good copy is mounted writable first, to show the check passes
	 * what is true.
	 */
	{
		uint8_t *imap_blk = image + 2 * 1024, *zmap_blk = image + (2 + imap) * 1024;
		uint8_t *small_in = image + itable * 1024 + (small - 1) * 64;
		uint8_t *dir_in = image + itable * 1024 + (dirino - 1) * 64;
		uint32_t szone, dzone;
		uint8_t *direct_in = image + itable * 1024 + (direct - 1) * 64;
		uint8_t saved[64];

		/* The pristine image again: the cases above left their damage in it. */
		EXPECT_EQ(bdev_open(img, BDEV_R_BIT), 0);
		EXPECT_EQ(bdev_read(img, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
		EXPECT_EQ(bdev_close(img), 0);
		szone = le32(small_in + 24);
		dzone = le32(dir_in + 24);
		EXPECT(szone >= first && dzone >= first, "zones %u %u", szone, dzone);
		EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
		EXPECT_EQ(fs_mount_rw(MEMORY_RAM(CORRUPT_DISK), &root), 0);
		EXPECT_EQ(fs_unmount(), 0);
		EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0),
			  FSIMG_BYTES); /* the clean bit */

		flip_bit(imap_blk, small); /* an inode in use, free in the map */
		EXPECT_EQ(rw_refused(ram), 0);
		flip_bit(imap_blk, small);
		flip_bit(imap_blk, ninodes); /* a free inode marked in use */
		EXPECT_EQ(rw_refused(ram), 0);
		flip_bit(imap_blk, ninodes);
		flip_bit(zmap_blk, szone - first + 1); /* a zone in use, free in the map */
		EXPECT_EQ(rw_refused(ram), 0);
		flip_bit(zmap_blk, szone - first + 1);
		flip_bit(zmap_blk, zones - first); /* the last zone, free, marked in use */
		EXPECT_EQ(rw_refused(ram), 0);
		flip_bit(zmap_blk, zones - first);
		memcpy(saved, small_in, 64);
		put32(small_in + 24, zones + 1000); /* an inode pointing outside the device */
		EXPECT_EQ(rw_refused(ram), 0);
		memcpy(small_in, saved, 64);
		small_in[2] = 2; /* two links, one name */
		EXPECT_EQ(rw_refused(ram), 0);
		memcpy(small_in, saved, 64);
		memcpy(saved, direct_in, 64);
		put32(direct_in + 24, szone); /* one zone in two files */
		EXPECT_EQ(rw_refused(ram), 0);
		memcpy(direct_in, saved, 64);
		/* A directory loop: "sub" (the third entry of dir) names dir itself. */
		memcpy(saved, image + dzone * 1024 + 2 * 64, 4);
		put32(image + dzone * 1024 + 2 * 64, (uint32_t)dirino);
		EXPECT_EQ(rw_refused(ram), 0);
		memcpy(image + dzone * 1024 + 2 * 64, saved, 4);
	}

	/* MFS still answers: the good image mounts and reads. */
	EXPECT_EQ(fs_mount(MEMORY_FSIMG + 1, &root), 0);
	EXPECT_EQ(fs_lookup(root, "small", 0, &lr), 0);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 100, NULL), 100);
	EXPECT_EQ(filebuf[99], mfs_tree_byte(1, 99));
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);
	size = 0;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}

/* ---- the write side ------------------------------------------------------ */

#define BIG_BYTES (16u << 20)
#define PIECE     (64 * KIB)
static uint8_t piece[PIECE];

static void
fill_piece(uint32_t seed, uint64_t pos, size_t n)
{
	for (size_t i = 0; i < n; i++)
		piece[i] = mfs_tree_byte(seed, (uint32_t)(pos + i));
}

TEST(mfs, big_file,
     "a 16 MiB file through double indirect zones reads back after a remount; unlink frees every "
     "zone")
{
	struct fs_statfs s0, s1;
	struct msg_fs_node node;
	struct msg_fs_lookup_reply lr;
	fs_ino_t root;
	uint32_t want = 2166136261u, got = 2166136261u;
	/* Data blocks, plus the single indirect, the double, and its 63 second-level blocks. */
	const uint64_t blocks = BIG_BYTES / 1024, indirect = 1 + 1 + (blocks - 7 - 256 + 255) / 256;

	EXPECT(mfs_setup(), "mfs is not running");
	EXPECT_EQ(fs_mount_rw(MEMORY_FSIMG + 2, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "big", 0644, &node), 0);
	EXPECT_EQ(node.n_size, 0);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "big", 0644, NULL), -EEXIST);
	EXPECT_EQ(fs_write(node.n_ino, 0x7fffffff, piece, 1), -EFBIG); /* past s_max_size */
	EXPECT_EQ(fs_write(node.n_ino, 0x7fffffff, piece, 0), 0);
	for (uint64_t pos = 0; pos < BIG_BYTES; pos += PIECE) {
		fill_piece(9, pos, PIECE);
		want = fnv_more(want, piece, PIECE);
		EXPECT_EQ(fs_write(node.n_ino, pos, piece, PIECE), PIECE);
	}
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT(s0.f_bfree - s1.f_bfree == blocks + indirect, "%llu zones taken, not %llu",
	       (unsigned long long)(s0.f_bfree - s1.f_bfree),
	       (unsigned long long)(blocks + indirect));
	EXPECT_EQ(s0.f_ffree - s1.f_ffree, 1);
	EXPECT_EQ(fs_putnode(node.n_ino, 1), 0);
	/* Everything through the device: unmount writes back, a new mount reads it. */
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount_rw(MEMORY_FSIMG + 2, &root), 0);
	EXPECT_EQ(fs_lookup(root, "big", 0, &lr), 0);
	EXPECT_EQ(lr.r_size, BIG_BYTES);
	for (uint64_t pos = 0; pos < BIG_BYTES; pos += PIECE) {
		EXPECT_EQ(fs_io(FS_READ, lr.r_ino, pos, piece, PIECE, NULL), PIECE);
		got = fnv_more(got, piece, PIECE);
	}
	EXPECT(got == want, "checksum %08x, not %08x", got, want);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s0.f_bfree - s1.f_bfree, blocks + indirect); /* the bitmap on disk agrees */
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "big", 0, NULL), 0);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s1.f_bfree, s0.f_bfree);
	EXPECT_EQ(s1.f_ffree, s0.f_ffree);
	EXPECT_EQ(fs_lookup(root, "big", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_unmount(), 0);
}

TEST(mfs, many_files,
     "2000 files in one directory: each found and read back, listed once, then all removed")
{
	static uint8_t seen[2000];
	struct fs_statfs s0, s1;
	struct msg_fs_node node;
	struct msg_fs_lookup_reply lr;
	fs_ino_t root, dir;
	char name[16], path[32];
	uint64_t next;
	int64_t n;
	unsigned listed = 0;

	EXPECT(mfs_setup(), "mfs is not running");
	EXPECT_EQ(fs_mount_rw(MEMORY_FSIMG + 2, &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "many", 0755, NULL), 0);
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "many", 0755, NULL), -EEXIST);
	EXPECT_EQ(fs_lookup(root, "many", 0, &lr), 0);
	dir = lr.r_ino;
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "f%04d", i);
		EXPECT_EQ(fs_name_call(FS_CREATE, dir, name, 0644, &node), 0);
		EXPECT_EQ(fs_write(node.n_ino, 0, name, 5), 5);
		EXPECT_EQ(fs_putnode(node.n_ino, 1), 0);
	}
	EXPECT_EQ(fs_name_call(FS_CREATE, dir, "f0007", 0644, NULL), -EEXIST);
	EXPECT_EQ(fs_name_call(FS_CREATE, dir, "a/b", 0644, NULL), -EINVAL);
	EXPECT_EQ(fs_name_call(FS_CREATE, dir, "..", 0644, NULL), -EINVAL);
	memset(seen, 0, sizeof(seen));
	for (uint64_t pos = 0;; pos = next) {
		n = fs_io(FS_GETDENTS, dir, pos, filebuf, 4096, &next);
		EXPECT(n >= 0, "getdents: %lld", (long long)n);
		if (n == 0)
			break;
		for (int64_t off = 0; off < n;
		     off += ((struct fs_dirent64 *)(filebuf + off))->d_reclen) {
			const char *dn = ((struct fs_dirent64 *)(filebuf + off))->d_name;
			int k = (dn[1] - '0') * 1000 + (dn[2] - '0') * 100 + (dn[3] - '0') * 10 +
				(dn[4] - '0');

			listed++;
			if (dn[0] == 'f' && k >= 0 && k < 2000) {
				EXPECT(!seen[k], "%s listed twice", dn);
				seen[k] = 1;
			}
		}
	}
	EXPECT_EQ(listed, 2002); /* and "." and ".." */
	for (int i = 0; i < 2000; i += 7) {
		snprintf(path, sizeof(path), "many/f%04d", i);
		EXPECT_EQ(fs_lookup(root, path, 0, &lr), 0);
		EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 100, NULL), 5);
		EXPECT(memcmp(filebuf, path + 5, 5) == 0, "%s holds %.5s", path, filebuf);
		EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	}
	/* Unlinked while held: the inode stays until the last PUTNODE. */
	EXPECT_EQ(fs_lookup(root, "many/f0001", 0, &lr), 0);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "many", 0, NULL), -ENOTEMPTY); /* held or not */
	for (int i = 0; i < 2000; i++) {
		snprintf(name, sizeof(name), "f%04d", i);
		EXPECT_EQ(fs_name_call(FS_UNLINK, dir, name, 0, NULL), 0);
	}
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, 0, filebuf, 100, NULL), 5);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s0.f_ffree - s1.f_ffree, 2); /* "many" and the held one */
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s0.f_ffree - s1.f_ffree, 1);
	EXPECT_EQ(fs_name_call(FS_UNLINK, dir, "f0001", 0, NULL), -ENOENT);
	EXPECT_EQ(fs_putnode(dir, 1), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "many", 0, NULL), -EISDIR);
	EXPECT_EQ(fs_name_call(FS_RMDIR, root, "many", 0, NULL), 0);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s1.f_ffree, s0.f_ffree);
	EXPECT_EQ(s1.f_bfree, s0.f_bfree);
	EXPECT_EQ(fs_unmount(), 0);
}

TEST(mfs, full_disk,
     "writing until the disk is full gives ENOSPC; what was written stays, and unlink gives every "
     "zone back")
{
	int d = bdev_driver("memory");
	bdev_t img = bdev_dev(d, MEMORY_FSIMG + 1), ram = bdev_dev(d, MEMORY_RAM(CORRUPT_DISK));
	uint64_t size = FSIMG_BYTES, pos = 0;
	struct fs_statfs s0, s1;
	struct msg_fs_node node;
	struct msg_fs_lookup_reply lr;
	fs_ino_t root;
	int64_t n;

	EXPECT(mfs_setup(), "mfs is not running");
	EXPECT(images(), "no memory for the images");
	EXPECT_EQ(bdev_open(img, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_read(img, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
	EXPECT_EQ(bdev_close(img), 0);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_write(ram, 0, image, FSIMG_BYTES, 0), FSIMG_BYTES);
	EXPECT_EQ(fs_mount_rw(MEMORY_RAM(CORRUPT_DISK), &root), 0);
	EXPECT_EQ(fs_statfs(&s0), 0);
	EXPECT_EQ(fs_name_call(FS_CREATE, root, "fill", 0600, &node), 0);
	fill_piece(11, 0, PIECE);
	while ((n = fs_write(node.n_ino, pos, piece, PIECE)) == PIECE)
		pos += PIECE;
	EXPECT(n >= 0 || n == -ENOSPC, "the write that filled the disk: %lld", (long long)n);
	if (n > 0)
		pos += (uint64_t)n;
	EXPECT_EQ(fs_write(node.n_ino, pos, piece, PIECE), -ENOSPC);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s1.f_bfree, 0);
	EXPECT(pos > (s0.f_bfree - 20) * 1024, "only %llu bytes fit", (unsigned long long)pos);
	/* No zone for a directory: refused, and the inode it took is given back. */
	EXPECT_EQ(fs_name_call(FS_MKDIR, root, "nozone", 0755, NULL), -ENOSPC);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s0.f_ffree - s1.f_ffree, 1);
	EXPECT_EQ(fs_lookup(root, "nozone", 0, &lr), -ENOENT);
	EXPECT_EQ(fs_putnode(node.n_ino, 1), 0);
	/* What was written before the disk filled is there after a remount. */
	EXPECT_EQ(fs_unmount(), 0);
	EXPECT_EQ(fs_mount_rw(MEMORY_RAM(CORRUPT_DISK), &root), 0);
	EXPECT_EQ(fs_lookup(root, "fill", 0, &lr), 0);
	EXPECT_EQ(lr.r_size, pos);
	EXPECT_EQ(fs_io(FS_READ, lr.r_ino, pos - 1000, filebuf, 1000, NULL), 1000);
	for (uint64_t i = 0; i < 1000; i++)
		EXPECT(filebuf[i] == piece[(pos - 1000 + i) % PIECE], "byte %llu differs",
		       (unsigned long long)(pos - 1000 + i));
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_name_call(FS_UNLINK, root, "fill", 0, NULL), 0);
	EXPECT_EQ(fs_statfs(&s1), 0);
	EXPECT_EQ(s1.f_bfree, s0.f_bfree);
	EXPECT_EQ(s1.f_ffree, s0.f_ffree);
	/* The files that were there read back unharmed. */
	EXPECT_EQ(fs_lookup(root, "double", 0, &lr), 0);
	EXPECT_EQ(read_file(lr.r_ino, 4096), 300000);
	EXPECT(fnv(filebuf, 300000) == expected_fnv(&mfs_tree[3]), "double differs");
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_unmount(), 0);
	size = 0;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}
