/*
 * lxvm: a static musl program that the vm.* guest tests start through PM
 * (tests/guest/test_vm.c) to exercise VM's Linux memory calls from inside:
 * brk, mmap, munmap, mprotect, mremap and demand-zero pages.  It cannot
 * print (no VFS yet): each mode exits 0 when every check held and a
 * distinct small number for the first one that failed; the modes that must
 * die (a fault) end with the signal the harness expects.
 *
 *   brk          the break: grow, zero-filled pages, shrink, bad ends
 *   mmap         anonymous mappings: placement, hints, MAP_FIXED,
 *                MAP_FIXED_NOREPLACE, MAP_POPULATE, bad arguments, files;
 *                a server's copy (uname) into pages never touched
 *   mremap       grow in place, move with the data, shrink, bad arguments
 *   munmap       splitting a mapping, bad arguments, addresses reused
 *   munmap_touch a read of an unmapped page: SIGSEGV
 *   mprotect     rights change and data stays (PROT_NONE too), bad arguments
 *   mprotect_segv  a write to a page made read-only: SIGSEGV
 *   oom          mmap with MAP_POPULATE 1 MiB at a time until ENOMEM, brk
 *                until it stays, then spin (getpid) until killed
 *   oom_small    one populated MiB must fail with ENOMEM (memory is gone)
 *   oom_fault    MAP_NORESERVE over more than exists, touched: SIGKILL
 *   touch N      map N + 1 pages and touch N of them once (make bench:
 *                page_fault_insns, against touch 0)
 *   brkpage N    N times: the break up a page, its first touch, the break
 *                back (make bench: brk_page_insns, against brkpage 0; as
 *                Linux's twin, user/linux_bench)
 *   mmapfile N   N times: a page of /bin/lxvm mapped MAP_PRIVATE read-only
 *                (from VM's page cache after the first: VM asks VFS, VFS
 *                asks the FS for the size), its first touch, munmap (make
 *                bench: mmap_file_insns, against mmapfile 0)
 *   lu           live memory, forks and copy-on-write until SIGUSR1, while
 *                VM is live-updated (lu.c)
 *   file_*       file mappings (file.c, which says what each checks; these
 *                print the check that failed and exit with its line)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PAGE 4096ul
#define MIB  (1ul << 20)

/* The raw result of a system call: -errno on failure, as the kernel gives it. */
static long
raw6(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	long r;
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

static long
xmmap(unsigned long addr, unsigned long len, long prot, long flags, long fd, long off)
{
	return raw6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

static long
xbrk(unsigned long end)
{
	return raw6(SYS_brk, (long)end, 0, 0, 0, 0, 0);
}

/* Every byte of [p, p+len) is v. */
static int
all(const volatile uint8_t *p, size_t len, uint8_t v)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static int
mode_brk(void)
{
	unsigned long start = (unsigned long)xbrk(0), end;
	volatile uint8_t *p = (volatile uint8_t *)start;

	if (start == 0 || start % PAGE)
		return 1;
	if ((unsigned long)xbrk(start + MIB + 5) != start + MIB + 5)
		return 2;
	if (!all(p, MIB + 5, 0))
		return 3; /* demand-zero */
	memset((void *)p, 0x5a, MIB + 5);
	if ((unsigned long)xbrk(start + PAGE) != start + PAGE)
		return 4; /* shrink */
	if (p[0] != 0x5a || p[PAGE - 1] != 0x5a)
		return 5; /* the page kept */
	if ((unsigned long)xbrk(start + 2 * PAGE) != start + 2 * PAGE || p[PAGE] != 0)
		return 6; /* a page given back comes back zeroed */
	if ((unsigned long)xbrk(start - PAGE) != start + 2 * PAGE)
		return 7; /* below the start: the break stays */
	if ((unsigned long)xbrk(0x7ffffffff000ul) != start + 2 * PAGE)
		return 8; /* into the stack */
	if ((unsigned long)xbrk(0xffff800000000000ul) != start + 2 * PAGE)
		return 9; /* the kernel half */
	if ((unsigned long)xbrk(start + (1ul << 44)) != start + 2 * PAGE)
		return 10; /* more than there is */
	/* musl's malloc over it. */
	end = (unsigned long)xbrk(0);
	for (int i = 0; i < 16; i++) {
		uint8_t *q = malloc(100000);

		if (!q)
			return 11;
		memset(q, i, 100000);
		if (q[99999] != i)
			return 12;
	}
	return (unsigned long)xbrk(0) >= end ? 0 : 13;
}

static int
mode_mmap(void)
{
	long a, b, c;
	volatile uint8_t *p;

	a = xmmap(0, 5 * PAGE + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a < 0 || a % PAGE)
		return 1;
	p = (volatile uint8_t *)a;
	if (!all(p, 6 * PAGE, 0))
		return 2; /* rounded up to 6 pages, zero-filled */
	memset((void *)p, 0x11, 6 * PAGE);
	b = xmmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b < 0 || (b < a + (long)(6 * PAGE) && b + (long)PAGE > a))
		return 3; /* no overlap */
	/* MAP_FIXED over the middle: new zero pages, the rest kept. */
	if (xmmap((unsigned long)a + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != a + (long)(2 * PAGE))
		return 4;
	if (!all(p + 2 * PAGE, 2 * PAGE, 0) || !all(p, 2 * PAGE, 0x11) ||
	    !all(p + 4 * PAGE, 2 * PAGE, 0x11))
		return 5;
	/* MAP_FIXED_NOREPLACE over a mapping: EEXIST; a hint that is free is taken. */
	if (xmmap((unsigned long)a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x100000, -1,
		  0) != -EEXIST)
		return 6;
	c = xmmap(0x200000000ul, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c != 0x200000000l)
		return 7;
	/* MAP_POPULATE; MAP_SHARED anonymous (private until fork). */
	c = xmmap(0, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		  -1, 0);
	if (c < 0 || !all((uint8_t *)c, 16 * PAGE, 0))
		return 8;
	c = xmmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c < 0)
		return 9;
	/* Bad arguments. */
	if (xmmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != -EINVAL)
		return 20;
	if (xmmap(a + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) !=
	    -EINVAL)
		return 21;
	if (xmmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) != -EINVAL)
		return 22; /* neither shared nor private */
	if (xmmap(0, PAGE, 0x80, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != -EINVAL)
		return 23; /* unknown right */
	if (xmmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1) != -EINVAL)
		return 24; /* offset not page-aligned */
	if (xmmap(0, -PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != -ENOMEM)
		return 25; /* larger than the address space */
	if (xmmap(0xffff800000000000ul, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		  -1, 0) != -ENOMEM)
		return 26; /* the kernel half */
	if (xmmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != -EPERM)
		return 27; /* page 0 */
	if (xmmap(0, PAGE, PROT_READ, MAP_PRIVATE, 3, 0) != -EBADF)
		return 28; /* a file: no descriptor 3 (file.c has the file mappings) */
	if (xmmap(0, 1ul << 46, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
	    -ENOMEM)
		return 29; /* more than there is */
	/* A server's copy into a page never touched (PM's uname): VM makes it present. */
	c = xmmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c < 0 || raw6(SYS_uname, c + PAGE - 100, 0, 0, 0, 0, 0) != 0 ||
	    strcmp(((struct utsname *)(c + PAGE - 100))->sysname, "Linux") != 0)
		return 31;
	/* ... but not into a read-only one. */
	c = xmmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c < 0 || raw6(SYS_uname, c, 0, 0, 0, 0, 0) != -EFAULT)
		return 32;
	return all(p, 2 * PAGE, 0x11) ? 0 : 30;
}

