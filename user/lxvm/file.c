/*
 * lxvm's file mappings (tests/guest/test_vm.c: vm.mmap_file,
 * vm.mmap_file_errors; servers/vm/mmap.c).  The test starts the boot
 * module in mode file_fs, which execs /bin/lxvm from the root file system
 * in the mode named after it, so the program that maps is one the file
 * system gave (and whose own pages VM's page cache holds).
 *
 *   file_map     a file written here, mapped MAP_PRIVATE and MAP_SHARED
 *                read-only, whole and from an offset, twice (the second
 *                from the page cache), compared with read(2); the tail of
 *                the last page is zeros; a MAP_PRIVATE write is the
 *                process's alone (the file, a second mapping and a fork's
 *                child do not see it; the child's write is its own);
 *                munmap of a part, mprotect, mremap; a write to the file
 *                after mmap makes the next mapping show the new bytes;
 *                the program's own file mapped and compared; msync and
 *                madvise (DONTNEED zeroes anonymous pages); /dev/zero
 *   file_errors  EBADF, EINVAL, EACCES, ENODEV (pipe, terminal,
 *                directory), MAP_SHARED writable (ENODEV: not served),
 *                mprotect of a MAP_SHARED mapping to PROT_WRITE (EACCES),
 *                a file mapping does not grow with mremap (ENOMEM)
 *   file_bus     a touch of a mapped page wholly past the end of the file:
 *                SIGBUS (the harness expects it)
 *   file_fs_dead /dev/ram2 (made a file system by the harness) mounted on
 *                /mnt, a file written there and mapped, then its file
 *                system crashed (`service fi vfsmnt`, /sbin/service from
 *                the root file system): the next mmap of it is EIO,
 *                without a hang; the mapping made before still reads its
 *                bytes (VM's frames); the dead mount unmounts
 */
#define _GNU_SOURCE
#define UCHECK_PROGRAM "lxvm"
#include "ucheck.h"
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>

#define PAGE  4096ul
#define FSIZE (3 * PAGE + 100) /* three pages and a partial one */

static uint8_t
pattern(size_t i, int round)
{
	return (uint8_t)(i * 7 + i / PAGE + (size_t)round * 13);
}

/* /tmp/lxvm.map with FSIZE bytes of round's pattern; its descriptor (O_RDWR). */
static int
make_file(int round)
{
	static uint8_t buf[FSIZE];
	int fd;

	for (size_t i = 0; i < FSIZE; i++)
		buf[i] = pattern(i, round);
	fd = open("/tmp/lxvm.map", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, fd);
	CHECK(write(fd, buf, FSIZE) == (ssize_t)FSIZE, -1);
	return fd;
}

/* The file's bytes [off, off+len) by pread equal p's. */
static int
same_as_file(int fd, const uint8_t *p, size_t off, size_t len)
{
	static uint8_t buf[FSIZE + PAGE];

	if (len > sizeof(buf))
		return 0;
	if (pread(fd, buf, len, (off_t)off) != (ssize_t)len)
		return 0;
	return memcmp(buf, p, len) == 0;
}

