/*
 * The block protocol end to end: libbdev in this test process, the memory
 * driver (libblockdriver) under RS.  Each test uses a RAM disk of its own
 * and closes what it opens, because the next test shares the driver.  The
 * checks the driver makes are also tried with raw messages (raw()), which
 * libbdev would refuse to build.
 */
#include "guest.h"
#include <bdev.h>
#include <cdev_client.h>
#include <ax/memory.h>
#include <ax/rs.h>
#include <ax/signal.h>
#include "imgrd_pattern.h"
#include <stdlib.h>

#define KIB 1024

/* 64 KiB each, from the heap at a test's first use: not in every test process's bss (vm.all_ram). */
static uint8_t *buf_a_p, *buf_b_p;

static void
bdev_buffers(void)
{
	if (!buf_a_p && (!(buf_a_p = malloc(64 * KIB)) || !(buf_b_p = malloc(64 * KIB))))
		panic("no memory for the block tests' buffers");
}

#define buf_a (bdev_buffers(), buf_a_p)
#define buf_b (bdev_buffers(), buf_b_p)

/* Byte i of pattern `seed`: differs between seeds and along the disk. */
static void
fill(uint8_t *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)((i * 7 + seed * 131 + (i >> 9)) ^ seed);
}

static endpoint_t
memory_endpt(void)
{
	endpoint_t e = NONE;

	ds_retrieve_label("memory", &e);
	return e;
}

/* Open RAM disk n's whole drive and give it `size` bytes: 0 or -E. */
static int
ram_setup(bdev_t dev, uint64_t size)
{
	int r = bdev_open(dev, BDEV_R_BIT | BDEV_W_BIT);

	if (r < 0)
		return r;
	return bdev_ioctl(dev, MIOCRAMSIZE, &size);
}

/* A raw request with one buffer grant (or none), by SENDREC: the status. */
static int64_t
raw(int type, devminor_t minor, uint64_t pos, grant_id_t grant, uint64_t count)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_bdev.minor = minor;
	m.m_bdev.pos = pos;
	m.m_bdev.grant = grant;
	m.m_bdev.count = count;
	m.m_bdev.id = 77;
	if ((r = ipc_sendrec(memory_endpt(), &m)) < 0)
		return r;
	if (m.m_type != BDEV_REPLY || m.m_bdev_reply.id != 77)
		return -EIO;
	return m.m_bdev_reply.status;
}

TEST(bdev, ram_rw, "data written to a RAM disk reads back; the boot ramdisk holds the boot module")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(0)), imgrd = bdev_dev(d, MEMORY_IMGRD);
	struct bdev_part part;

	EXPECT(d >= 0, "bdev_driver: %d", d);
	EXPECT_EQ(ram_setup(ram, 64 * KIB), 0);
	fill(buf_a, 8 * KIB, 1);
	EXPECT_EQ(bdev_write(ram, 4 * KIB, buf_a, 8 * KIB, 0), 8 * KIB);
	memset(buf_b, 0xee, 8 * KIB);
	EXPECT_EQ(bdev_read(ram, 4 * KIB, buf_b, 8 * KIB, 0), 8 * KIB);
	EXPECT(memcmp(buf_a, buf_b, 8 * KIB) == 0, "read back differs");
	/* Fresh RAM is zeroed; the end of the device is the only short count. */
	EXPECT_EQ(bdev_read(ram, 0, buf_b, 4 * KIB, 0), 4 * KIB);
	EXPECT(buf_b[0] == 0 && buf_b[4 * KIB - 1] == 0, "fresh RAM not zeroed");
	EXPECT_EQ(bdev_read(ram, 60 * KIB, buf_b, 8 * KIB, 0), 4 * KIB);
	EXPECT_EQ(bdev_read(ram, 64 * KIB, buf_b, 8 * KIB, 0), 0);
	EXPECT_EQ(bdev_ioctl(ram, DIOCGETP, &part), 0);
	EXPECT(part.base == 0 && part.size == 64 * KIB, "DIOCGETP: %llu+%llu",
	       (unsigned long long)part.base, (unsigned long long)part.size);
	EXPECT_EQ(bdev_close(ram), 0);

	EXPECT_EQ(bdev_open(imgrd, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_ioctl(imgrd, DIOCGETP, &part), 0);
	EXPECT_EQ(part.size, IMGRD_SIZE);
	EXPECT_EQ(bdev_read(imgrd, 128 * KIB, buf_b, 64 * KIB, 0), 64 * KIB);
	EXPECT(imgrd_check((const uint32_t *)buf_b, 128 * KIB, 64 * KIB), "imgrd differs");
	/* The last sector: the module's tail, then the driver's zero padding. */
	EXPECT_EQ(bdev_read(imgrd, IMGRD_SIZE - 512, buf_b, 4 * KIB, 0), 512);
	EXPECT(imgrd_check((const uint32_t *)buf_b, IMGRD_SIZE - 512, IMGRD_BYTES % 512),
	       "imgrd tail differs");
	EXPECT(buf_b[511] == 0, "imgrd padding not zero");
	EXPECT_EQ(bdev_close(imgrd), 0);
}

