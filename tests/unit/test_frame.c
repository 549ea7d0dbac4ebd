/*
 * Unit tests of kernel/frame.c, the page-frame allocator, built for the
 * host (its bitmap is a static 128 KiB array; each test runs in its own
 * process, and frame_init starts it afresh anyway).
 *
 * Most tests hand frame_init a memory map, then drain() allocates until
 * FRAME_NONE, checking every frame on the way: page-aligned, inside the
 * range the test expects, never below 1 MiB, never handed out twice.  It
 * returns the count and leaves the frames it saw in seen[].
 */
#include "host_prefix.h"

#include <ax/types.h>
#include <string.h>

#include "boot_info.h"
#include "frame.h"
#include "unit.h"

#define KiB       ((phys_addr_t)1 << 10)
#define MiB       ((phys_addr_t)1 << 20)
#define GiB       ((phys_addr_t)1 << 30)
#define NR_FRAMES (FRAME_MAX_PHYS / FRAME_SIZE)
#define NELEM(a)  (int)(sizeof(a) / sizeof((a)[0]))

static bool seen[NR_FRAMES];

/*
 * Allocates until FRAME_NONE; every frame must be aligned, in [lo, hi),
 * at or above 1 MiB and new.  Returns how many there were.
 */
static size_t
drain(phys_addr_t lo, phys_addr_t hi)
{
	size_t n = 0;
	phys_addr_t f;

	ax_memset(seen, 0, sizeof seen);
	while ((f = frame_alloc()) != FRAME_NONE) {
		if (f % FRAME_SIZE != 0 || f < lo || f >= hi || f < MiB)
			unit_fail(__FILE__, __LINE__, "frame %#llx outside [%#llx, %#llx)",
				  (unsigned long long)f, (unsigned long long)lo,
				  (unsigned long long)hi);
		if (seen[f / FRAME_SIZE])
			unit_fail(__FILE__, __LINE__, "frame %#llx handed out twice",
				  (unsigned long long)f);
		seen[f / FRAME_SIZE] = true;
		n++;
	}
	return n;
}

TEST(frame_counts_whole_frames,
     "a PC-like map (640 KiB low, RAM from 1 MiB) frees exactly the frames from 1 MiB up")
{
	static const struct mem_range map[] = { { 0, 0x9fc00 }, { MiB, 0x7fe0000 } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), (0x7fe0000 - MiB) / FRAME_SIZE);
	CHECK_EQ_INT(frame_top(), 0x7fe0000);
	CHECK_EQ_INT(drain(MiB, 0x7fe0000), (0x7fe0000 - MiB) / FRAME_SIZE);
	CHECK_EQ_INT(frame_free_count(), 0);
}

TEST(frame_unaligned_ends, "a range with unaligned ends gives only the frames wholly inside it")
{
	static const struct mem_range map[] = { { MiB + 0x800, 2 * MiB + 0x800 } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), 255);
	CHECK_EQ_INT(frame_top(), 2 * MiB);
	CHECK_EQ_INT(drain(MiB + FRAME_SIZE, 2 * MiB), 255);
}

TEST(frame_tiny_range, "a range inside one frame, not covering it, frees nothing")
{
	static const struct mem_range map[] = { { MiB, 2 * MiB },
						{ 3 * MiB + 0x100, 3 * MiB + 0xf00 } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), 256);
	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256);
}

TEST(frame_overlapping_ranges, "overlapping and repeated ranges count each frame once")
{
	static const struct mem_range map[] = {
		{ MiB, 3 * MiB },
		{ 2 * MiB, 4 * MiB },
		{ MiB, 3 * MiB },
		{ 3 * MiB, 3 * MiB + 4 * KiB },
	};

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), 768);
	CHECK_EQ_INT(frame_top(), 4 * MiB);
	CHECK_EQ_INT(drain(MiB, 4 * MiB), 768);
}

TEST(frame_ignores_above_4gib, "RAM at or above 4 GiB is never counted nor handed out")
{
	static const struct mem_range map[] = {
		{ MiB, 2 * MiB },
		{ 5 * GiB, 6 * GiB },
		{ 4 * GiB - MiB, 4 * GiB + MiB },
	};

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), 512);
	CHECK_EQ_INT(frame_top(), 4 * GiB);
	CHECK_EQ_INT(drain(MiB, 4 * GiB), 512);
	CHECK(seen[(4 * GiB - FRAME_SIZE) / FRAME_SIZE]);
}

/*
 * frame_top is "the end of the highest usable frame", and main passes it
 * to arch_vm_init and prints it as the amount of memory.  A range wholly
 * above 4 GiB is ignored, so it must not move frame_top either.
 */
TEST(frame_top_ignores_above_4gib, "a range wholly above 4 GiB does not raise frame_top")
{
	static const struct mem_range map[] = { { MiB, 2 * MiB }, { 5 * GiB, 6 * GiB } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), 256);
	CHECK_EQ_INT(frame_top(), 2 * MiB);
}

TEST(frame_top_is_highest_end, "frame_top is the highest range end, rounded down, in any order")
{
	static const struct mem_range map[] = { { 16 * MiB, 32 * MiB + 0x800 }, { MiB, 2 * MiB } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_top(), 32 * MiB);
	CHECK_EQ_INT(frame_free_count(), 4096 + 256);
}

TEST(frame_low_memory_reserved, "frame 0 and everything below 1 MiB is never handed out")
{
	static const struct mem_range all[] = { { 0, 2 * MiB } };
	static const struct mem_range low[] = { { 0, 0x9fc00 }, { 0xe0000, MiB } };

	frame_init(all, NELEM(all));
	CHECK_EQ_INT(frame_free_count(), 256);
	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256);

	frame_init(low, NELEM(low));
	CHECK_EQ_INT(frame_free_count(), 0);
	CHECK_EQ_INT(frame_alloc(), FRAME_NONE);
}

