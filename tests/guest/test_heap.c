/*
 * The heap of a system process: the BRK kernel call (kernel/system/do_brk.c),
 * brk/sbrk (lib/libsys/brk.c) and malloc (lib/libc/malloc.c).  Each test
 * runs in a fresh process, so its heap starts empty; the kernel's view of
 * it (sys_brk with NULL) shows the heap really growing and shrinking, and
 * a kernel call whose message lies above the break shows those pages are
 * gone.
 */
#include "guest.h"
#include <stdlib.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static uint8_t in_bss[64];

static struct msg_sys_brk_reply
heap_now(void)
{
	struct msg_sys_brk_reply r = { 0 };

	sys_brk(NULL, &r);
	return r;
}

/* -EFAULT when nothing is mapped at va: the kernel cannot read a message there. */
static int
probe(uint64_t va)
{
	return ipc_sendrec(SYSTEM, (message *)va);
}

TEST(heap, malloc, "malloc grows the heap, reuses freed blocks, and shrinks it again")
{
	struct msg_sys_brk_reply h0 = heap_now(), h1, h2;
	uint8_t *p, *q;

	EXPECT(h0.start % 4096 == 0 && h0.start > (uint64_t)(in_bss + sizeof(in_bss)),
	       "heap starts at %#llx", (unsigned long long)h0.start);
	EXPECT_EQ(h0.end, h0.start); /* nothing allocated yet */

	q = malloc(40);
	EXPECT(q != NULL, "malloc failed");
	free(q);
	EXPECT(malloc(40) == q, "a freed block is not reused");

	p = malloc(300000); /* above q: at the top */
	EXPECT(p != NULL, "malloc failed");
	h1 = heap_now();
	EXPECT((uint64_t)p % 16 == 0 && (uint64_t)p >= h0.start, "block at %p", p);
	EXPECT((uint64_t)p + 300000 <= h1.end, "block past the break");
	memset(p, 0xa5, 300000);

	free(p);
	h2 = heap_now();
	EXPECT(h2.end < h1.end - 250000, "heap end %#llx after free, was %#llx",
	       (unsigned long long)h2.end, (unsigned long long)h1.end);
	EXPECT_EQ(probe((h2.end + 4095) & ~4095ull), -EFAULT); /* unmapped */
	EXPECT_EQ(malloc_check(), 0);

	p = malloc(300000); /* and grows again */
	EXPECT(p != NULL && heap_now().end >= (uint64_t)p + 300000, "malloc failed");
	memset(p, 0x5a, 300000);
}

/*
 * What the kernel keeps free for system processes (the rest of the RAM is
 * VM's, for user processes: docs/processes.md), and a heap that takes 60%
 * of what a process that is not a root may take of it (less a peer's
 * image), at most 150 MiB: twice that does not fit (the tests hold from
 * -m 32M to -m 8G).
 */
static uint64_t
kept_free(void)
{
	struct msg_sys_resources res;

	return sys_getresources(&res) == 0 ? res.free_frames * 4096 : 0;
}

/* The frames only a root may take (kernel/quota.h: QUOTA_RESERVE_FRAMES). */
static uint64_t
root_reserve(void)
{
	struct msg_sys_resources res;

	return sys_getresources(&res) == 0 ? (uint64_t)res.reserve_frames * 4096 : 4 * MIB;
}

#define PEER_SLACK (1 * MIB) /* a peer's image */

static uint64_t
big_heap(void)
{
	uint64_t free = kept_free(), keep = root_reserve() + PEER_SLACK, n;

	free = free > keep ? free - keep : 0;
	n = free / 10 * 6 & ~(uint64_t)(MIB - 1);
	return n < 150 * MIB ? n : 150 * MIB;
}

TEST(heap, limit, "a heap past the limit or larger than free memory is ENOMEM; the process goes on")
{
	struct msg_sys_brk_reply h = heap_now();
	uint8_t *p;

	EXPECT_EQ(h.max, h.start + 256 * MIB);
	EXPECT_EQ(brk((void *)(h.max + 4096)), -ENOMEM);
	EXPECT_EQ(brk((void *)0x00007ffffff00000), -ENOMEM); /* the stack */
	EXPECT_EQ(brk((void *)0xffff800000000000), -ENOMEM); /* the kernel */
	/* A heap as large as the limit fits only if the kernel keeps that much. */
	if (kept_free() < 256 * MIB)
		EXPECT_EQ(brk((void *)h.max), -ENOMEM);
	EXPECT_EQ(heap_now().end, h.start); /* nothing changed */

	/* Twice 60% of the free memory fits only if shrinking gave the frames back. */
	EXPECT(big_heap() >= MIB, "the kernel keeps %llu KiB free, no room for a heap",
	       (unsigned long long)(kept_free() >> 10));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(brk((void *)(h.start + big_heap())), 0);
		EXPECT_EQ(brk((void *)h.start), 0);
	}

	EXPECT(malloc(300 * MIB) == NULL, "malloc past the limit");
	if (kept_free() < 250 * MIB)
		EXPECT(malloc(250 * MIB) == NULL, "malloc of more than the free memory");
	EXPECT(calloc(1ull << 40, 1ull << 40) == NULL, "calloc overflow");
	p = malloc(1000);
	EXPECT(p != NULL, "no malloc after a refusal");
	memset(p, 1, 1000);
	EXPECT(heap_now().end >= (uint64_t)p + 1000, "heap end below the block");
	EXPECT_EQ(malloc_check(), 1);
}

