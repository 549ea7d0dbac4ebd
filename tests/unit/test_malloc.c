/*
 * Host tests of lib/libc/malloc.c.  The allocator runs over a fake sbrk
 * (ax_sbrk below) that moves a break inside a static arena, with a limit a
 * test may lower to make growth fail; ax_panic ends the test, as passed
 * when the test said which panic it expects.  Each test runs in a fresh
 * child process (unit.c), so each starts with an empty heap.
 */
#include "host_prefix.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit.h"

#define ARENA_SIZE (32 * 1024 * 1024)

static char arena[ARENA_SIZE] __attribute__((aligned(4096)));
static size_t arena_break = 8; /* not 16-aligned: malloc must align */
static size_t arena_limit = ARENA_SIZE;
static const char *expected_panic; /* a part of the message, or NULL */

/* What malloc.c calls as panic (host_prefix.h renames it). */
void ax_panic(const char *fmt, ...) __attribute__((noreturn, format(__printf__, 1, 2)));

void *
ax_sbrk(intptr_t inc)
{
	size_t old = arena_break;

	if ((inc > 0 && (size_t)inc > arena_limit - old) || (inc < 0 && (size_t)-inc > old))
		return (void *)-1;
	arena_break += inc;
	return arena + old;
}

void
ax_panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	ax_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (expected_panic && ax_strstr(msg, expected_panic))
		unit_pass();
	unit_fail(__FILE__, __LINE__, "panic: %s", msg);
}

static char *
current_break(void)
{
	return arena + arena_break;
}

static bool
aligned(const void *p)
{
	return ((uintptr_t)p & 15) == 0;
}

static void
fill(void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)(seed + i * 7);
}

static bool
holds(const void *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		if (((const uint8_t *)p)[i] != (uint8_t)(seed + i * 7))
			return false;
	return true;
}

TEST(malloc_alignment, "every size gets a distinct 16-byte-aligned block that holds its bytes")
{
	static const size_t sizes[] = { 0,  1,  7,   15,   16,   17,   31,    32,
					33, 48, 100, 1000, 4095, 4096, 70000, 300000 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = ax_malloc(sizes[i]);
		CHECK(p[i] != NULL);
		CHECK(aligned(p[i]));
		CHECK((char *)p[i] >= arena && (char *)p[i] + sizes[i] <= current_break());
		fill(p[i], sizes[i], (uint8_t)i);
	}
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		CHECK(holds(p[i], sizes[i], (uint8_t)i));
	ax_malloc_check();
}

TEST(malloc_reuse, "a freed block serves the next request of its size, without growing the heap")
{
	void *keep = ax_malloc(64), *p = ax_malloc(100), *q;
	char *brk_before = current_break();

	CHECK(keep && p);
	ax_free(p);
	q = ax_malloc(100);
	CHECK(q == p);
	CHECK(current_break() == brk_before);
	ax_free(ax_malloc(0)); /* malloc(0) gives a block that free takes back */
	ax_free(NULL);
	ax_malloc_check();
}

TEST(malloc_coalesce, "freed neighbours merge into one block that a larger request reuses")
{
	char *a = ax_malloc(1000), *b = ax_malloc(1000), *c = ax_malloc(1000);
	size_t free_blocks = ax_malloc_check();

	CHECK(a && b && c && a < b && b < c);
	ax_free(a);
	ax_free(c);
	CHECK_EQ_INT(ax_malloc_check(), free_blocks + 1); /* a; c joined the top */
	ax_free(b);
	CHECK_EQ_INT(ax_malloc_check(), free_blocks); /* a, b, c and the top: one */
	CHECK(ax_malloc(2900) == a);
}

TEST(realloc_keeps_data, "realloc grows in place or moves, and shrinks, keeping the data")
{
	char *p = ax_malloc(100), *q, *wall, *wall2;

	fill(p, 100, 3);
	p = ax_realloc(p, 5000); /* the top block: grows in place */
	CHECK(p && aligned(p) && holds(p, 100, 3));
	fill(p, 5000, 4);
	wall = ax_malloc(10); /* now p cannot grow in place */
	q = ax_realloc(p, 20000);
	CHECK(q && q != p && aligned(q) && holds(q, 5000, 4));
	wall2 = ax_malloc(10000); /* after q: bounds what the shrink frees */
	CHECK(wall2 > q);
	p = ax_realloc(q, 200); /* shrinks in place */
	CHECK(p == q && holds(p, 200, 4));
	q = ax_malloc(19000); /* fits in what the shrink gave back */
	CHECK(q > p && q < wall2);
	CHECK(ax_realloc(NULL, 10) != NULL);
	CHECK(ax_realloc(wall, 0) == NULL);
	CHECK(ax_realloc(p, SIZE_MAX) == NULL && holds(p, 200, 4));
	ax_malloc_check();
}