TEST(bdev, gather_scatter, "a scatter of several buffers reads back by a gather cut differently")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(1));
	struct bdev_buf out[3] = { { buf_a, 512 }, { buf_a + 512, 1024 }, { buf_a + 1536, 2048 } };
	struct bdev_buf in[2] = { { buf_b, 3072 }, { buf_b + 3072, 512 } };
	struct bdev_buf many[BDEV_NR_IOVEC + 1];

	EXPECT_EQ(ram_setup(ram, 64 * KIB), 0);
	fill(buf_a, 64 * KIB, 2);
	EXPECT_EQ(bdev_scatter(ram, 2 * KIB, out, 3, 0), 3584);
	memset(buf_b, 0, 8 * KIB);
	EXPECT_EQ(bdev_gather(ram, 2 * KIB, in, 2, 0), 3584);
	EXPECT(memcmp(buf_a, buf_b, 3584) == 0, "gathered data differs");
	EXPECT_EQ(bdev_read(ram, 2 * KIB, buf_b, 3584, 0), 3584);
	EXPECT(memcmp(buf_a, buf_b, 3584) == 0, "read data differs");

	/* A full vector, sectors in reverse order: the disk takes them in vector order. */
	for (int i = 0; i < BDEV_NR_IOVEC; i++)
		many[i] = (struct bdev_buf){ buf_a + (BDEV_NR_IOVEC - 1 - i) * 512, 512 };
	EXPECT_EQ(bdev_scatter(ram, 0, many, BDEV_NR_IOVEC, 0), BDEV_NR_IOVEC * 512);
	EXPECT_EQ(bdev_read(ram, 0, buf_b, BDEV_NR_IOVEC * 512, 0), BDEV_NR_IOVEC * 512);
	for (int i = 0; i < BDEV_NR_IOVEC; i++)
		EXPECT(memcmp(buf_b + i * 512, buf_a + (BDEV_NR_IOVEC - 1 - i) * 512, 512) == 0,
		       "sector %d differs", i);
	EXPECT_EQ(bdev_gather(ram, 0, many, BDEV_NR_IOVEC + 1, 0), -EINVAL);
	EXPECT_EQ(bdev_close(ram), 0);
}