static void
check_map(void)
{
	int fd = make_file(0), ro;
	uint8_t *a, *b, *c, *s;
	pid_t pid;
	int st;

	ro = open("/tmp/lxvm.map", O_RDONLY);
	CHECK(ro >= 0, ro);

	/* Whole, private, read-only: the bytes, then zeros to the page's end. */
	a = mmap(NULL, FSIZE, PROT_READ, MAP_PRIVATE, ro, 0);
	CHECK(a != MAP_FAILED, (long)a);
	CHECK(((uintptr_t)a & (PAGE - 1)) == 0, (long)a);
	CHECK(same_as_file(ro, a, 0, FSIZE), 0);
	for (size_t i = FSIZE; i < 4 * PAGE; i++)
		CHECK(a[i] == 0, i);

	/* Again: from the page cache now, the same bytes. */
	b = mmap(NULL, FSIZE, PROT_READ, MAP_PRIVATE, ro, 0);
	CHECK(b != MAP_FAILED && b != a, (long)b);
	CHECK(memcmp(a, b, FSIZE) == 0, 0);

	/* From an offset, shared read-only. */
	s = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, ro, PAGE);
	CHECK(s != MAP_FAILED, (long)s);
	CHECK(same_as_file(ro, s, PAGE, 2 * PAGE), 0);

	/* Closed: the mappings stay. */
	CHECK(close(ro) == 0, -1);
	CHECK(memcmp(s, a + PAGE, 2 * PAGE) == 0, 0);

	/* Private and writable: a write is the process's alone. */
	c = mmap(NULL, FSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(c != MAP_FAILED, (long)c);
	CHECK(memcmp(c, a, FSIZE) == 0, 0);
	c[10] = 0xAA;
	c[PAGE + 5] = 0xBB;
	CHECK(c[10] == 0xAA && c[PAGE + 5] == 0xBB, c[10]);
	CHECK(a[10] == pattern(10, 0) && b[PAGE + 5] == pattern(PAGE + 5, 0), a[10]);
	CHECK(same_as_file(fd, a, 0, FSIZE), 0); /* the file did not change */

	/* fork: the child sees the parent's private bytes, its own writes are its own. */
	pid = fork();
	CHECK(pid >= 0, pid);
	if (pid == 0) {
		if (c[10] != 0xAA || a[20] != pattern(20, 0) || s[3] != pattern(PAGE + 3, 0))
			_exit(11);
		c[10] = 0xCC;
		c[2 * PAGE] = 0xDD;
		if (c[10] != 0xCC || c[2 * PAGE] != 0xDD)
			_exit(12);
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid, -1);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, st);
	CHECK(c[10] == 0xAA && c[2 * PAGE] == pattern(2 * PAGE, 0), c[10]);
	CHECK(same_as_file(fd, a, 0, FSIZE), 0);

	/* munmap of the middle page; the rest stays, with its bytes. */
	CHECK(munmap(a + PAGE, PAGE) == 0, -1);
	CHECK(a[5] == pattern(5, 0) && a[2 * PAGE + 7] == pattern(2 * PAGE + 7, 0), a[5]);
	/* mprotect: a private mapping may become writable; the file stays. */
	CHECK(mprotect(b, PAGE, PROT_READ | PROT_WRITE) == 0, -1);
	b[0] = 0xEE;
	CHECK(b[0] == 0xEE && c[0] == pattern(0, 0), b[0]);
	CHECK(mprotect(b, PAGE, PROT_READ) == 0, -1);
	/* mremap: shrunk in place, then moved: the bytes go with it. */
	s = mremap(s, 2 * PAGE, PAGE, 0);
	CHECK(s != MAP_FAILED && s[7] == pattern(PAGE + 7, 0), (long)s);
	{
		uint8_t *t = mmap(NULL, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		CHECK(t != MAP_FAILED, (long)t);
		s = mremap(s, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, t + PAGE);
		CHECK(s == t + PAGE && s[9] == pattern(PAGE + 9, 0), (long)s);
		CHECK(munmap(t, PAGE) == 0, -1);
	}

	/* The file written after mmap: the next mapping has the new bytes. */
	CHECK(pwrite(fd, "\x5a", 1, 3) == 1, -1);
	{
		uint8_t *d = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);

		CHECK(d != MAP_FAILED && d[3] == 0x5a && d[4] == pattern(4, 0), (long)d);
		CHECK(munmap(d, PAGE) == 0, -1);
	}
	CHECK(munmap(a, 4 * PAGE) == 0, -1); /* across the hole */
	CHECK(munmap(b, 4 * PAGE) == 0 && munmap(c, FSIZE) == 0 && munmap(s, PAGE) == 0, -1);
	CHECK(close(fd) == 0, -1);
	CHECK(unlink("/tmp/lxvm.map") == 0, -1);

	/* The program's own file (exec put its pages in the cache): as read(2) has it. */
	{
		int self = open("/bin/lxvm", O_RDONLY);
		off_t size = lseek(self, 0, SEEK_END);
		uint8_t *p;

		CHECK(self >= 0 && size > (off_t)PAGE, size);
		p = mmap(NULL, (size_t)size, PROT_READ | PROT_EXEC, MAP_PRIVATE, self, 0);
		CHECK(p != MAP_FAILED && p[0] == 0x7f && p[1] == 'E', (long)p);
		for (off_t off = 0; off < size; off += 4 * PAGE) { /* same_as_file's buffer */
			size_t n = size - off < 4 * (off_t)PAGE ? (size_t)(size - off) : 4 * PAGE;

			CHECK(same_as_file(self, p + off, (size_t)off, n), off);
		}
		CHECK(munmap(p, (size_t)size) == 0 && close(self) == 0, -1);
	}

	/* msync has nothing to write; madvise's hints change nothing; DONTNEED frees anonymous pages. */
	{
		uint8_t *f, *z;
		int self = open("/bin/lxvm", O_RDONLY);

		f = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, self, 0);
		CHECK(f != MAP_FAILED && f[0] == 0x7f, (long)f);
		CHECK(msync(f, 2 * PAGE, MS_SYNC) == 0 && msync(f, PAGE, MS_ASYNC) == 0, -1);
		FAILS(msync(f + 1, PAGE, MS_SYNC), EINVAL);
		FAILS(msync(f, PAGE, MS_SYNC | MS_ASYNC), EINVAL);
		CHECK(madvise(f, 2 * PAGE, MADV_SEQUENTIAL) == 0 &&
			      madvise(f, PAGE, MADV_WILLNEED) == 0 && f[1] == 'E',
		      -1);
		FAILS(madvise(f, PAGE, MADV_DONTNEED), EINVAL); /* a file mapping */
		CHECK(munmap(f, 2 * PAGE) == 0 && close(self) == 0, -1);
		FAILS(msync(f, PAGE, MS_SYNC), ENOMEM); /* not mapped now */
		FAILS(madvise(f, PAGE, MADV_NORMAL), ENOMEM);
		z = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		CHECK(z != MAP_FAILED, (long)z);
		z[0] = 5;
		z[PAGE] = 6;
		CHECK(madvise(z, PAGE, MADV_DONTNEED) == 0, -1);
		CHECK(z[0] == 0 && z[PAGE] == 6, z[0]);
		FAILS(madvise(z, PAGE, 100), EINVAL);
		CHECK(munmap(z, 2 * PAGE) == 0, -1);
	}

	/* /dev/zero: anonymous memory. */
	{
		int z = open("/dev/zero", O_RDWR);
		uint8_t *p;

		CHECK(z >= 0, z);
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, z, 0);
		CHECK(p != MAP_FAILED && p[0] == 0 && p[PAGE + 9] == 0, (long)p);
		p[1] = 1;
		CHECK(p[1] == 1 && munmap(p, 2 * PAGE) == 0 && close(z) == 0, -1);
	}
}