static int
mode_mremap(void)
{
	long a = xmmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), b;
	long fence;
	volatile uint8_t *p = (volatile uint8_t *)a;

	if (a < 0)
		return 1;
	memset((void *)p, 0x33, 4 * PAGE);
	/* A neighbour right after it: growing must move. */
	fence = xmmap((unsigned long)a + 4 * PAGE, PAGE, PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (fence != a + (long)(4 * PAGE))
		return 2;
	if (raw6(SYS_mremap, a, 4 * PAGE, 8 * PAGE, 0, 0, 0) != -ENOMEM)
		return 3; /* no room, no MREMAP_MAYMOVE */
	b = raw6(SYS_mremap, a, 4 * PAGE, 8 * PAGE, MREMAP_MAYMOVE, 0, 0);
	if (b < 0 || b == a)
		return 4;
	p = (volatile uint8_t *)b;
	if (!all(p, 4 * PAGE, 0x33) || !all(p + 4 * PAGE, 4 * PAGE, 0))
		return 5; /* the data moved; the new part is zero */
	if (raw6(SYS_mremap, b, 8 * PAGE, 2 * PAGE, 0, 0, 0) != b || !all(p, 2 * PAGE, 0x33))
		return 6; /* shrink in place */
	if (raw6(SYS_mremap, b, 2 * PAGE, 3 * PAGE, 0, 0, 0) != b || p[2 * PAGE] != 0)
		return 7; /* grow in place: the pages after it are free now */
	if (raw6(SYS_mremap, b + 1, PAGE, PAGE, 0, 0, 0) != -EINVAL)
		return 8;
	if (raw6(SYS_mremap, b, PAGE, 0, 0, 0, 0) != -EINVAL)
		return 9;
	if (raw6(SYS_mremap, b, PAGE, PAGE, 0x80, 0, 0) != -EINVAL)
		return 10;
	if (raw6(SYS_mremap, 0x300000000l, PAGE, 2 * PAGE, MREMAP_MAYMOVE, 0, 0) != -EFAULT)
		return 11; /* nothing mapped there */
	b = raw6(SYS_mremap, b, 3 * PAGE, 3 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, 0x400000000l, 0);
	if (b != 0x400000000l || !all((uint8_t *)b, 2 * PAGE, 0x33))
		return 12;
	return 0;
}