TEST(bdev, complete_or_error,
     "a transfer with one unusable buffer fails whole: an error, never a count")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(1));
	endpoint_t mem = memory_endpt();
	struct bdev_iovec iov[3];
	grant_id_t g[3], gv;
	int64_t r;

	EXPECT_EQ(ram_setup(ram, 64 * KIB), 0);
	fill(buf_a, 4 * KIB, 3);
	EXPECT_EQ(bdev_write(ram, 0, buf_a, 4 * KIB, 0), 4 * KIB);

	/* The second of three buffers is granted read-only: a gather must fail. */
	g[0] = cpf_grant_direct(mem, buf_b, 512, GRANT_WRITE);
	g[1] = cpf_grant_direct(mem, buf_b + 512, 512, GRANT_READ);
	g[2] = cpf_grant_direct(mem, buf_b + 1024, 512, GRANT_WRITE);
	for (int i = 0; i < 3; i++)
		iov[i] = (struct bdev_iovec){ .grant = g[i], .size = 512 };
	gv = cpf_grant_direct(mem, iov, sizeof(iov), GRANT_READ);
	EXPECT(g[0] >= 0 && g[1] >= 0 && g[2] >= 0 && gv >= 0, "grants");
	r = raw(BDEV_GATHER, MEMORY_RAM(1), 0, gv, 3);
	EXPECT(r < 0, "gather with a read-only buffer gave %lld", (long long)r);

	/* A buffer smaller than the size the vector claims: the same. */
	cpf_revoke(g[1]);
	g[1] = cpf_grant_direct(mem, buf_b + 512, 256, GRANT_WRITE);
	iov[1].grant = g[1];
	r = raw(BDEV_GATHER, MEMORY_RAM(1), 0, gv, 3);
	EXPECT(r < 0, "gather into a short grant gave %lld", (long long)r);
	/* And a write from it: refused whole. */
	r = raw(BDEV_SCATTER, MEMORY_RAM(1), 0, gv, 3);
	EXPECT(r < 0, "scatter from a short grant gave %lld", (long long)r);
	iov[1].size = 256; /* unaligned: EINVAL before any copy */
	EXPECT_EQ(raw(BDEV_SCATTER, MEMORY_RAM(1), 0, gv, 3), -EINVAL);
	for (int i = 0; i < 3; i++)
		cpf_revoke(g[i]);
	cpf_revoke(gv);

	/* With usable grants the same request moves everything. */
	struct bdev_buf vec[3] = { { buf_b, 512 }, { buf_b + 512, 512 }, { buf_b + 1024, 512 } };

	EXPECT_EQ(bdev_write(ram, 0, buf_a, 4 * KIB, 0), 4 * KIB); /* the failures' leftovers */
	memset(buf_b, 0, 4 * KIB);
	EXPECT_EQ(bdev_gather(ram, 0, vec, 3, 0), 1536);
	EXPECT(memcmp(buf_a, buf_b, 1536) == 0, "gathered data differs");
	EXPECT_EQ(bdev_close(ram), 0);
}

/* MBR entry i: type, first sector, sectors. */
static void
mbr_entry(uint8_t *mbr, int i, uint8_t type, uint32_t start, uint32_t len)
{
	uint8_t *e = mbr + 446 + 16 * i;

	memset(e, 0, 16);
	e[4] = type;
	for (int b = 0; b < 4; b++) {
		e[8 + b] = (uint8_t)(start >> (8 * b));
		e[12 + b] = (uint8_t)(len >> (8 * b));
	}
}

static int
getp(bdev_t dev, struct bdev_part *p)
{
	return bdev_ioctl(dev, DIOCGETP, p);
}