static void
check_errors(void)
{
	int fd = make_file(1), wo, ro, pfd[2], dir;
	uint8_t *p;

	CHECK(close(fd) == 0, -1);
	ro = open("/tmp/lxvm.map", O_RDONLY);
	wo = open("/tmp/lxvm.map", O_WRONLY);
	CHECK(ro >= 0 && wo >= 0, ro);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 60, 0), EBADF);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, ro, 100), EINVAL); /* offset not a page */
	FAILS(mmap(NULL, 0, PROT_READ, MAP_PRIVATE, ro, 0), EINVAL);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, wo, 0), EACCES);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wo, 0), EACCES);
	FAILS(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0), EACCES);
	/* Not served: a writable shared file mapping (servers/vm/README.md). */
	fd = open("/tmp/lxvm.map", O_RDWR);
	CHECK(fd >= 0, fd);
	FAILS(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), ENODEV);
	/* Not mappable. */
	CHECK(pipe(pfd) == 0, -1);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0), ENODEV);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, pfd[1], 0), EACCES); /* write-only end */
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 2, 0), ENODEV);     /* the console */
	dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK(dir >= 0, dir);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0), ENODEV);
	CHECK(close(dir) == 0, -1);
	/* A closed descriptor. */
	CHECK(close(pfd[1]) == 0 && close(pfd[0]) == 0, -1);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, pfd[0], 0), EBADF);
	/* A MAP_SHARED mapping of a read-only descriptor never becomes writable. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
	CHECK(p != MAP_FAILED && p[0] == pattern(0, 1), (long)p);
	FAILS(mprotect(p, PAGE, PROT_READ | PROT_WRITE), EACCES);
	CHECK(p[1] == pattern(1, 1), p[1]);
	/* A file mapping does not grow in place or moved. */
	FAILS(mremap(p, PAGE, 8 * PAGE, MREMAP_MAYMOVE), ENOMEM);
	CHECK(munmap(p, PAGE) == 0, -1);
	/* MAP_FIXED over anonymous memory, and MAP_FIXED_NOREPLACE over a mapping. */
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, (long)p);
	p[PAGE] = 9;
	CHECK(mmap(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, ro, 0) == p + PAGE, -1);
	CHECK(p[PAGE] == pattern(0, 1) && p[0] == 0, p[PAGE]);
	FAILS(mmap(p, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, ro, 0), EEXIST);
	CHECK(munmap(p, 4 * PAGE) == 0, -1);
	CHECK(close(ro) == 0 && close(wo) == 0 && close(fd) == 0, -1);
	CHECK(unlink("/tmp/lxvm.map") == 0, -1);
}