static int
mode_munmap(void)
{
	long a = xmmap(0, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile uint8_t *p = (volatile uint8_t *)a;

	if (a < 0)
		return 1;
	memset((void *)p, 0x44, 3 * PAGE);
	if (munmap((void *)(a + PAGE), PAGE) != 0)
		return 2;
	if (p[0] != 0x44 || p[2 * PAGE] != 0x44)
		return 3; /* the two ends stay */
	/* The hole is free again: a hint there is taken, and it is zeroed. */
	if (xmmap((unsigned long)a + PAGE, PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | 0x100000, -1, 0) != a + (long)PAGE ||
	    p[PAGE] != 0)
		return 4;
	if (raw6(SYS_munmap, a + 1, PAGE, 0, 0, 0, 0) != -EINVAL)
		return 5;
	if (raw6(SYS_munmap, a, 0, 0, 0, 0, 0) != -EINVAL)
		return 6;
	if (raw6(SYS_munmap, 0x7ffffffff000l, 2 * PAGE, 0, 0, 0, 0) != -EINVAL)
		return 7; /* past the user half */
	if (raw6(SYS_munmap, 0x500000000l, PAGE, 0, 0, 0, 0) != 0)
		return 8; /* nothing there: fine, as Linux */
	if (munmap((void *)a, 3 * PAGE) != 0)
		return 9;
	return 0;
}

static int
mode_munmap_touch(void)
{
	long a = xmmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0 || munmap((void *)a, PAGE) != 0)
		return 1;
	return *(volatile uint8_t *)a + 2; /* SIGSEGV */
}

static int
mode_mprotect(void)
{
	long a = xmmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile uint8_t *p = (volatile uint8_t *)a;

	if (a < 0)
		return 1;
	memset((void *)p, 0x66, 4 * PAGE);
	if (mprotect((void *)(a + PAGE), PAGE, PROT_READ) != 0 || p[PAGE] != 0x66)
		return 2;
	if (mprotect((void *)(a + 2 * PAGE), PAGE, PROT_NONE) != 0)
		return 3;
	if (mprotect((void *)a, 4 * PAGE, PROT_READ | PROT_WRITE) != 0)
		return 4;
	if (!all(p, 4 * PAGE, 0x66))
		return 5; /* PROT_NONE and back kept the data */
	p[2 * PAGE] = 0x67;
	p[PAGE] = 0x68;
	if (raw6(SYS_mprotect, a + 1, PAGE, PROT_READ, 0, 0, 0) != -EINVAL)
		return 6;
	if (raw6(SYS_mprotect, a, PAGE, 0x80, 0, 0, 0) != -EINVAL)
		return 7;
	if (raw6(SYS_mprotect, 0x600000000l, PAGE, PROT_READ, 0, 0, 0) != -ENOMEM)
		return 8; /* nothing mapped */
	if (raw6(SYS_mprotect, a, 8 * PAGE, PROT_READ, 0, 0, 0) != -ENOMEM)
		return 9; /* partly mapped */
	if (raw6(SYS_mprotect, a, 0, PROT_READ, 0, 0, 0) != 0)
		return 10;
	if (raw6(SYS_mprotect, 0xffff800000000000l, PAGE, PROT_READ, 0, 0, 0) != -ENOMEM)
		return 11;
	return p[2 * PAGE] == 0x67 && p[PAGE] == 0x68 ? 0 : 12;
}

