/*
 * The memory driver's two faces: character minors (null, zero) through
 * libchardriver and block minors (RAM disks) through libblockdriver, all
 * answered by one process with one endpoint.
 */
#include "guest.h"
#include <bdev.h>
#include <cdev_client.h>
#include <ax/memory.h>
#include "imgrd_pattern.h"

static endpoint_t
memory_endpt(void)
{
	endpoint_t e = NONE;

	ds_retrieve_label("memory", &e);
	return e;
}

TEST(cdev, null_zero, "zero reads as zeroes; null swallows writes and reads as end of file")
{
	endpoint_t mem = memory_endpt();
	static uint8_t buf[10000];

	EXPECT(mem != NONE, "no memory driver");
	EXPECT_EQ(cdev_open(mem, MEMORY_ZERO, CDEV_R_BIT | CDEV_W_BIT), 0);
	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(cdev_read(mem, MEMORY_ZERO, 0, buf, sizeof(buf), 0), sizeof(buf));
	for (size_t i = 0; i < sizeof(buf); i++)
		EXPECT(buf[i] == 0, "zero gave %#x at %zu", buf[i], i);
	EXPECT_EQ(cdev_write(mem, MEMORY_ZERO, 0, buf, 100, 0), 100);
	EXPECT_EQ(cdev_close(mem, MEMORY_ZERO), 0);

	EXPECT_EQ(cdev_open(mem, MEMORY_NULL, CDEV_R_BIT | CDEV_W_BIT), 0);
	memset(buf, 0x5a, sizeof(buf));
	EXPECT_EQ(cdev_write(mem, MEMORY_NULL, 0, buf, sizeof(buf), 0), sizeof(buf));
	EXPECT_EQ(cdev_read(mem, MEMORY_NULL, 0, buf, sizeof(buf), 0), 0);
	EXPECT(buf[0] == 0x5a, "null wrote into the buffer");
	EXPECT_EQ(cdev_close(mem, MEMORY_NULL), 0);
	/* A minor not opened since this instance started: ERESTART, not data. */
	EXPECT_EQ(cdev_read(mem, 31, 0, buf, 16, 0), -ERESTART);
}

TEST(memory, both_protocols,
     "one process answers character requests on null and zero and block requests on a RAM disk")
{
	int d = bdev_driver("memory");
	bdev_t ram = bdev_dev(d, MEMORY_RAM(0));
	endpoint_t mem = memory_endpt();
	static uint8_t blk[4096], chr[4096];
	uint64_t size = 8192;

	EXPECT(d >= 0 && mem != NONE, "driver %d, endpoint %d", d, mem);
	EXPECT_EQ(cdev_open(mem, MEMORY_ZERO, CDEV_R_BIT), 0);
	EXPECT_EQ(bdev_open(ram, BDEV_R_BIT | BDEV_W_BIT), 0);
	EXPECT_EQ(bdev_ioctl(ram, MIOCRAMSIZE, &size), 0);
	/* Interleaved: a block write, a character read, a block read. */
	for (size_t i = 0; i < sizeof(blk); i++)
		blk[i] = (uint8_t)(i * 13 + 1);
	EXPECT_EQ(bdev_write(ram, 4096, blk, sizeof(blk), 0), sizeof(blk));
	memset(chr, 0xff, sizeof(chr));
	EXPECT_EQ(cdev_read(mem, MEMORY_ZERO, 0, chr, sizeof(chr), 0), sizeof(chr));
	EXPECT(chr[0] == 0 && chr[sizeof(chr) - 1] == 0, "zero is not zero");
	memset(chr, 0, sizeof(chr));
	EXPECT_EQ(bdev_read(ram, 4096, chr, sizeof(chr), 0), sizeof(chr));
	EXPECT(memcmp(blk, chr, sizeof(blk)) == 0, "RAM disk data differs");
	/* Each protocol refuses the other's minors. */
	EXPECT_EQ(bdev_open(bdev_dev(d, MEMORY_ZERO), BDEV_R_BIT), -ENXIO);
	EXPECT_EQ(cdev_open(mem, MEMORY_RAM(0), CDEV_R_BIT), -ENXIO);
	EXPECT_EQ(memory_endpt(), mem);
	EXPECT_EQ(bdev_close(ram), 0);
	EXPECT_EQ(cdev_close(mem, MEMORY_ZERO), 0);
}

/* The index of boot module `name`, or -1. */
static int
module_index(const char *name)
{
	char prog[PROC_NAME_LEN];
	size_t size;

	for (int i = 0; sys_getimage(i, NULL, 0, &size, prog) == 0; i++)
		if (strcmp(prog, name) == 0)
			return i;
	return -1;
}

TEST(memory, image_in_place,
     "the boot ramdisk is served from the module's own memory (sys_mapimage), mapped in place: a "
     "block read of the drive and the module's bytes agree; a program's module is mapped "
     "read-only")
{
	int d = bdev_driver("memory"), rd = module_index("ramdisk"), prog = module_index("testrun");
	bdev_t imgrd = bdev_dev(d, MEMORY_IMGRD);
	static uint8_t blk[4096];
	uint32_t *words;
	uint8_t *text;
	void *addr;
	size_t size;

	EXPECT(d >= 0 && rd >= 0 && prog >= 0, "driver %d, ramdisk %d, testrun %d", d, rd, prog);
	/* A program's module: its bytes in place, which no copy can write (the driver's fails). */
	EXPECT_EQ(sys_mapimage(prog, &addr, &size), 0);
	text = addr;
	EXPECT_EQ(sys_getimage(prog, blk, sizeof(blk), &(size_t){ 0 }, (char[PROC_NAME_LEN]){ 0 }),
		  0);
	EXPECT(size > sizeof(blk) && memcmp(text, blk, sizeof(blk)) == 0,
	       "testrun's module differs");
	EXPECT_EQ(bdev_open(imgrd, BDEV_R_BIT), 0);
	EXPECT(bdev_read(imgrd, 0, text, 4096, 0) < 0, "a read into a program's module succeeded");
	EXPECT_EQ(bdev_close(imgrd), 0);
	EXPECT(memcmp(text, blk, sizeof(blk)) == 0, "testrun's module was written");
	EXPECT_EQ(sys_mapimage(prog, &addr, &size), -EBUSY); /* its window is taken */
	EXPECT_EQ(sys_mapimage(1000, &addr, &size), -ENOENT);
	EXPECT_EQ(sys_mapimage(rd, &addr, &size), 0);
	EXPECT_EQ(size, IMGRD_BYTES);
	EXPECT_EQ(sys_mapimage(rd, &addr, &size), -EBUSY); /* its window is taken */
	words = addr;
	for (uint64_t k = 0; k < IMGRD_BYTES / 4; k += 997)
		EXPECT(words[k] == imgrd_word(k), "word %llu", (unsigned long long)k);
	/* The driver's drive is that memory: a word changed there is what it reads. */
	words[8192 / 4] = 0x600dcafe;
	EXPECT_EQ(bdev_open(imgrd, BDEV_R_BIT), 0);
	EXPECT_EQ(bdev_read(imgrd, 8192, blk, sizeof(blk), 0), sizeof(blk));
	words[8192 / 4] = imgrd_word(8192 / 4);
	EXPECT_EQ(bdev_close(imgrd), 0);
	EXPECT(blk[0] == 0xfe && blk[3] == 0x60, "the drive is a copy, not the module");
}