/* Past the end: the last page's tail reads zeros, the page after it is SIGBUS. */
static void
check_bus(void)
{
	int fd = make_file(2);
	volatile uint8_t *p = mmap(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	volatile uint8_t *q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 8 * PAGE);

	CHECK(p != MAP_FAILED && q != MAP_FAILED, (long)p);
	CHECK(p[3 * PAGE + 99] == pattern(3 * PAGE + 99, 2) && p[3 * PAGE + 100] == 0, 0);
	CHECK(unlink("/tmp/lxvm.map") == 0, -1);
	(void)p[5 * PAGE]; /* SIGBUS */
	fail(__LINE__, "a touch past the end of the file did not raise SIGBUS", 0);
}

/* The mounted file system dies under a mapping of one of its files. */
static void
check_fs_dead(void)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	uint8_t *p, *q = MAP_FAILED;
	pid_t pid;
	int fd, st, i;

	/* The harness made RAM disk 2 a fresh Minix v3 file system (tests/guest/ram_fs.c). */
	CHECK(mount("/dev/ram2", "/mnt", "minix", 0, NULL) == 0, -1);
	fd = open("/mnt/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, fd);
	for (i = 0; i < (int)(PAGE + 100); i++)
		CHECK(write(fd, &(uint8_t){ pattern((size_t)i, 3) }, 1) == 1, i);
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && same_as_file(fd, p, 0, PAGE + 100) && p[PAGE + 100] == 0, (long)p);
	pid = fork();
	CHECK(pid >= 0, pid);
	if (pid == 0) {
		execl("/sbin/service", "service", "fi", "vfsmnt", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0, st);
	/* The crash is RS's to carry out: within a few ticks every mmap of the file is EIO. */
	errno = 0;
	for (i = 0; i < 300; i++) {
		q = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
		if (q == MAP_FAILED)
			break;
		munmap(q, PAGE);
		nanosleep(&tick, NULL);
	}
	CHECK(q == MAP_FAILED && errno == EIO, errno);
	FAILS(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE), EIO);
	/* The mapping made before: VM's frames, the bytes as they were. */
	for (i = 0; i < (int)(PAGE + 100); i++)
		CHECK(p[i] == pattern((size_t)i, 3), i);
	CHECK(munmap(p, 2 * PAGE) == 0 && close(fd) == 0, -1);
	CHECK(umount("/mnt") == 0, -1);
}

int
mode_file(int argc, char **argv)
{
	const char *which = argv[1];

	mode = which;
	if (strcmp(which, "file_fs") == 0) {
		/* The same program from the file system, in mode argv[2]. */
		char *args[] = { "lxvm", argc > 2 ? argv[2] : "", NULL };

		execv("/bin/lxvm", args);
		fail(__LINE__, "exec of /bin/lxvm", errno);
	}
	if (strcmp(which, "file_map") == 0)
		check_map();
	else if (strcmp(which, "file_errors") == 0)
		check_errors();
	else if (strcmp(which, "file_bus") == 0)
		check_bus();
	else if (strcmp(which, "file_fs_dead") == 0)
		check_fs_dead();
	else
		return 99;
	return 0;
}