TEST(bdev, partition,
     "an MBR written to a RAM disk gives partition minors from its next first open")
{
	int d = bdev_driver("memory");
	devminor_t whole = MEMORY_RAM(2);
	bdev_t ram = bdev_dev(d, whole);
	uint8_t mbr[512];
	struct bdev_part p;

	EXPECT_EQ(ram_setup(ram, 64 * KIB), 0); /* 128 sectors */
	memset(mbr, 0, sizeof(mbr));
	mbr_entry(mbr, 0, 0x83, 8, 16);   /* sectors 8..23 */
	mbr_entry(mbr, 1, 0x83, 40, 100); /* runs past the end: cut to 88 */
	mbr_entry(mbr, 2, 0, 30, 5);      /* type 0: empty */
	mbr_entry(mbr, 3, 0x83, 200, 10); /* starts past the end: empty */
	mbr[510] = 0x55;
	mbr[511] = 0xaa;
	EXPECT_EQ(bdev_write(ram, 0, mbr, 512, 0), 512);
	/* Still open: the table counts from the next first open. */
	EXPECT_EQ(bdev_open(bdev_dev(d, whole + 1), BDEV_R_BIT), 0);
	EXPECT_EQ(getp(bdev_dev(d, whole + 1), &p), 0);
	EXPECT_EQ(p.size, 0);
	EXPECT_EQ(bdev_close(bdev_dev(d, whole + 1)), 0);
	EXPECT_EQ(bdev_close(ram), 0);

	for (int i = 1; i <= 4; i++)
		EXPECT_EQ(bdev_open(bdev_dev(d, whole + i), BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(getp(bdev_dev(d, whole + 1), &p), 0);
	EXPECT(p.base == 8 * 512 && p.size == 16 * 512, "p1 %llu+%llu", (unsigned long long)p.base,
	       (unsigned long long)p.size);
	EXPECT_EQ(getp(bdev_dev(d, whole + 2), &p), 0);
	EXPECT(p.base == 40 * 512 && p.size == 88 * 512, "p2 %llu+%llu", (unsigned long long)p.base,
	       (unsigned long long)p.size);
	EXPECT_EQ(getp(bdev_dev(d, whole + 3), &p), 0);
	EXPECT_EQ(p.size, 0);
	EXPECT_EQ(getp(bdev_dev(d, whole + 4), &p), 0);
	EXPECT_EQ(p.size, 0);

	/* Partition 1 is sectors 8..23 of the drive, and ends there. */
	fill(buf_a, 8 * KIB, 4);
	EXPECT_EQ(bdev_write(bdev_dev(d, whole + 1), 0, buf_a, 8 * KIB, 0), 8 * KIB);
	EXPECT_EQ(bdev_write(bdev_dev(d, whole + 1), 4 * KIB, buf_a, 8 * KIB, 0), 4 * KIB);
	EXPECT_EQ(bdev_read(bdev_dev(d, whole + 3), 0, buf_b, 512, 0), 0);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_read(ram, 8 * 512, buf_b, 4 * KIB, 0), 4 * KIB);
	EXPECT(memcmp(buf_a, buf_b, 4 * KIB) == 0, "partition data not at its base");
	EXPECT_EQ(bdev_close(ram), 0);
	for (int i = 1; i <= 4; i++)
		EXPECT_EQ(bdev_close(bdev_dev(d, whole + i)), 0);
}

TEST(bdev, bad_request, "bad positions, sizes, vectors, minors and ioctls get errors, not hangs")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(1));
	endpoint_t mem = memory_endpt();
	uint64_t size;
	uint32_t arg;
	int access = 0x80;
	grant_id_t g;

	EXPECT_EQ(ram_setup(ram, 16 * KIB), 0);
	EXPECT_EQ(bdev_read(ram, 16 * KIB + 512, buf_b, 512, 0), -EINVAL); /* past the end */
	EXPECT_EQ(bdev_read(ram, UINT64_MAX - 511, buf_b, 512, 0), -EINVAL);
	EXPECT_EQ(bdev_read(ram, 100, buf_b, 512, 0), -EINVAL); /* unaligned pos */
	EXPECT_EQ(bdev_read(ram, 0, buf_b, 100, 0), -EINVAL);   /* unaligned size */
	EXPECT_EQ(bdev_write(ram, 0, buf_b, 513, 0), -EINVAL);
	EXPECT_EQ(bdev_open(bdev_dev(d, 99), BDEV_R_BIT), -ENXIO);          /* no such minor */
	EXPECT_EQ(bdev_open(bdev_dev(d, MEMORY_NULL), BDEV_R_BIT), -ENXIO); /* a char minor */
	EXPECT_EQ(bdev_open(bdev_dev(d, MEMORY_RAM(1)), access), -EINVAL);
	EXPECT_EQ(bdev_ioctl(ram, _IOR('z', 9, uint32_t), &arg), -ENOTTY);
	size = 1000;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), -EINVAL);
	size = MEMORY_RAM_MAX + 512;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), -EINVAL);
	access = 2;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMKEEP, &access), -EINVAL);

	/* What libbdev would not send: raw requests. */
	g = cpf_grant_direct(mem, buf_b, 4 * KIB, GRANT_WRITE);
	EXPECT(g >= 0, "grant %d", g);
	EXPECT_EQ(raw(BDEV_READ, MEMORY_RAM(1) + 3, 0, g, 512), -ERESTART); /* never opened */
	EXPECT_EQ(raw(BDEV_READ, 1000000, 0, g, 512), -ENXIO);
	EXPECT_EQ(raw(BDEV_GATHER, MEMORY_RAM(1), 0, g, 0), -EINVAL);
	EXPECT_EQ(raw(BDEV_GATHER, MEMORY_RAM(1), 0, g, BDEV_NR_IOVEC + 1), -EINVAL);
	EXPECT(raw(BDEV_READ, MEMORY_RAM(1), 0, GRANT_INVALID, 512) < 0, "no grant: no error");
	EXPECT(raw(BDEV_READ, MEMORY_RAM(1), 0, g, 8 * KIB) < 0, "grant too small: no error");
	cpf_revoke(g);
	/* A character request to a block minor, and to a minor of neither kind. */
	EXPECT_EQ(cdev_open(mem, MEMORY_RAM(1), CDEV_R_BIT), -ENXIO);
	EXPECT_EQ(cdev_open(mem, 99, CDEV_R_BIT), -ENXIO);
	EXPECT_EQ(bdev_close(ram), 0);
}

