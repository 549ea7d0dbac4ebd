/*
 * memory: the memory driver, a block driver and a character driver in one
 * process (minors and ioctls in include/ax/memory.h).  It runs its own
 * message loop: block requests go to libblockdriver, everything else
 * (character requests, notifications, DEBUG_DUMP, unknown requests) to
 * libchardriver and the front half it shares with libblockdriver; each
 * library refuses a minor of the wrong kind with ENXIO.
 *
 * Block devices are RAM disks, malloc-backed and sized by MIOCRAMSIZE, and
 * imgrd, fsimg and rootfs, the boot image's modules "ramdisk", "fsimage"
 * and "rootfs" served in place (sys_mapimage maps the module's own frames
 * into our space; a copy in our heap only if it cannot).  A restart brings
 * new memory (the old instance's goes with it), but the modules' frames
 * stay: imgrd, fsimg and rootfs are mapped again with every write the old
 * instance made; a RAM disk marked with MIOCRAMKEEP is re-created from
 * what DS keeps of it (keep.c: written through, so it holds every answered
 * write), and the other RAM disks come back empty.  With `rootdump` on
 * the command line, the rootfs drive goes to the host over the console at
 * its last close (rootdump.c: init.poweroff_fsck).
 */
#include <blockdriver.h>
#include <chardriver.h>
#include <sef.h>
#include <stdlib.h>
#include <string.h>
#include <ax/memory.h>
#include "keep.h"
#include "rootdump.h"

struct drive {
	uint8_t *data; /* page-aligned, or NULL if empty */
	void *block;   /* the malloc'd block data lies in; NULL: a module's */
	struct bdev_part part[BDEV_PER_DRIVE]; /* [0]: the whole drive */
	unsigned opens;                        /* of all its minors */
	bool kept;                             /* written through to DS */
};

#define PAGE_SIZE 4096

static struct drive drives[MEMORY_NR_DRIVES];
static uint32_t crash_countdown; /* MIOCCRASH: block requests left; 0 off */

static bool
is_block(devminor_t minor)
{
	return minor < MEMORY_NR_BLOCK;
}

static struct drive *
drive_of(devminor_t minor)
{
	return &drives[minor / BDEV_PER_DRIVE];
}

static int
drive_number(const struct drive *d)
{
	return (int)(d - drives);
}

/* ---- block side ------------------------------------------------------ */

/*
 * Give d `size` zeroed bytes, starting on a page: a page of the disk is
 * then one page of ours, and the kernel copies it in one piece.  The old
 * contents are freed only on success.
 */
static int
drive_alloc(struct drive *d, uint64_t size)
{
	void *block = NULL;

	if (size > 0 && !(block = calloc(1, size + PAGE_SIZE - 1)))
		return -ENOMEM;
	free(d->block);
	d->block = block;
	d->data = block ? (uint8_t *)(((uintptr_t)block + PAGE_SIZE - 1) &
				      ~(uintptr_t)(PAGE_SIZE - 1))
			: NULL;
	memset(d->part, 0, sizeof(d->part));
	d->part[0].size = size;
	return 0;
}

static struct bdev_part *
mem_part(devminor_t minor)
{
	if (!is_block(minor))
		return NULL;
	return &drive_of(minor)->part[minor % BDEV_PER_DRIVE];
}

static const struct blockdriver mem_bdr;

static int
mem_open(devminor_t minor, int access)
{
	struct drive *d = drive_of(minor);
	int r;

	(void)access;
	/* A drive's partition table counts from its first open (ax/bdev.h). */
	if (d->opens == 0 &&
	    (r = blockdriver_partition(&mem_bdr, minor - minor % BDEV_PER_DRIVE)) < 0)
		return r;
	d->opens++;
	return 0;
}

static int
mem_close(devminor_t minor)
{
	struct drive *d = drive_of(minor);

	if (d->opens > 0 && --d->opens == 0 && drive_number(d) == MEMORY_ROOTFS / BDEV_PER_DRIVE)
		rootdump_send(d->data, d->part[0].size);
	return 0;
}

/* The library checked the range: pos and every size lie inside the drive. */
static int64_t
mem_transfer(devminor_t minor, bool write, uint64_t pos, endpoint_t endpt,
	     const struct bdev_iovec *iov, unsigned count, int flags)
{
	struct drive *d = drive_of(minor);
	uint8_t *data = d->data;
	uint64_t total = 0;
	int r;

	(void)flags;
	for (unsigned i = 0; i < count; i++) {
		uint8_t *at = data + pos + total;

		if (write)
			r = sys_safecopyfrom(endpt, iov[i].grant, 0, at, iov[i].size);
		else
			r = sys_safecopyto(endpt, iov[i].grant, 0, at, iov[i].size);
		if (r < 0)
			return r; /* all or nothing: no count with an error */
		total += iov[i].size;
	}
	if (write && drive_number(d) == MEMORY_ROOTFS / BDEV_PER_DRIVE)
		rootdump_wrote(pos, total);
	/* Kept before answered: an answered write is never lost (keep.c). */
	if (write && d->kept && (r = keep_write(drive_number(d), data, pos, total)) < 0)
		return r;
	return (int64_t)total;
}

