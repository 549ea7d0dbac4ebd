/*
 * lxvm lu: live memory that must come through live updates of VM unharmed
 * (vm.lu, tests/guest/test_vm_lu.c).  It runs until SIGUSR1, round after
 * round, while the test updates VM under it:
 *
 *   areas    a heap (brk), an anonymous mapping, a mapping made PROT_NONE
 *            (VM keeps its pages; the kernel's tables do not have them)
 *            and a read-only one, every page filled with a pattern of its
 *            area, page and generation
 *   a round  checks every page; forks a child that checks them too, writes
 *            half of them (copy-on-write) and exits; checks that the
 *            parent's pages kept the parent's data; writes a new
 *            generation into a few pages; grows and shrinks the heap, maps,
 *            remaps (moving the frames) and unmaps scratch memory
 *   a sharer a child forked at the start holds every page shared until the
 *            end, checking its own copy and writing into it as it goes
 *
 * On SIGUSR1 it stops the sharer, collects it, makes the PROT_NONE area
 * readable and checks it, and exits 0; the first check that fails ends it
 * with its own number instead (the sharer's failure as 100 + its number).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE     4096ul
#define WORDS    (PAGE / 8)
#define HEAP_PG  32
#define ANON_PG  128
#define NONE_PG  16
#define RO_PG    16
#define NR_AREAS 4
#define SCRATCH  8

enum { HEAP, ANON, PNONE, RDONLY };

static const unsigned area_pages[NR_AREAS] = { HEAP_PG, ANON_PG, NONE_PG, RO_PG };
static uint64_t *area[NR_AREAS];
static uint8_t gen[NR_AREAS][ANON_PG]; /* each page's generation */
static volatile sig_atomic_t stop;

/* The break moved by inc (musl's sbrk takes only 0): the old break, or NULL. */
static void *
move_brk(long inc)
{
	unsigned long cur = (unsigned long)syscall(SYS_brk, 0);

	if ((unsigned long)syscall(SYS_brk, cur + (unsigned long)inc) != cur + (unsigned long)inc)
		return NULL;
	return (void *)cur;
}

static void
on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t
word(unsigned a, unsigned page, unsigned g, unsigned w)
{
	return ((uint64_t)a << 56) ^ ((uint64_t)g << 40) ^ ((uint64_t)page << 20) ^ w ^
	       0x5a5a000000000000ull;
}

static void
fill(unsigned a, unsigned page, unsigned g)
{
	uint64_t *p = area[a] + page * WORDS;

	for (unsigned w = 0; w < WORDS; w++)
		p[w] = word(a, page, g, w);
	gen[a][page] = (uint8_t)g;
}

static int
page_ok(unsigned a, unsigned page)
{
	const volatile uint64_t *p = area[a] + page * WORDS;

	for (unsigned w = 0; w < WORDS; w++)
		if (p[w] != word(a, page, gen[a][page], w))
			return 0;
	return 1;
}

/* Every page of every area but PROT_NONE's has its generation's pattern. */
static int
all_ok(void)
{
	for (unsigned a = 0; a < NR_AREAS; a++)
		for (unsigned pg = 0; a != PNONE && pg < area_pages[a]; pg++)
			if (!page_ok(a, pg))
				return 0;
	return 1;
}

static int
setup(void)
{
	void *heap = move_brk(HEAP_PG * PAGE);

	if (!heap)
		return 1;
	area[HEAP] = heap;
	for (unsigned a = ANON; a < NR_AREAS; a++) {
		void *p = mmap(NULL, area_pages[a] * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			return 2;
		area[a] = p;
	}
	for (unsigned a = 0; a < NR_AREAS; a++)
		for (unsigned pg = 0; pg < area_pages[a]; pg++)
			fill(a, pg, 1);
	if (mprotect(area[PNONE], NONE_PG * PAGE, PROT_NONE) != 0 ||
	    mprotect(area[RDONLY], RO_PG * PAGE, PROT_READ) != 0)
		return 3;
	return 0;
}

/* The child of a round: sees the parent's pages, writes its own into half. */
static int
child_round(void)
{
	if (!all_ok())
		return 1;
	for (unsigned pg = 0; pg < ANON_PG; pg += 2)
		fill(ANON, pg, gen[ANON][pg] + 100u);
	for (unsigned pg = 0; pg < HEAP_PG; pg += 2)
		fill(HEAP, pg, gen[HEAP][pg] + 100u);
	return all_ok() ? 0 : 2;
}

/* Heap up and down, a mapping moved with its data, scratch pages unmapped. */
static int
scratch(unsigned round)
{
	void *top = move_brk(SCRATCH * PAGE), *p, *q;

	if (!top)
		return 1;
	memset(top, (int)round, SCRATCH * PAGE);
	if (!move_brk(-(long)(SCRATCH * PAGE)))
		return 2;
	p = mmap(NULL, SCRATCH * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 3;
	memset(p, (int)round + 1, SCRATCH * PAGE);
	q = mremap(p, SCRATCH * PAGE, 4 * SCRATCH * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED || ((uint8_t *)q)[SCRATCH * PAGE - 1] != (uint8_t)(round + 1) ||
	    ((uint8_t *)q)[2 * SCRATCH * PAGE] != 0)
		return 4;
	return munmap(q, 4 * SCRATCH * PAGE) == 0 ? 0 : 5;
}

static int
round_once(unsigned round)
{
	int status;
	pid_t pid;

	if (!all_ok())
		return 10;
	if ((pid = fork()) < 0)
		return 11;
	if (pid == 0)
		_exit(child_round());
	if (waitpid(pid, &status, 0) != pid || status != 0)
		return 12;
	if (!all_ok())
		return 13; /* the child's writes were its own */
	fill(ANON, round % ANON_PG, gen[ANON][round % ANON_PG] + 1u);
	fill(HEAP, round % HEAP_PG, gen[HEAP][round % HEAP_PG] + 1u);
	return scratch(round) == 0 ? 0 : 14;
}

/* The sharer: its copy of every page, checked and written until SIGUSR1. */
static int
sharer(void)
{
	struct timespec nap = { 0, 5 * 1000 * 1000 };

	for (unsigned n = 0; !stop; n++) {
		if (!all_ok())
			return 1;
		fill(ANON, (n * 7) % ANON_PG, gen[ANON][(n * 7) % ANON_PG] + 50u);
		nanosleep(&nap, NULL);
	}
	return all_ok() ? 0 : 2;
}

int
mode_lu(void)
{
	int r, status;
	pid_t pid;

	signal(SIGUSR1, on_usr1);
	if ((r = setup()) != 0)
		return r;
	if ((pid = fork()) < 0)
		return 4;
	if (pid == 0)
		_exit(sharer());
	for (unsigned round = 0; !stop; round++)
		if ((r = round_once(round)) != 0)
			return r;
	if (kill(pid, SIGUSR1) != 0 || waitpid(pid, &status, 0) != pid)
		return 20;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return 100 + (WIFEXITED(status) ? WEXITSTATUS(status) : 50);
	if (mprotect(area[PNONE], NONE_PG * PAGE, PROT_READ) != 0)
		return 21;
	for (unsigned pg = 0; pg < NONE_PG; pg++)
		if (!page_ok(PNONE, pg))
			return 22; /* VM kept the pages the kernel's tables did not have */
	return all_ok() ? 0 : 23;
}