/*
 * The reference copy of the disk: what every answered write put there.
 * A restart is due every few requests, by a crash in the middle of a
 * request (MIOCCRASH) or by RS (restart), and must never show.
 */
#define RETRY_DISK   (32 * KIB)
#define RETRY_ROUNDS 24

static uint8_t shadow[RETRY_DISK];

static void
retry_round(bdev_t dev, unsigned i, int *failed)
{
	uint64_t pos = (uint64_t)(i * 5 % 28) * KIB;
	size_t len = (1 + i % 4) * KIB;
	int64_t r;

	fill(buf_a, len, 10 + i);
	if ((r = bdev_write(dev, pos, buf_a, len, 0)) != (int64_t)len) {
		printf("round %u: write %lld\n", i, (long long)r);
		*failed = 1;
		return;
	}
	memcpy(shadow + pos, buf_a, len);
	pos = (uint64_t)(i * 11 % 24) * KIB;
	if ((r = bdev_read(dev, pos, buf_b, 8 * KIB, 0)) != 8 * KIB ||
	    memcmp(buf_b, shadow + pos, 8 * KIB) != 0) {
		printf("round %u: read %lld or data differs\n", i, (long long)r);
		*failed = 1;
	}
}

TEST(bdev, retry_after_restart,
     "libbdev hides repeated driver restarts; a kept RAM disk keeps every write")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(3));
	unsigned before = bdev_restarts(d), crashes = 0;
	uint64_t size = RETRY_DISK;
	int keep = 1, failed = 0;

	EXPECT_EQ(ram_setup(ram, size), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMKEEP, &keep), 0);
	memset(shadow, 0, sizeof(shadow));
	/* The same size keeps what an earlier test left: start from zeroes. */
	EXPECT_EQ(bdev_write(ram, 0, shadow, RETRY_DISK, 0), RETRY_DISK);
	for (unsigned i = 0; i < RETRY_ROUNDS && !failed; i++) {
		if (i % 4 == 1) {
			uint32_t n = 1 + i % 3; /* die at the 1st, 2nd or 3rd request */

			EXPECT_EQ(bdev_ioctl(ram, MIOCCRASH, &n), 0);
			crashes++;
		} else if (i % 8 == 3) {
			struct msg_rs_reply reply;

			EXPECT_EQ(rs_request(RS_RESTART, "memory", &reply), 0);
			crashes++;
			if (i == 11) {
				/* Told of the new instance (as by DS), libbdev moves at once. */
				unsigned seen = bdev_restarts(d);

				tickdelay(5);
				EXPECT_EQ(bdev_driver("memory"), d);
				EXPECT_EQ(bdev_restarts(d), seen + 1);
			}
		}
		retry_round(ram, i, &failed);
	}
	EXPECT(!failed, "a request failed or read wrong data (see above)");
	EXPECT_EQ(bdev_restarts(d) - before, crashes);
	EXPECT_EQ(bdev_read(ram, 0, buf_b, RETRY_DISK, 0), RETRY_DISK);
	EXPECT(memcmp(buf_b, shadow, RETRY_DISK) == 0, "the disk differs from its writes");
	keep = 0;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMKEEP, &keep), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}

/* Asynchronous requests: the callbacks' record. */
static int asyn_done;
static int64_t asyn_result[8];

static void
asyn_cb(bdev_t dev, bdev_id_t id, int64_t result, void *param)
{
	(void)dev;
	(void)id;
	asyn_result[(intptr_t)param] = result;
	asyn_done++;
}