TEST(frame_reserve_range,
     "frame_reserve takes every frame it touches, once, and ignores empty or high ranges")
{
	static const struct mem_range map[] = { { MiB, 2 * MiB } };

	frame_init(map, NELEM(map));
	frame_reserve(0x150000, 0x160800); /* frames 0x150..0x160 */
	CHECK_EQ_INT(frame_free_count(), 256 - 17);
	frame_reserve(0x150000, 0x160800);
	CHECK_EQ_INT(frame_free_count(), 256 - 17);
	frame_reserve(0x1ff800, 0x1ff801); /* frame 0x1ff */
	CHECK_EQ_INT(frame_free_count(), 256 - 18);
	frame_reserve(0x1f0000, 0x1f0000);
	frame_reserve(0x1f1000, 0x1f0000);
	frame_reserve(5 * GiB, 6 * GiB);
	frame_reserve(0, 0x1000);
	CHECK_EQ_INT(frame_free_count(), 256 - 18);

	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256 - 18);
	for (phys_addr_t f = 0x150000; f <= 0x160000; f += FRAME_SIZE)
		CHECK(!seen[f / FRAME_SIZE]);
	CHECK(!seen[0x1ff]);
	CHECK(seen[0x14f] && seen[0x161] && seen[0x1fe]);
}

TEST(frame_alloc_until_exhausted,
     "alloc gives distinct aligned frames until none is left, then FRAME_NONE for good")
{
	static const struct mem_range map[] = { { MiB, MiB + 300 * FRAME_SIZE } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(drain(MiB, MiB + 300 * FRAME_SIZE), 300);
	CHECK_EQ_INT(frame_free_count(), 0);
	CHECK_EQ_INT(frame_alloc(), FRAME_NONE);
	CHECK_EQ_INT(frame_alloc(), FRAME_NONE);
	CHECK_EQ_INT(frame_free_count(), 0);
}

TEST(frame_free_then_alloc, "freed frames are counted and handed out again")
{
	static const struct mem_range map[] = { { MiB, MiB + 100 * FRAME_SIZE } };
	phys_addr_t low = MiB + 3 * FRAME_SIZE, mid = MiB + 50 * FRAME_SIZE;
	phys_addr_t high = MiB + 99 * FRAME_SIZE;

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(drain(MiB, MiB + 100 * FRAME_SIZE), 100);
	frame_free(mid);
	CHECK_EQ_INT(frame_free_count(), 1);
	CHECK_EQ_INT(frame_alloc(), mid);
	CHECK_EQ_INT(frame_free_count(), 0);

	frame_free(high);
	frame_free(low);
	CHECK_EQ_INT(frame_free_count(), 2);
	phys_addr_t a = frame_alloc(), b = frame_alloc();
	CHECK((a == low && b == high) || (a == high && b == low));
	CHECK_EQ_INT(frame_alloc(), FRAME_NONE);
}

TEST(frame_double_free, "freeing a frame twice, or a free frame, does not inflate the count")
{
	static const struct mem_range map[] = { { MiB, 2 * MiB } };
	phys_addr_t f;

	frame_init(map, NELEM(map));
	frame_free(MiB + FRAME_SIZE);
	CHECK_EQ_INT(frame_free_count(), 256);

	f = frame_alloc();
	CHECK(f != FRAME_NONE);
	frame_free(f);
	frame_free(f);
	CHECK_EQ_INT(frame_free_count(), 256);
	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256);
	CHECK_EQ_INT(frame_free_count(), 0);
}

TEST(frame_free_bogus, "freeing FRAME_NONE or frames at or past frame_top changes nothing")
{
	static const struct mem_range map[] = { { MiB, 2 * MiB } };
	static const phys_addr_t bogus[] = {
		FRAME_NONE, 2 * MiB, 2 * MiB + FRAME_SIZE, 4 * GiB - FRAME_SIZE,
		4 * GiB,    8 * GiB, ~(phys_addr_t)0,
	};

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256);
	for (int i = 0; i < NELEM(bogus); i++)
		frame_free(bogus[i]);
	CHECK_EQ_INT(frame_free_count(), 0);
	CHECK_EQ_INT(frame_alloc(), FRAME_NONE);
}

TEST(frame_init_starts_afresh, "a second frame_init forgets the first map and its allocations")
{
	static const struct mem_range big[] = { { MiB, 64 * MiB } };
	static const struct mem_range small[] = { { MiB, 2 * MiB } };

	frame_init(big, NELEM(big));
	for (int i = 0; i < 1000; i++)
		frame_alloc();
	frame_init(small, NELEM(small));
	CHECK_EQ_INT(frame_free_count(), 256);
	CHECK_EQ_INT(frame_top(), 2 * MiB);
	CHECK_EQ_INT(drain(MiB, 2 * MiB), 256);
}

TEST(frame_whole_4gib, "4 GiB of RAM and more: every frame from 1 MiB to 4 GiB, once")
{
	static const struct mem_range map[] = { { 0, 4 * GiB }, { 4 * GiB, 8 * GiB } };

	frame_init(map, NELEM(map));
	CHECK_EQ_INT(frame_free_count(), NR_FRAMES - MiB / FRAME_SIZE);
	CHECK_EQ_INT(frame_top(), 4 * GiB);
	CHECK_EQ_INT(drain(MiB, 4 * GiB), NR_FRAMES - MiB / FRAME_SIZE);
}
