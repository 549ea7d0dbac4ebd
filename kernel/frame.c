/*
 * Page-frame allocator (see frame.h).  A set bit means "in use".  The search
 * for a free frame starts at a hint that only moves forward on allocation and
 * back on free, so allocation is amortised O(1) for the common pattern.
 */
#include "frame.h"
#include "boot_info.h"
#include <ax/errno.h>

#define NR_FRAMES (FRAME_MAX_PHYS / FRAME_SIZE)

static uint64_t frame_map[NR_FRAMES / 64];
static size_t frames_free;
static size_t frame_hint;
static size_t frame_limit; /* one past the highest usable frame */

static struct mem_range vm_ranges[FRAME_VM_RANGES]; /* VM's frames (frame_split) */
static int nr_vm_ranges;

static void
frame_mark(size_t f, bool used)
{
	uint64_t bit = (uint64_t)1 << (f % 64);
	bool was_used = frame_map[f / 64] & bit;

	if (was_used == used)
		return;
	if (used) {
		frame_map[f / 64] |= bit;
		frames_free--;
	} else {
		frame_map[f / 64] &= ~bit;
		frames_free++;
	}
}

static void
frame_mark_range(phys_addr_t start, phys_addr_t end, bool used)
{
	size_t first, last;

	if (start >= FRAME_MAX_PHYS)
		return;
	if (end > FRAME_MAX_PHYS)
		end = FRAME_MAX_PHYS;
	/* Free only whole frames; reserve every frame touched. */
	first = used ? start / FRAME_SIZE : (start + FRAME_SIZE - 1) / FRAME_SIZE;
	last = used ? (end + FRAME_SIZE - 1) / FRAME_SIZE : end / FRAME_SIZE;
	for (size_t f = first; f < last; f++)
		frame_mark(f, used);
}

void
frame_init(const struct mem_range *avail, int n)
{
	for (size_t i = 0; i < sizeof(frame_map) / sizeof(frame_map[0]); i++)
		frame_map[i] = ~(uint64_t)0;
	frames_free = 0;
	frame_limit = 0;
	for (int i = 0; i < n; i++) {
		phys_addr_t end = avail[i].end < FRAME_MAX_PHYS ? avail[i].end : FRAME_MAX_PHYS;
		size_t first = (avail[i].base + FRAME_SIZE - 1) / FRAME_SIZE;

		if (avail[i].base >= end || first >= end / FRAME_SIZE)
			continue; /* beyond what we manage, or no whole frame */
		frame_mark_range(avail[i].base, end, false);
		if (end / FRAME_SIZE > frame_limit)
			frame_limit = end / FRAME_SIZE;
	}
	frame_reserve(0, 0x100000); /* BIOS, real-mode leftovers, FRAME_NONE */
	frame_hint = 0;
}

void
frame_reserve(phys_addr_t start, phys_addr_t end)
{
	frame_mark_range(start, end, true);
}

phys_addr_t
frame_alloc(void)
{
	for (size_t w = frame_hint / 64; w < (frame_limit + 63) / 64; w++) {
		if (frame_map[w] == ~(uint64_t)0)
			continue;
		size_t f = w * 64 + (size_t)__builtin_ctzll(~frame_map[w]);
		if (f >= frame_limit)
			break;
		frame_mark(f, true);
		frame_hint = f;
		return (phys_addr_t)f * FRAME_SIZE;
	}
	return FRAME_NONE;
}

void
frame_free(phys_addr_t frame)
{
	size_t f = frame / FRAME_SIZE;

	if (frame == FRAME_NONE || f >= frame_limit)
		return;
	frame_mark(f, false);
	if (f < frame_hint)
		frame_hint = f;
}

size_t
frame_free_count(void)
{
	return frames_free;
}

phys_addr_t
frame_top(void)
{
	return (phys_addr_t)frame_limit * FRAME_SIZE;
}

static bool
frame_used(size_t f)
{
	return frame_map[f / 64] & ((uint64_t)1 << (f % 64));
}

static void
vm_range_add(phys_addr_t base, phys_addr_t end)
{
	if (nr_vm_ranges < FRAME_VM_RANGES && base < end)
		vm_ranges[nr_vm_ranges++] = (struct mem_range){ base, end };
}

/*
 * The split (frame.h): walk the kernel's frames upwards, keep the first
 * `keep` free ones, and give every later run of free frames to VM (marked
 * used here: they are no longer the kernel's); then every usable range
 * above FRAME_MAX_PHYS.  A run that finds no room in vm_ranges stays the
 * kernel's.
 */
size_t
frame_split(const struct mem_range *avail, int n, size_t keep)
{
	size_t kept = 0, given = 0, f = 0;

	nr_vm_ranges = 0;
	for (; f < frame_limit && kept < keep; f++)
		kept += !frame_used(f);
	while (f < frame_limit) {
		size_t start;

		while (f < frame_limit && frame_used(f))
			f++;
		for (start = f; f < frame_limit && !frame_used(f); f++)
			;
		if (start == f || nr_vm_ranges == FRAME_VM_RANGES)
			continue;
		vm_range_add((phys_addr_t)start * FRAME_SIZE, (phys_addr_t)f * FRAME_SIZE);
		frame_mark_range((phys_addr_t)start * FRAME_SIZE, (phys_addr_t)f * FRAME_SIZE,
				 true);
		given += f - start;
	}
	for (int i = 0; i < n; i++) {
		phys_addr_t base = avail[i].base < FRAME_MAX_PHYS ? FRAME_MAX_PHYS : avail[i].base;
		phys_addr_t end = avail[i].end & ~(phys_addr_t)(FRAME_SIZE - 1);

		base = (base + FRAME_SIZE - 1) & ~(phys_addr_t)(FRAME_SIZE - 1);
		if (base >= end || nr_vm_ranges == FRAME_VM_RANGES)
			continue;
		vm_range_add(base, end);
		given += (end - base) / FRAME_SIZE;
	}
	return given;
}

int
frame_vm_range(int i, phys_addr_t *base, phys_addr_t *end)
{
	if (i < 0 || i >= nr_vm_ranges)
		return -ENOENT;
	*base = vm_ranges[i].base;
	*end = vm_ranges[i].end;
	return 0;
}

bool
frame_is_vm(phys_addr_t pa)
{
	for (int i = 0; i < nr_vm_ranges; i++)
		if (pa >= vm_ranges[i].base && pa < vm_ranges[i].end &&
		    vm_ranges[i].end - pa >= FRAME_SIZE)
			return true;
	return false;
}