TEST(bdev, async,
     "several asynchronous requests in flight complete by callback, across a driver crash")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(3));
	bdev_id_t ids[8];
	uint64_t size = 32 * KIB;
	uint32_t crash = 3;
	int keep = 1;

	EXPECT_EQ(ram_setup(ram, size), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMKEEP, &keep), 0);
	fill(buf_a, 32 * KIB, 20);
	asyn_done = 0;
	for (intptr_t i = 0; i < 4; i++) {
		ids[i] = bdev_write_asyn(ram, i * 8 * KIB, buf_a + i * 8 * KIB, 8 * KIB, 0, asyn_cb,
					 (void *)i);
		EXPECT(ids[i] >= 0, "write %d: %d", (int)i, ids[i]);
	}
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(bdev_wait_asyn(ids[i]), 0);
	EXPECT_EQ(asyn_done, 4);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(asyn_result[i], 8 * KIB);

	/* Reads, with the driver dying at the third of them. */
	unsigned before = bdev_restarts(d);

	EXPECT_EQ(bdev_ioctl(ram, MIOCCRASH, &crash), 0);
	memset(buf_b, 0, 32 * KIB);
	asyn_done = 0;
	for (intptr_t i = 0; i < 4; i++) {
		ids[i] = bdev_read_asyn(ram, i * 8 * KIB, buf_b + i * 8 * KIB, 8 * KIB, 0, asyn_cb,
					(void *)i);
		EXPECT(ids[i] >= 0, "read %d: %d", (int)i, ids[i]);
	}
	for (int i = 3; i >= 0; i--)
		EXPECT_EQ(bdev_wait_asyn(ids[i]), 0);
	EXPECT_EQ(asyn_done, 4);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(asyn_result[i], 8 * KIB);
	EXPECT(memcmp(buf_a, buf_b, 32 * KIB) == 0, "read data differs");
	EXPECT_EQ(bdev_restarts(d) - before, 1);
	keep = 0;
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMKEEP, &keep), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}

/*
 * A peer's request to the memory driver's block minor `minor`: an open or
 * close, or a transfer of the minor's first sector (a write of bytes
 * `byte`; *first, if not NULL, the first byte a read got).  Its status.
 */
static int64_t
peer_bdev_io(endpoint_t peer, int type, devminor_t minor, uint8_t byte, uint8_t *first)
{
	message m;
	int r;

	command_message(&m, PEER_BDEV, (uint64_t)memory_endpt(), (uint64_t)type);
	m.m_u64.v[2] = (uint64_t)minor;
	m.m_u64.v[3] = byte;
	if ((r = ipc_sendrec(peer, &m)) < 0)
		return r;
	if (first)
		*first = (uint8_t)m.m_u64.v[1];
	return (int64_t)m.m_u64.v[0];
}

static int64_t
peer_bdev(endpoint_t peer, int type, devminor_t minor)
{
	return peer_bdev_io(peer, type, minor, 0, NULL);
}

TEST(bdev, dead_opener,
     "the opens of a process that died holding a RAM disk go (resizing it then works); a live "
     "opener's stay (EBUSY) until it closes; a close or ioctl from a process holding no open "
     "is EBADF")
{
	int d = bdev_driver("memory");
	devminor_t minor = MEMORY_RAM(1);
	bdev_t ram = bdev_dev(d, minor);
	endpoint_t victim = find("victim"), subject = find("subject");
	struct bdev_part part = { 0 };
	uint64_t size, other;

	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(bdev_ioctl(ram, DIOCGETP, &part), 0);
	size = part.size; /* given back at the end */
	other = size == 64 * KIB ? 128 * KIB : 64 * KIB;
	/* The victim opens the drive and a partition of it, and dies holding both. */
	EXPECT_EQ(peer_bdev(victim, BDEV_OPEN, minor), 0);
	EXPECT_EQ(peer_bdev(victim, BDEV_OPEN, minor + 1), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &other), -EBUSY);
	/* Nobody closes another's open. */
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor), -EBADF);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &other), -EBUSY);
	EXPECT_EQ(sys_kill(victim, SIGKILL), 0);
	EXPECT_EQ(await_gone(victim), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &other), 0);
	EXPECT_EQ(bdev_ioctl(ram, DIOCGETP, &part), 0);
	EXPECT_EQ(part.size, other);

	/* A live opener holds it: EBUSY, until its own close. */
	EXPECT_EQ(peer_bdev(subject, BDEV_OPEN, minor), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), -EBUSY);
	/* Its open alone: who holds none may not resize it (nor ask anything). */
	EXPECT_EQ(bdev_close(ram), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), -EBADF);
	EXPECT_EQ(bdev_ioctl(ram, DIOCGETP, &part), -EBADF);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor), 0);
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor), -EBADF); /* no open left */
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}

/* The first byte of the RAM disk `ram`, read by this process (-1: the read failed). */
static int
first_byte(bdev_t ram)
{
	return bdev_read(ram, 0, buf_b, 512, 0) == 512 ? buf_b[0] : -1;
}