/* Give RAM disk d `size` zeroed bytes, in place of what it had. */
static int
ram_resize(struct drive *d, uint64_t size)
{
	uint64_t old = d->part[0].size;
	int r;

	if (size % BDEV_SECTOR != 0 || size > MEMORY_RAM_MAX)
		return -EINVAL;
	if (size == old)
		return 0;
	if (d->opens != 1)
		return -EBUSY; /* a live process has it open too (dead ones' were closed) */
	if ((r = drive_alloc(d, size)) < 0)
		return r;
	if (d->kept)
		keep_stop(drive_number(d), old);
	d->kept = false;
	return 0;
}

/* Start or stop keeping RAM disk d's contents in DS. */
static int
ram_keep(struct drive *d, int keep)
{
	int r;

	if (keep != 0 && keep != 1)
		return -EINVAL;
	if (keep == d->kept)
		return 0;
	if (!keep) {
		keep_stop(drive_number(d), d->part[0].size);
		d->kept = false;
		return 0;
	}
	if ((r = keep_start(drive_number(d), d->data, d->part[0].size)) < 0)
		return r;
	d->kept = true;
	return 0;
}

static int
mem_ioctl(devminor_t minor, unsigned long request, endpoint_t endpt, grant_id_t grant,
	  endpoint_t user)
{
	bool ram_drive = minor < MEMORY_IMGRD && minor % BDEV_PER_DRIVE == 0;
	uint64_t size;
	uint32_t n;
	int keep, r;

	(void)user;
	switch (request) {
	case MIOCRAMSIZE:
		if (!ram_drive)
			return -ENOTTY;
		if ((r = sys_safecopyfrom(endpt, grant, 0, &size, sizeof(size))) < 0)
			return r;
		return ram_resize(drive_of(minor), size);
	case MIOCRAMKEEP:
		if (!ram_drive)
			return -ENOTTY;
		if ((r = sys_safecopyfrom(endpt, grant, 0, &keep, sizeof(keep))) < 0)
			return r;
		return ram_keep(drive_of(minor), keep);
	case MIOCCRASH:
		if ((r = sys_safecopyfrom(endpt, grant, 0, &n, sizeof(n))) < 0)
			return r;
		crash_countdown = n;
		return 0;
	}
	return -ENOTTY;
}

static const struct blockdriver mem_bdr = {
	.bdr_open = mem_open,
	.bdr_close = mem_close,
	.bdr_part = mem_part,
	.bdr_transfer = mem_transfer,
	.bdr_ioctl = mem_ioctl,
};

/* ---- character side -------------------------------------------------- */

static const uint8_t zeroes[4096];

static int
mem_char_open(devminor_t minor, int access, const struct cdev_user *user)
{
	(void)access;
	(void)user;
	return minor == MEMORY_NULL || minor == MEMORY_ZERO ? 0 : -ENXIO;
}

static int64_t
mem_char_read(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	      int flags, cdev_id_t id, const struct cdev_user *user)
{
	(void)pos;
	(void)flags;
	(void)id;
	(void)user;
	if (minor == MEMORY_NULL)
		return 0; /* end of file, always */
	for (size_t done = 0; done < size; done += sizeof(zeroes)) {
		size_t n = size - done < sizeof(zeroes) ? size - done : sizeof(zeroes);
		int r = sys_safecopyto(endpt, grant, done, zeroes, n);

		if (r < 0)
			return r;
	}
	return (int64_t)size;
}

static int64_t
mem_char_write(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	       int flags, cdev_id_t id, const struct cdev_user *user)
{
	(void)minor;
	(void)pos;
	(void)endpt;
	(void)grant;
	(void)flags;
	(void)id;
	(void)user;
	return (int64_t)size; /* swallowed */
}

/* DEBUG_DUMP: the drives that hold memory. */
static void
mem_dump(struct dump *d)
{
	for (int n = 0; n < MEMORY_NR_DRIVES; n++) {
		const struct drive *dr = &drives[n];

		if (dr->part[0].size == 0)
			continue;
		dump_printf(d, "memory:   drive %d%s: %llu bytes, %u opens%s\n", n,
			    n == MEMORY_IMGRD / BDEV_PER_DRIVE    ? " (imgrd)"
			    : n == MEMORY_FSIMG / BDEV_PER_DRIVE  ? " (fsimg)"
			    : n == MEMORY_ROOTFS / BDEV_PER_DRIVE ? " (rootfs)"
								  : "",
			    (unsigned long long)dr->part[0].size, dr->opens,
			    dr->kept ? ", kept in DS" : "");
	}
}