TEST(heap, bad_brk, "an end below the heap's start is EINVAL; brk and sbrk map and unmap pages")
{
	struct msg_sys_brk_reply h = heap_now();
	uint8_t *p;

	EXPECT_EQ(brk((void *)(h.start - 1)), -EINVAL);
	EXPECT_EQ(brk((void *)4096), -EINVAL);
	EXPECT_EQ(brk(NULL), -EINVAL);
	EXPECT(sbrk(-1) == (void *)-1, "sbrk below the start");
	EXPECT_EQ(heap_now().end, h.start);

	/* An end inside a page maps that page; the page after stays unmapped. */
	EXPECT_EQ(brk((void *)(h.start + 3 * 4096 + 100)), 0);
	EXPECT_EQ(heap_now().end, h.start + 3 * 4096 + 100);
	EXPECT(sbrk(0) == (void *)(h.start + 3 * 4096 + 100), "sbrk(0) disagrees");
	p = (uint8_t *)h.start;
	memset(p, 0x5a, 4 * 4096);
	EXPECT_EQ(probe(h.start + 4 * 4096), -EFAULT);

	/* Shrinking unmaps; growing again gives zeroed pages. */
	EXPECT(sbrk(-(3 * 4096 + 100)) == (void *)(h.start + 3 * 4096 + 100), "sbrk shrink");
	EXPECT_EQ(probe(h.start), -EFAULT);
	EXPECT(sbrk(2 * 4096) == (void *)h.start, "sbrk grow");
	for (int i = 0; i < 2 * 4096; i++)
		EXPECT(p[i] == 0, "byte %d is %d after regrowing", i, p[i]);
	EXPECT_EQ(heap_now().end, h.start + 2 * 4096);
}

/* A new peer process that may use its heap (more than the default) and has no manager. */
static int
spawn_heap_peer(const char *name, endpoint_t *e)
{
	struct priv_desc d;

	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS;
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.mem_limit = 200 * MIB; /* exit_frees takes 150 MiB */
	/* The kernel builds it: these tests are of the kernel's brk. */
	return spawn_program_kernel("peer", name, NULL, -1, &d, e);
}

TEST(heap, update,
     "a heap moves with its program in sys_update, and keeps growing and shrinking there")
{
	endpoint_t o, n;
	uint64_t block_o, block_n, end_o, end_n, start_o, start_n;
	message m;

	/* Two peers of our own: the shared ones may be asleep in other tests' plans. */
	EXPECT_EQ(spawn_heap_peer("heap_old", &o), 0);
	EXPECT_EQ(spawn_heap_peer("heap_new", &n), 0);
	EXPECT_EQ(peer_call(o, PEER_HEAP_ALLOC, 200 * 1024, 0, &m), 0);
	block_o = m.m_u64.v[0], end_o = m.m_u64.v[1], start_o = m.m_u64.v[2];
	EXPECT_EQ(peer_call(n, PEER_HEAP_ALLOC, 600 * 1024, 0, &m), 0);
	block_n = m.m_u64.v[0], end_n = m.m_u64.v[1], start_n = m.m_u64.v[2];
	EXPECT(block_o && block_n, "peer malloc failed");
	EXPECT(end_o != end_n, "both heaps end at %#llx", (unsigned long long)end_o);

	EXPECT_EQ(await_receive(o), 0); /* both back in their receive */
	EXPECT_EQ(await_receive(n), 0);
	EXPECT_EQ(sys_update(o, n, 0), 0);

	/* At o's endpoint runs what was n: its block, its heap bounds. */
	EXPECT_EQ(peer_call(o, PEER_HEAP_CHECK, block_n, 600 * 1024, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], 1);
	EXPECT_EQ(m.m_u64.v[1], end_n);
	EXPECT_EQ(m.m_u64.v[2], start_n);
	EXPECT_EQ(peer_call(n, PEER_HEAP_CHECK, block_o, 200 * 1024, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], 1);
	EXPECT_EQ(m.m_u64.v[1], end_o);
	EXPECT_EQ(m.m_u64.v[2], start_o);

	/* Freeing shrinks each heap in its new slot; growing works there too. */
	EXPECT_EQ(peer_call(o, PEER_HEAP_FREE, block_n, 0, &m), 0);
	EXPECT(m.m_u64.v[1] < end_n - 500 * 1024, "heap did not shrink after the update");
	EXPECT_EQ(peer_call(n, PEER_HEAP_FREE, block_o, 0, &m), 0);
	EXPECT(m.m_u64.v[1] < end_o - 100 * 1024, "heap did not shrink after the update");
	EXPECT_EQ(peer_call(n, PEER_HEAP_ALLOC, 400 * 1024, 0, &m), 0);
	EXPECT(m.m_u64.v[0] && m.m_u64.v[1] >= m.m_u64.v[0] + 400 * 1024,
	       "no growth after the update");
	EXPECT_EQ(peer_call(n, PEER_HEAP_CHECK, m.m_u64.v[0], 400 * 1024, &m), 0);
	EXPECT_EQ(m.m_u64.v[0], 1);

	EXPECT_EQ(peer_command(o, PEER_EXIT, 0, 0), 0);
	EXPECT_EQ(peer_command(n, PEER_EXIT, 0, 0), 0);
}

TEST(heap, exit_frees,
     "a process that ends, or is killed, with a large heap gives all its frames back")
{
	static const int ends[] = { PEER_EXIT, PEER_FAULT, PEER_EXIT };
	message m;

	/* 60% of the free memory each (big_heap): a leak fails the next round. */
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		endpoint_t e;

		EXPECT_EQ(spawn_heap_peer("heap_big", &e), 0);
		EXPECT_EQ(peer_call(e, PEER_BRK, big_heap(), 0, &m), 0);
		EXPECT_EQ((int64_t)m.m_u64.v[0], 0);
		EXPECT_EQ(peer_command(e, ends[i], 0, 0), 0);
		EXPECT_EQ(await_gone(e), 0);
		EXPECT_EQ(ipc_send(e, &m), -EDEADSRCDST);
	}
}