TEST(bdev, io_needs_open,
     "a read or write (gather, scatter) of a minor from a process holding no open of it is "
     "EBADF and moves nothing; after its open it works, after its close it is EBADF again")
{
	int d = bdev_driver("memory");
	devminor_t minor = MEMORY_RAM(1);
	bdev_t ram = bdev_dev(d, minor);
	endpoint_t mem = memory_endpt(), subject = find("subject");
	struct bdev_iovec iov[2];
	grant_id_t g[2], gv;
	uint8_t first = 0;

	EXPECT_EQ(ram_setup(ram, 64 * KIB), 0);
	memset(buf_a, 0x11, 4 * KIB);
	EXPECT_EQ(bdev_write(ram, 0, buf_a, 4 * KIB, 0), 4 * KIB);

	/* The subject never opened the disk we hold: it neither reads nor writes it. */
	EXPECT_EQ(peer_bdev_io(subject, BDEV_READ, minor, 0, &first), -EBADF);
	EXPECT_EQ(first, 0);
	EXPECT_EQ(peer_bdev_io(subject, BDEV_WRITE, minor, 0x5a, NULL), -EBADF);
	EXPECT_EQ(first_byte(ram), 0x11);
	/* Nor through an open of another minor of the same drive. */
	EXPECT_EQ(peer_bdev(subject, BDEV_OPEN, minor + 1), 0);
	EXPECT_EQ(peer_bdev_io(subject, BDEV_WRITE, minor, 0x5a, NULL), -EBADF);
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor + 1), 0);
	EXPECT_EQ(first_byte(ram), 0x11);

	/* Its own open: both work, one after the other, and land. */
	EXPECT_EQ(peer_bdev(subject, BDEV_OPEN, minor), 0);
	EXPECT_EQ(peer_bdev_io(subject, BDEV_READ, minor, 0, &first), 512);
	EXPECT_EQ(first, 0x11);
	EXPECT_EQ(peer_bdev_io(subject, BDEV_WRITE, minor, 0x5a, NULL), 512);
	EXPECT_EQ(first_byte(ram), 0x5a);
	/* Its close, right after its own transfers: EBADF again. */
	EXPECT_EQ(peer_bdev_io(subject, BDEV_READ, minor, 0, &first), 512);
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor), 0);
	first = 0;
	EXPECT_EQ(peer_bdev_io(subject, BDEV_WRITE, minor, 0x77, NULL), -EBADF);
	EXPECT_EQ(peer_bdev_io(subject, BDEV_READ, minor, 0, &first), -EBADF);
	EXPECT_EQ(first, 0);
	EXPECT_EQ(first_byte(ram), 0x5a);

	/* The same for us, with vectors: the subject holds the disk, we close ours. */
	EXPECT_EQ(peer_bdev(subject, BDEV_OPEN, minor), 0);
	EXPECT_EQ(bdev_close(ram), 0);
	memset(buf_b, 0x33, 1024);
	g[0] = cpf_grant_direct(mem, buf_b, 512, GRANT_READ | GRANT_WRITE);
	g[1] = cpf_grant_direct(mem, buf_b + 512, 512, GRANT_READ | GRANT_WRITE);
	for (int i = 0; i < 2; i++)
		iov[i] = (struct bdev_iovec){ .grant = g[i], .size = 512 };
	gv = cpf_grant_direct(mem, iov, sizeof(iov), GRANT_READ);
	EXPECT(g[0] >= 0 && g[1] >= 0 && gv >= 0, "grants");
	EXPECT_EQ(raw(BDEV_SCATTER, minor, 0, gv, 2), -EBADF);
	EXPECT_EQ(raw(BDEV_GATHER, minor, 0, gv, 2), -EBADF);
	EXPECT_EQ(raw(BDEV_WRITE, minor, 0, g[0], 512), -EBADF);
	EXPECT_EQ(raw(BDEV_READ, minor, 0, g[0], 512), -EBADF);
	EXPECT_EQ(buf_b[0], 0x33);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(raw(BDEV_SCATTER, minor, 0, gv, 2), 1024);
	memset(buf_b, 0, 1024);
	EXPECT_EQ(raw(BDEV_GATHER, minor, 0, gv, 2), 1024);
	EXPECT_EQ(buf_b[0], 0x33);
	EXPECT_EQ(buf_b[1023], 0x33);
	for (int i = 0; i < 2; i++)
		cpf_revoke(g[i]);
	cpf_revoke(gv);
	EXPECT_EQ(peer_bdev(subject, BDEV_CLOSE, minor), 0);
	EXPECT_EQ(bdev_close(ram), 0);
}