static int
mode_mprotect_segv(void)
{
	long a = xmmap(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0)
		return 1;
	*(volatile uint8_t *)a = 1;
	if (mprotect((void *)a, PAGE, PROT_READ) != 0 || *(volatile uint8_t *)a != 1)
		return 2;
	*(volatile uint8_t *)a = 2; /* SIGSEGV */
	return 3;
}

static int
mode_oom(void)
{
	unsigned long n = 0;
	long a, br;

	for (;;) {
		a = xmmap(0, MIB, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (a < 0)
			break;
		n++;
	}
	if (a != -ENOMEM || n == 0)
		return 1;
	br = xbrk(0);
	if (xbrk((unsigned long)br + 64 * MIB) != br)
		return 2; /* no room for the heap either: it stays */
	for (;;)
		getpid(); /* holding it all, until killed */
}

static int
mode_oom_small(void)
{
	return xmmap(0, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1,
		     0) == -ENOMEM
		       ? 0
		       : 1;
}

static int
mode_oom_fault(void)
{
	unsigned long len = 1ul << 40;
	long a = xmmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	if (a < 0)
		return 1;
	for (unsigned long off = 0; off < len; off += PAGE)
		*(volatile uint8_t *)(a + off) = 1; /* SIGKILL once nothing is left */
	return 2;
}

static int
mode_touch(long n)
{
	long a = xmmap(0, (unsigned long)(n + 1) * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0)
		return 1;
	for (long i = 0; i < n; i++)
		*(volatile uint8_t *)(a + i * (long)PAGE) = 1;
	return 0;
}

static int
mode_brkpage(long n)
{
	long b = raw6(SYS_brk, 0, 0, 0, 0, 0, 0);

	for (long i = 0; i < n; i++) {
		if (raw6(SYS_brk, b + (long)PAGE, 0, 0, 0, 0, 0) != b + (long)PAGE)
			return 1;
		*(volatile uint8_t *)b = 1;
		if (raw6(SYS_brk, b, 0, 0, 0, 0, 0) != b)
			return 2;
	}
	return 0;
}

static int
mode_mmapfile(long n)
{
	int fd = (int)raw6(SYS_open, (long)"/bin/lxvm", O_RDONLY, 0, 0, 0, 0);

	if (fd < 0)
		return 1;
	for (long i = 0; i < n; i++) {
		long p = xmmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p < 0 || *(volatile uint8_t *)p != 0x7f)
			return 2;
		if (raw6(SYS_munmap, p, (long)PAGE, 0, 0, 0, 0) != 0)
			return 3;
	}
	return 0;
}

int mode_lu(void);                    /* lu.c */
int mode_file(int argc, char **argv); /* file.c */

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0;

	if (strcmp(mode, "brk") == 0)
		return mode_brk();
	if (strcmp(mode, "mmap") == 0)
		return mode_mmap();
	if (strcmp(mode, "mremap") == 0)
		return mode_mremap();
	if (strcmp(mode, "munmap") == 0)
		return mode_munmap();
	if (strcmp(mode, "munmap_touch") == 0)
		return mode_munmap_touch();
	if (strcmp(mode, "mprotect") == 0)
		return mode_mprotect();
	if (strcmp(mode, "mprotect_segv") == 0)
		return mode_mprotect_segv();
	if (strcmp(mode, "oom") == 0)
		return mode_oom();
	if (strcmp(mode, "oom_small") == 0)
		return mode_oom_small();
	if (strcmp(mode, "oom_fault") == 0)
		return mode_oom_fault();
	if (strcmp(mode, "touch") == 0)
		return mode_touch(n);
	if (strcmp(mode, "brkpage") == 0)
		return mode_brkpage(n);
	if (strcmp(mode, "mmapfile") == 0)
		return mode_mmapfile(n);
	if (strcmp(mode, "lu") == 0)
		return mode_lu();
	if (strncmp(mode, "file_", 5) == 0)
		return mode_file(argc, argv);
	return 99;
}
