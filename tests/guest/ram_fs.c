/*
 * RAM disk 2 as a small Minix v3 file system (ram_fs.h): a program the
 * test starts mounts /dev/ram2 (vfs.dev_up_block, vm.mmap_file_fs_dead).
 */
#include "guest.h"
#include "ram_fs.h"
#include <ax/memory.h>

/*
 * A 32 KiB Minix v3 file system, made at build time by mkfs.minix -3 (16
 * inodes): small enough for a kept RAM disk, whose contents live in DS
 * (MEMORY_KEEP_MAX).
 */
#include "tiny_mfs.h"

int64_t
ram_fs_setup(bdev_t ram)
{
	uint64_t size = sizeof(tiny_mfs);
	int keep = 1;
	int64_t r;

	if ((r = bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT)) < 0 ||
	    (r = bdev_ioctl(ram, MIOCRAMSIZE, &size)) < 0 ||
	    (r = bdev_ioctl(ram, MIOCRAMKEEP, &keep)) < 0)
		return r;
	r = bdev_write(ram, 0, tiny_mfs, sizeof(tiny_mfs), 0);
	return r == (int64_t)sizeof(tiny_mfs) ? 0 : r < 0 ? r : -EIO;
}

void
ram_fs_free(void)
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(2));
	uint64_t size = 0;
	int keep = 0;

	bdev_ioctl(ram, MIOCRAMKEEP, &keep);
	bdev_ioctl(ram, MIOCRAMSIZE, &size);
	bdev_close(ram);
}
