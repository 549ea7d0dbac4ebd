/*
 * MBR partition tables (blockdriver_partition in blockdriver.h).  The
 * first sector of a drive holds four 16-byte entries at offset 446 and the
 * signature 0x55 0xaa at 510; an entry's type is its byte 4, its start
 * sector (LBA) and length in sectors the little-endian words at 8 and 12.
 *
 * The sector is read through the driver's own transfer callback, with a
 * grant this process makes for itself: the same path a client's read takes,
 * so a driver has one way to move data.
 */
#include <blockdriver.h>

#define MBR_TABLE 446
#define MBR_ENTRY 16
#define MBR_SIG   510

static uint8_t mbr[BDEV_SECTOR];

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Entry e of the table, as a range of the drive (size bytes), cut to it. */
static struct bdev_part
mbr_entry(const uint8_t *e, uint64_t size)
{
	uint64_t base = (uint64_t)le32(e + 8) * BDEV_SECTOR;
	uint64_t len = (uint64_t)le32(e + 12) * BDEV_SECTOR;

	if (e[4] == 0 || base >= size)
		return (struct bdev_part){ 0, 0 };
	if (len > size - base)
		len = size - base;
	return (struct bdev_part){ base, len };
}

static int
read_mbr(const struct blockdriver *bdp, devminor_t whole)
{
	struct bdev_iovec iov = { .size = BDEV_SECTOR };
	int64_t r;

	iov.grant = cpf_grant_direct(self_endpoint, mbr, sizeof(mbr), GRANT_WRITE);
	if (iov.grant == GRANT_INVALID)
		return -ENOMEM;
	r = bdp->bdr_transfer(whole, false, bdp->bdr_part(whole)->base, self_endpoint, &iov, 1, 0);
	cpf_revoke(iov.grant);
	return r < 0 ? (int)r : 0;
}

int
blockdriver_partition(const struct blockdriver *bdp, devminor_t whole)
{
	struct bdev_part drive = *bdp->bdr_part(whole);
	bool valid = false;
	int r;

	if (drive.size >= BDEV_SECTOR) {
		if ((r = read_mbr(bdp, whole)) < 0)
			return r;
		valid = mbr[MBR_SIG] == 0x55 && mbr[MBR_SIG + 1] == 0xaa;
	}
	for (int i = 0; i < BDEV_PER_DRIVE - 1; i++) {
		struct bdev_part *p = bdp->bdr_part(whole + 1 + i);
		struct bdev_part range =
			valid ? mbr_entry(mbr + MBR_TABLE + i * MBR_ENTRY, drive.size)
			      : (struct bdev_part){ 0, 0 };

		/* Partitions are ranges of the drive: add the drive's own base. */
		p->base = drive.base + range.base;
		p->size = range.size;
	}
	return 0;
}
