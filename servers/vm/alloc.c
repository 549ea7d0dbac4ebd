/*
 * VM's physical memory: every frame the kernel handed over at boot
 * (vmctl GETMEM: RAM above 4 GiB too), one bit each (set: in use) and a
 * reference count each (the mappings that share it: fork's copy-on-write).
 * The search for a free frame goes down from a hint (frame_alloc).
 *
 * The reserve: user processes (their faults and Linux calls) may not take
 * the last `reserved` free frames; PM's requests (building a program's
 * image) may.  Its size is 1/32 of VM's memory, at least 512 KiB and at
 * most 32 MiB (README.md).
 */
#include "vm.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#define MAX_RANGES 32

static struct range {
	uint64_t base, end; /* physical */
	uint64_t first;     /* index of its first frame */
} ranges[MAX_RANGES];
static int nr_ranges;

static uint64_t *used_map; /* a bit per frame */
static uint8_t *refs;      /* references per frame */
static uint64_t total, nfree, reserved, hint, top;

static int
index_of(uint64_t pa, uint64_t *ix)
{
	for (int i = 0; i < nr_ranges; i++)
		if (pa >= ranges[i].base && pa < ranges[i].end) {
			*ix = ranges[i].first + ((pa - ranges[i].base) >> PAGE_SHIFT);
			return 0;
		}
	return -EINVAL;
}

static uint64_t
pa_of(uint64_t ix)
{
	for (int i = nr_ranges - 1; i >= 0; i--)
		if (ix >= ranges[i].first)
			return ranges[i].base + ((ix - ranges[i].first) << PAGE_SHIFT);
	return 0;
}

int
alloc_init(void)
{
	struct msg_sys_vmctl rq;
	struct msg_sys_vmctl_reply rp;

	memset(&rq, 0, sizeof(rq));
	rq.op = VMCTL_GETMEM;
	for (nr_ranges = 0; nr_ranges < MAX_RANGES; nr_ranges++) {
		rq.pages = (uint64_t)nr_ranges;
		if (sys_vmctl(&rq, &rp) < 0)
			break;
		ranges[nr_ranges] = (struct range){ rp.base, rp.end, total };
		total += (rp.end - rp.base) >> PAGE_SHIFT;
		if (rp.end > top)
			top = rp.end;
	}
	used_map = calloc((total + 63) / 64 + 1, sizeof(uint64_t));
	refs = calloc(total + 1, 1);
	if (!used_map || !refs)
		return -ENOMEM;
	nfree = total;
	hint = total ? total - 1 : 0;
	reserved = total / 32;
	reserved = reserved < 128 ? 128 : reserved > 8192 ? 8192 : reserved;
	if (reserved > total / 2)
		reserved = total / 2;
	printf("vm: %llu KiB of memory in %d ranges, up to %#llx; %llu KiB reserved\n",
	       (unsigned long long)total * 4, nr_ranges, (unsigned long long)top,
	       (unsigned long long)reserved * 4);
	return 0;
}

/*
 * A free frame, searched downwards from the hint: the highest frames go
 * first, so RAM above 4 GiB is what user processes get first (vm.all_ram
 * shows it works) and the low frames stay free longest.
 */
uint64_t
frame_alloc(bool reserve)
{
	if (nfree == 0 || (!reserve && nfree <= reserved))
		return 0;
	for (int pass = 0; pass < 2; pass++, hint = total - 1) {
		for (uint64_t w = hint / 64 + 1; w-- > 0;) {
			uint64_t free_bits = ~used_map[w], ix;

			if (w == (total - 1) / 64 && total % 64)
				free_bits &= ((uint64_t)1 << (total % 64)) - 1;
			if (!free_bits)
				continue;
			ix = w * 64 + 63 - (uint64_t)__builtin_clzll(free_bits);
			used_map[w] |= (uint64_t)1 << (ix % 64);
			refs[ix] = 1;
			nfree--;
			hint = ix;
			return pa_of(ix);
		}
	}
	return 0;
}

bool
frame_ref(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || refs[ix] == 0 || refs[ix] == 255)
		return false;
	refs[ix]++;
	return true;
}

void
frame_unref(uint64_t pa)
{
	uint64_t ix;

	if (index_of(pa, &ix) < 0 || refs[ix] == 0)
		return;
	if (--refs[ix] > 0)
		return;
	used_map[ix / 64] &= ~((uint64_t)1 << (ix % 64));
	nfree++;
	if (ix > hint)
		hint = ix;
}

unsigned
frame_refs(uint64_t pa)
{
	uint64_t ix;

	return index_of(pa, &ix) == 0 ? refs[ix] : 0;
}

void
alloc_info(struct msg_vm_reply *out)
{
	memset(out, 0, sizeof(*out));
	out->total_pages = total;
	out->free_pages = nfree;
	out->reserved_pages = reserved;
	out->top = top;
	out->user_pages = user_pages;
}