static const struct chardriver mem_cdr = {
	.cdr_open = mem_char_open,
	.cdr_read = mem_char_read,
	.cdr_write = mem_char_write,
	.cdr_dump = mem_dump,
};

/* ---- start-up -------------------------------------------------------- */

/* The index of boot module `module`, or -ENOENT. */
static int
module_index(const char *module)
{
	char name[PROC_NAME_LEN];
	size_t size;

	for (int i = 0; sys_getimage(i, NULL, 0, &size, name) == 0; i++)
		if (strcmp(name, module) == 0)
			return i;
	return -ENOENT;
}

/*
 * The module's own memory as the drive, mapped in place (sys_mapimage):
 * nothing copied, and what was written is still there for the next
 * instance.  The whole sectors up to its end lie in its last page (a
 * module starts on a page, so that page is the module's).
 */
static bool
map_image(struct drive *d, const char *module)
{
	int index = module_index(module);
	void *addr;
	size_t size;

	if (index < 0 || sys_mapimage(index, &addr, &size) < 0 || size == 0)
		return false;
	memset(d->part, 0, sizeof(d->part));
	d->block = NULL;
	d->data = addr;
	d->part[0].size = (size + BDEV_SECTOR - 1) & ~(size_t)(BDEV_SECTOR - 1);
	if (size % BDEV_SECTOR)
		memset(d->data + size, 0, d->part[0].size - size);
	return true;
}

/*
 * imgrd, fsimg, rootfs: a boot module, whole sectors (the tail zeroed);
 * empty if none.  In place when the kernel maps it; a copy in our heap
 * otherwise.
 */
static void
load_image(devminor_t minor, const char *module)
{
	struct drive *d = drive_of(minor);
	size_t size, rounded;

	if (map_image(d, module))
		return;
	if (sys_getimage_named(module, NULL, 0, &size) < 0 || size == 0)
		return;
	rounded = (size + BDEV_SECTOR - 1) & ~(size_t)(BDEV_SECTOR - 1);
	if (drive_alloc(d, rounded) < 0) {
		printf("memory: no room for the %zu-byte boot module %s\n", size, module);
		return;
	}
	if (sys_getimage_named(module, d->data, size, &size) < 0)
		drive_alloc(d, 0);
}

/* The RAM disks DS keeps, after a restart (keep.c). */
static void
restore_kept(void)
{
	for (int n = 0; n < MEMORY_NR_RAMDISKS; n++) {
		struct drive *d = &drives[n];
		uint64_t size;
		int r;

		if (!keep_size(n, &size))
			continue;
		if ((r = drive_alloc(d, size)) < 0 || (r = keep_load(n, d->data, size)) < 0) {
			printf("memory: RAM disk %d not restored: %d\n", n, r);
			drive_alloc(d, 0);
			continue;
		}
		d->kept = true;
	}
}

/* MIOCCRASH: is this the block request to die at? */
static void
maybe_crash(void)
{
	if (crash_countdown > 0 && --crash_countdown == 0)
		panic("crashing on request (MIOCCRASH)");
}

/*
 * Every start is the same: fresh memory, imgrd from the boot image, no
 * open minors.  Only a stateful restart (same endpoint) clears IPC state;
 * the libraries decide that from the type.
 */
static int
mem_init(int type, const struct msg_rs_init *info)
{
	(void)info;
	rootdump_init();
	load_image(MEMORY_IMGRD, MEMORY_IMGRD_MODULE);
	load_image(MEMORY_FSIMG, MEMORY_FSIMG_MODULE);
	load_image(MEMORY_ROOTFS, MEMORY_ROOTFS_MODULE);
	chardriver_announce(type);
	blockdriver_announce(type);
	return 0;
}

int
main(int argc, char **argv)
{
	uint64_t status;
	message m;

	(void)argc;
	(void)argv;
	sef_setcb_init_fresh(mem_init);
	sef_setcb_init_restart(mem_init);
	sef_setcb_init_lu(mem_init);
	sef_startup();
	/*
	 * Only now does DS know our endpoint as the label's, which makes us
	 * the owner of what the previous instance kept.  A request sent
	 * meanwhile waits in the queue.
	 */
	restore_kept();
	for (;;) {
		if (sef_receive_status(ANY, &m, &status) < 0)
			continue;
		if (!ipc_status_is_notify(status) && IS_BDEV_RQ(m.m_type)) {
			maybe_crash();
			blockdriver_process(&mem_bdr, &m, status);
		} else {
			chardriver_process(&mem_cdr, &m, status);
		}
	}
}