TEST(calloc_zeroes, "calloc zeroes a reused block and refuses an overflowing product")
{
	char *p = ax_malloc(3000), *q;

	memset(p, 0xff, 3000);
	ax_free(p);
	q = ax_calloc(3, 1000);
	CHECK(q == p);
	for (int i = 0; i < 3000; i++)
		CHECK(q[i] == 0);
	CHECK(ax_calloc(SIZE_MAX / 2, 4) == NULL);
	CHECK(ax_calloc(0, 10) != NULL);
}

TEST(heap_shrinks, "freeing a large block at the top gives its memory back with a negative sbrk")
{
	void *small = ax_malloc(10), *big;
	char *brk_small = current_break();

	big = ax_malloc(1 << 20);
	CHECK(small && big);
	CHECK(current_break() >= brk_small + (1 << 20) - 64 * 1024); /* the top's slack used */
	ax_free(big);
	CHECK(current_break() < brk_small); /* even the slack of the first growth */
	CHECK(ax_malloc(100) != NULL);
	ax_malloc_check();
}

TEST(malloc_out_of_memory, "when sbrk fails malloc returns NULL and the heap stays usable")
{
	void *p = ax_malloc(100);

	arena_limit = arena_break + 100000;
	CHECK(ax_malloc(200000) == NULL);
	CHECK(ax_malloc(SIZE_MAX) == NULL);
	CHECK(ax_malloc(SIZE_MAX / 4 + 1) == NULL);
	CHECK(ax_realloc(p, 300000) == NULL);
	CHECK(ax_malloc(50000) != NULL);
	ax_free(p);
	ax_malloc_check();
}

TEST(free_twice_panics, "freeing a block twice ends the process with \"double free\"")
{
	void *p = ax_malloc(100);

	ax_malloc(100); /* so p stays a block of its own when freed */
	ax_free(p);
	expected_panic = "double free";
	ax_free(p);
	unit_fail(__FILE__, __LINE__, "no panic");
}

TEST(free_foreign_panics, "freeing a pointer malloc did not return ends the process")
{
	char local[32];

	ax_malloc(10);
	expected_panic = "not a pointer from malloc";
	ax_free(local);
	unit_fail(__FILE__, __LINE__, "no panic");
}

TEST(free_interior_panics, "freeing a pointer into the middle of a block ends the process")
{
	char *p = ax_malloc(200);

	expected_panic = "not a pointer from malloc";
	ax_free(p + 32);
	unit_fail(__FILE__, __LINE__, "no panic");
}

TEST(break_moved_panics, "malloc notices when someone else moved the break")
{
	ax_malloc(10);
	ax_sbrk(4096);
	expected_panic = "break moved";
	ax_malloc(1 << 20);
	unit_fail(__FILE__, __LINE__, "no panic");
}

/* ---- random operations against a shadow model ---------------------------- */

#define SLOTS  200
#define ROUNDS 30000

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t
random32(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Mostly small sizes, some medium, a few large ones. */
static size_t
random_size(void)
{
	uint32_t r = random32() % 100;

	if (r < 70)
		return random32() % 256;
	if (r < 97)
		return random32() % 8192;
	return random32() % (300 * 1024);
}

struct shadow {
	uint8_t *p;
	size_t n;
	uint8_t seed;
};

static void
shadow_new(struct shadow *s, void *p, size_t n, bool zeroed)
{
	CHECK(p != NULL && aligned(p));
	if (zeroed)
		for (size_t i = 0; i < n; i++)
			CHECK(((uint8_t *)p)[i] == 0);
	s->p = p;
	s->n = n;
	s->seed = (uint8_t)random32();
	fill(p, n, s->seed);
}

static void
random_step(struct shadow *s)
{
	size_t n = random_size(), keep;
	uint32_t op = random32() % 4;

	if (!s->p) {
		if (op == 0)
			shadow_new(s, ax_calloc(1, n), n, true);
		else
			shadow_new(s, ax_malloc(n), n, false);
		return;
	}
	CHECK(holds(s->p, s->n, s->seed));
	if (op < 2) {
		ax_free(s->p);
		s->p = NULL;
		return;
	}
	keep = n < s->n ? n : s->n;
	s->p = ax_realloc(s->p, n);
	CHECK(n == 0 ? s->p == NULL : s->p != NULL && aligned(s->p));
	if (s->p) {
		CHECK(holds(s->p, keep, s->seed));
		s->n = n;
		fill(s->p, n, s->seed);
	}
}

TEST(malloc_random_stress,
     "random malloc/calloc/realloc/free keep every block's bytes and the heap whole")
{
	static struct shadow slot[SLOTS];
	char *start;

	ax_free(ax_malloc(1));
	start = current_break();
	for (int round = 0; round < ROUNDS; round++) {
		random_step(&slot[random32() % SLOTS]);
		if (round % 1000 == 0)
			ax_malloc_check();
	}
	for (int i = 0; i < SLOTS; i++) {
		CHECK(!slot[i].p || holds(slot[i].p, slot[i].n, slot[i].seed));
		ax_free(slot[i].p);
	}
	CHECK(ax_malloc_check() <= 1);               /* everything merged again */
	CHECK(current_break() < start + 128 * 1024); /* and the top given back */
}
