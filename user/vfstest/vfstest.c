/*
 * vfstest: the user side of the VFS tests (tests/guest/test_vfs.c), a
 * static musl program that PM starts with one mode as its argument.  Each
 * mode checks one part of VFS through the Linux calls and exits 0, or the
 * line number of the first check that failed (mod 256, never 0), after
 * printing the check on stderr (the console).
 *
 *   open_read_write  open/creat, read/write, pread/pwrite, readv/writev,
 *                    O_APPEND/O_EXCL/O_TRUNC, dup/dup2/dup3, fcntl, fstat
 *   lseek            SEEK_SET/CUR/END, holes, bad whence, negative offsets
 *   dirs             mkdir/rmdir, getdents64, chdir/fchdir/getcwd, *at()
 *   links            link, symlink, readlink, rename, chmod, chown, utimensat
 *   symlink_loop     the image's links: a loop and a chain of 41 are ELOOP,
 *                    a chain of 40 resolves; relative, absolute, dangling
 *   permissions      run as uid 1000: refused where Linux refuses
 *   bad_paths        bad pointers, too long, empty, not a directory
 *   mount            mount /dev/fsimg1 on /mnt read-only, cross it, umount
 *   dev_nodes        /dev/null, /dev/zero, /dev/hello, the console, a block node
 *   fork_shares_offset  a forked child shares the open files (offsets),
 *                    not the descriptors or the working directory
 *   lu_load          file and pipe calls for LU_MS while the test updates
 *                    VFS; its cwd, umask, offsets, pipe bytes and
 *                    children waiting in read and poll come through
 *   times            the date (CLOCK_REALTIME) on create, write, truncate,
 *                    chmod, chown, link, unlink, utimensat; relatime reads
 *   cloexec          execve closes the descriptors with FD_CLOEXEC (from
 *                    O_CLOEXEC, F_SETFD, F_DUPFD_CLOEXEC, dup3, pipe2) and
 *                    keeps the others; dup, dup2, F_DUPFD clear the flag
 *
 * The image's fixtures are under /vt (user/vfstest/Makefile.inc).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define UCHECK_PROGRAM "vfstest"
#include "ucheck.h"

static unsigned char buf[20000], buf2[20000];

static void
pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 131 + seed * 7) >> 2);
}

static int
t_open_read_write(void)
{
	struct stat st;
	struct iovec iov[3];
	int fd, fd2, fd3;
	char small[8];

	OK(mkdir("/tmp/orw", 0755));
	umask(022);
	fd = open("/tmp/orw/f", O_CREAT | O_RDWR | O_EXCL, 0666);
	CHECK(fd >= 3, fd); /* 0, 1 and 2 are the console's */
	pattern(buf, 10000, 1);
	CHECK(write(fd, buf, 10000) == 10000, 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10000, 0);
	CHECK(read(fd, buf2, 10) == 0, 0); /* at the end */
	CHECK(lseek(fd, 0, SEEK_SET) == 0, 0);
	memset(buf2, 0, sizeof(buf2));
	CHECK(read(fd, buf2, sizeof(buf2)) == 10000, 0);
	CHECK(memcmp(buf, buf2, 10000) == 0, 0);
	OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644, st.st_mode);
	CHECK(st.st_size == 10000 && st.st_nlink == 1 && st.st_uid == 0, st.st_size);
	FAILS(open("/tmp/orw/f", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	/* pread/pwrite leave the offset alone. */
	CHECK(lseek(fd, 5, SEEK_SET) == 5, 0);
	CHECK(pwrite(fd, "xyz", 3, 20000) == 3, 0);
	CHECK(pread(fd, small, 3, 20000) == 3 && memcmp(small, "xyz", 3) == 0, 0);
	CHECK(pread(fd, small, 8, 9998) == 8 && small[0] == (char)buf[9998] && small[2] == 0, 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 5, 0);
	OK(fstat(fd, &st));
	CHECK(st.st_size == 20003, st.st_size);
	/* readv/writev, in order. */
	iov[0] = (struct iovec){ "ab", 2 };
	iov[1] = (struct iovec){ "", 0 };
	iov[2] = (struct iovec){ "cdef", 4 };
	CHECK(lseek(fd, 0, SEEK_SET) == 0, 0);
	CHECK(writev(fd, iov, 3) == 6, 0);
	memset(small, 0, sizeof(small));
	iov[0] = (struct iovec){ small, 1 };
	iov[1] = (struct iovec){ small + 1, 5 };
	CHECK(lseek(fd, 0, SEEK_SET) == 0, 0);
	CHECK(readv(fd, iov, 2) == 6 && memcmp(small, "abcdef", 6) == 0, 0);
	/* dup shares the offset; FD_CLOEXEC is the descriptor's. */
	fd2 = dup(fd);
	CHECK(fd2 > fd, fd2);
	CHECK(lseek(fd, 100, SEEK_SET) == 100 && lseek(fd2, 0, SEEK_CUR) == 100, 0);
	CHECK((fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK)) == O_RDWR,
	      fcntl(fd, F_GETFL));
	OK(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK));
	CHECK((fcntl(fd2, F_GETFL) & (O_ACCMODE | O_APPEND | O_NONBLOCK)) ==
		      (O_RDWR | O_APPEND | O_NONBLOCK),
	      fcntl(fd2, F_GETFL));
	OK(fcntl(fd, F_SETFL, 0));
	fd3 = fcntl(fd, F_DUPFD_CLOEXEC, 20);
	CHECK(fd3 == 20, fd3);
	CHECK(fcntl(fd3, F_GETFD) == FD_CLOEXEC && fcntl(fd, F_GETFD) == 0, 0);
	OK(fcntl(fd3, F_SETFD, 0));
	CHECK(fcntl(fd3, F_GETFD) == 0, 0);
	CHECK(dup2(fd, 30) == 30 && dup2(fd, 30) == 30, 0);
	FAILS(dup3(fd, fd, 0), EINVAL);
	CHECK(dup3(fd, 31, O_CLOEXEC) == 31 && fcntl(31, F_GETFD) == FD_CLOEXEC, 0);
	FAILS(fcntl(fd, 9999), EINVAL);
	OK(close(30));
	OK(close(31));
	OK(close(fd3));
	OK(close(fd2));
	FAILS(close(fd2), EBADF);
	FAILS(read(fd2, small, 1), EBADF);
	OK(close(fd));
	/* Access modes, O_APPEND, O_TRUNC. */
	fd = open("/tmp/orw/f", O_RDONLY);
	CHECK(fd >= 0, fd);
	FAILS(write(fd, "x", 1), EBADF);
	OK(close(fd));
	fd = open("/tmp/orw/f", O_WRONLY | O_APPEND);
	FAILS(read(fd, small, 1), EBADF);
	CHECK(lseek(fd, 0, SEEK_SET) == 0, 0);
	CHECK(write(fd, "END", 3) == 3, 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 20006, lseek(fd, 0, SEEK_CUR));
	OK(close(fd));
	fd = open("/tmp/orw/f", O_RDWR | O_TRUNC);
	OK(fstat(fd, &st));
	CHECK(st.st_size == 0, st.st_size);
	OK(close(fd));
	fd = creat("/tmp/orw/g", 0600);
	CHECK(fd >= 0, fd);
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY, 0);
	OK(close(fd));
	FAILS(open("/tmp/orw", O_WRONLY), EISDIR);
	FAILS(open("/tmp/orw/f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = open("/tmp/orw", O_RDONLY);
	FAILS(read(fd, small, 1), EISDIR);
	OK(close(fd));
	OK(unlink("/tmp/orw/f"));
	OK(unlink("/tmp/orw/g"));
	FAILS(unlink("/tmp/orw/f"), ENOENT);
	OK(rmdir("/tmp/orw"));
	/* The console is standard output. */
	CHECK(write(1, "vfstest: hello on the console\n", 30) == 30, 0);
	return 0;
}

static int
t_lseek(void)
{
	int fd = open("/tmp/seek", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char c[4];

	CHECK(fd >= 0, fd);
	CHECK(write(fd, "0123456789", 10) == 10, 0);
	CHECK(lseek(fd, 3, SEEK_SET) == 3, 0);
	CHECK(read(fd, c, 2) == 2 && c[0] == '3' && c[1] == '4', 0);
	CHECK(lseek(fd, -2, SEEK_CUR) == 3, 0);
	CHECK(lseek(fd, -1, SEEK_END) == 9, 0);
	CHECK(read(fd, c, 4) == 1 && c[0] == '9', 0);
	FAILS(lseek(fd, -11, SEEK_END), EINVAL);
	FAILS(lseek(fd, -1, SEEK_SET), EINVAL);
	FAILS(lseek(fd, 0, 7), EINVAL);
	FAILS(lseek(99, 0, SEEK_SET), EBADF);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10, 0); /* failures moved nothing */
	/* Past the end: a hole that reads as zeroes. */
	CHECK(lseek(fd, 5000, SEEK_SET) == 5000, 0);
	CHECK(write(fd, "Z", 1) == 1, 0);
	CHECK(lseek(fd, 0, SEEK_END) == 5001, 0);
	CHECK(pread(fd, buf, 5001, 0) == 5001, 0);
	for (int i = 10; i < 5000; i++)
		CHECK(buf[i] == 0, i);
	CHECK(buf[5000] == 'Z', 0);
	/* A directory seeks to its start again (rewinddir). */
	int d = open("/", O_RDONLY | O_DIRECTORY);
	CHECK(d >= 0, d);
	CHECK(lseek(d, 0, SEEK_SET) == 0, 0);
	OK(close(d));
	OK(close(fd));
	OK(unlink("/tmp/seek"));
	return 0;
}

/*
 * How many entries of dir are called name, through getdents64 (not
 * readdir: musl's opendir needs malloc, which needs VM).
 */
static int
count_entry(const char *dir, const char *name)
{
	static char dbuf[4096];
	int fd = open(dir, O_RDONLY | O_DIRECTORY), n = 0;
	long got;

	if (fd < 0)
		return -1;
	while ((got = syscall(SYS_getdents64, fd, dbuf, sizeof(dbuf))) > 0) {
		for (long off = 0; off < got;) {
			struct dirent64 *e = (struct dirent64 *)(dbuf + off);

			n += strcmp(e->d_name, name) == 0;
			off += e->d_reclen;
		}
	}
	close(fd);
	return got < 0 ? -1 : n;
}

static int
t_dirs(void)
{
	char cwd[256];
	struct stat st;
	int dfd, fd;

	OK(mkdir("/tmp/dd", 0750));
	FAILS(mkdir("/tmp/dd", 0750), EEXIST);
	FAILS(mkdir("/tmp/nonexistent/x", 0755), ENOENT);
	FAILS(mkdir("/vt/file/x", 0755), ENOTDIR);
	OK(stat("/tmp/dd", &st));
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0750 && st.st_nlink == 2, st.st_mode);
	OK(mkdir("/tmp/dd/sub/", 0755)); /* a trailing slash */
	OK(stat("/tmp/dd", &st));
	CHECK(st.st_nlink == 3, st.st_nlink);
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/tmp/dd/f%d", i);
		fd = open(name, O_CREAT | O_WRONLY, 0644);
		CHECK(fd >= 0, fd);
		OK(close(fd));
	}
	CHECK(count_entry("/tmp/dd", ".") == 1 && count_entry("/tmp/dd", "..") == 1, 0);
	CHECK(count_entry("/tmp/dd", "f0") == 1 && count_entry("/tmp/dd", "f2") == 1, 0);
	CHECK(count_entry("/tmp/dd", "sub") == 1 && count_entry("/tmp/dd", "f3") == 0, 0);
	CHECK(count_entry("/", "tmp") == 1 && count_entry("/", "dev") == 1, 0);
	/* The working directory. */
	OK(chdir("/tmp/dd/sub"));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp/dd/sub") == 0, 0);
	FAILS(syscall(SYS_getcwd, cwd, 5), ERANGE);
	OK(chdir(".."));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp/dd") == 0, 0);
	fd = open("f1", O_RDONLY);
	CHECK(fd >= 0, fd);
	OK(close(fd));
	FAILS(chdir("f1"), ENOTDIR);
	dfd = open("sub", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, dfd);
	OK(chdir("/"));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0, 0);
	OK(fchdir(dfd));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp/dd/sub") == 0, 0);
	OK(chdir("/"));
	/* The *at() calls, relative to a directory descriptor. */
	fd = openat(dfd, "new", O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0, fd);
	OK(close(fd));
	OK(fstatat(dfd, "new", &st, 0));
	CHECK((st.st_mode & 0777) == 0600, st.st_mode);
	OK(mkdirat(dfd, "d2", 0700));
	FAILS(unlinkat(dfd, "d2", 0), EISDIR);
	OK(unlinkat(dfd, "d2", AT_REMOVEDIR));
	OK(unlinkat(dfd, "new", 0));
	FAILS(openat(0x7fff, "x", O_RDONLY), EBADF);
	fd = open("/tmp/dd/f0", O_RDONLY);
	FAILS(openat(fd, "x", O_RDONLY), ENOTDIR);
	OK(close(fd));
	OK(close(dfd));
	/* Removing. */
	FAILS(rmdir("/tmp/dd"), ENOTEMPTY);
	FAILS(rmdir("/tmp/dd/f0"), ENOTDIR);
	FAILS(rmdir("/tmp/dd/."), EINVAL);
	FAILS(unlink("/tmp/dd/sub"), EISDIR);
	OK(rmdir("/tmp/dd/sub"));
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "/tmp/dd/f%d", i);
		OK(unlink(name));
	}
	OK(rmdir("/tmp/dd"));
	FAILS(rmdir("/tmp/dd"), ENOENT);
	CHECK(count_entry("/tmp", "dd") == 0, 0);
	return 0;
}

static int
t_symlink_loop(void)
{
	char text[64];
	struct stat st;
	int fd;

	FAILS(open("/vt/loop1", O_RDONLY), ELOOP);
	FAILS(stat("/vt/loop2", &st), ELOOP);
	FAILS(open("/vt/chain0", O_RDONLY), ELOOP); /* 41 links */
	fd = open("/vt/chain1", O_RDONLY);          /* 40 links: allowed */
	CHECK(fd >= 0, fd);
	CHECK(read(fd, text, 5) == 5 && memcmp(text, "vfs t", 5) == 0, 0);
	OK(close(fd));
	/* lstat sees the link; stat what it names. */
	OK(lstat("/vt/loop1", &st));
	CHECK(S_ISLNK(st.st_mode), st.st_mode);
	CHECK(readlink("/vt/loop1", text, sizeof(text)) == 5 && memcmp(text, "loop2", 5) == 0, 0);
	FAILS(readlink("/vt/file", text, sizeof(text)), EINVAL);
	OK(stat("/vt/abs", &st));
	CHECK(S_ISREG(st.st_mode), st.st_mode);
	OK(stat("/vt/rel", &st)); /* dir/../file */
	CHECK(S_ISREG(st.st_mode), st.st_mode);
	OK(stat("/vt/dirlink/inner", &st)); /* a link in the middle */
	CHECK(S_ISREG(st.st_mode), st.st_mode);
	FAILS(stat("/vt/dangling", &st), ENOENT);
	OK(lstat("/vt/dangling", &st));
	FAILS(open("/vt/abs", O_RDONLY | O_NOFOLLOW), ELOOP);
	FAILS(open("/vt/loop1/x", O_RDONLY), ELOOP);
	OK(chdir("/vt/dirlink"));
	fd = open("../file", O_RDONLY); /* ".." of the directory, not of the link */
	CHECK(fd >= 0, fd);
	OK(close(fd));
	OK(chdir("/"));
	return 0;
}

static int
t_permissions(void)
{
	struct stat st;
	int fd;

	FAILS(open("/vt/secret", O_RDONLY), EACCES); /* 0600 root */
	FAILS(open("/vt/file", O_WRONLY), EACCES);   /* 0644 root */
	FAILS(open("/vt/file", O_RDWR), EACCES);
	FAILS(open("/root/x", O_RDONLY), EACCES); /* no search in 0700 */
	FAILS(stat("/root/x", &st), EACCES);
	FAILS(open("/root", O_RDONLY | O_DIRECTORY), EACCES);
	FAILS(mkdir("/vt/newdir", 0755), EACCES); /* 0755 root */
	FAILS(open("/vt/new", O_CREAT | O_WRONLY, 0644), EACCES);
	FAILS(unlink("/vt/file"), EACCES);
	FAILS(truncate("/vt/file", 0), EACCES);
	FAILS(access("/vt/file", W_OK), EACCES);
	OK(access("/vt/file", R_OK));
	FAILS(access("/vt/secret", R_OK), EACCES);
	FAILS(unlink("/tmp/rootfile"), EPERM); /* the sticky bit */
	FAILS(mount("/dev/fsimg1", "/mnt", "minix", MS_RDONLY, NULL), EPERM);
	FAILS(mknod("/tmp/dev", S_IFCHR | 0666, makedev(1, 40)), EPERM);
	FAILS(chroot("/tmp"), EPERM);
	FAILS(chown("/vt/file", 1000, 1000), EPERM);
	FAILS(chmod("/vt/file", 0777), EPERM);
	/* What it may do: its own file in /tmp (1777), with its ids. */
	fd = open("/tmp/mine", O_CREAT | O_EXCL | O_RDWR, 0640);
	CHECK(fd >= 0, fd);
	OK(fstat(fd, &st));
	CHECK(st.st_uid == 1000 && st.st_gid == 1000 && (st.st_mode & 0777) == 0640, st.st_uid);
	CHECK(write(fd, "x", 1) == 1, 0);
	OK(close(fd));
	OK(unlink("/tmp/mine"));
	return 0;
}

static int
t_bad_paths(void)
{
	static char longpath[5000];
	char name[300];
	struct stat st;
	int fd;

	FAILS(open(NULL, O_RDONLY), EFAULT);
	FAILS(open((char *)1, O_RDONLY), EFAULT);
	FAILS(open((char *)0xffff800000001000ul, O_RDONLY), EFAULT); /* the kernel's half */
	FAILS(syscall(SYS_stat, NULL, &st), EFAULT); /* musl's stat reads the path itself */
	FAILS(mkdir((char *)16, 0755), EFAULT);
	FAILS(open("", O_RDONLY), ENOENT);
	FAILS(stat("", &st), ENOENT);
	FAILS(mkdir("", 0755), ENOENT);
	FAILS(unlink(""), ENOENT);
	memset(longpath, 'a', sizeof(longpath) - 1); /* no NUL within PATH_MAX */
	FAILS(open(longpath, O_RDONLY), ENAMETOOLONG);
	for (int i = 0; i < 4094; i += 2) /* "a/a/a/...": 4095 bytes, too long with its NUL? */
		longpath[i] = 'a', longpath[i + 1] = '/';
	longpath[4096] = '\0';
	FAILS(open(longpath, O_RDONLY), ENAMETOOLONG);
	memset(name, 'n', 61);
	name[0] = '/';
	name[1] = 't', name[2] = 'm', name[3] = 'p', name[4] = '/';
	name[66] = '\0';
	memset(name + 5, 'n', 61); /* a 61-byte name: Minix keeps 60 */
	FAILS(open(name, O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	FAILS(stat(name, &st), ENAMETOOLONG);
	memset(name + 5, 'n', 280);
	name[285] = '\0'; /* longer than Linux's NAME_MAX */
	FAILS(mkdir(name, 0755), ENAMETOOLONG);
	FAILS(open("/vt/file/x", O_RDONLY), ENOTDIR);
	FAILS(open("/vt/file/", O_RDONLY), ENOTDIR);
	FAILS(stat("/nonexistent/x", &st), ENOENT);
	FAILS(chdir("/vt/file"), ENOTDIR);
	/* Bad buffers. */
	fd = open("/vt/file", O_RDONLY);
	CHECK(fd >= 0, fd);
	FAILS(read(fd, (void *)1, 10), EFAULT);
	FAILS(syscall(SYS_fstat, fd, (struct stat *)8), EFAULT); /* musl's fstat copies itself */
	FAILS(syscall(SYS_getdents64, fd, buf, sizeof(buf)), ENOTDIR);
	OK(close(fd));
	fd = open("/tmp/bad", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	FAILS(write(fd, (void *)0xffff800000000000ul, 10), EFAULT);
	OK(close(fd));
	OK(unlink("/tmp/bad"));
	FAILS(read(-1, buf, 1), EBADF);
	FAILS(read(1000, buf, 1), EBADF);
	FAILS(syscall(SYS_readlink, "/vt/loop1", name, 0), EINVAL); /* musl's readlink hides 0 */
	return 0;
}

/* MS_REMOUNT of /: read-only while nothing is open for writing, then writable again. */
static int
remount_root(void)
{
	struct statfs sfs;
	int fd = open("/tmp/remount", O_CREAT | O_WRONLY | O_TRUNC, 0644);

	CHECK(fd >= 0, fd);
	FAILS(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL), EBUSY); /* open for writing */
	OK(close(fd));
	fd = open("/tmp/remount", O_RDONLY); /* for reading: no obstacle */
	CHECK(fd >= 0, fd);
	OK(mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	OK(close(fd));
	FAILS(open("/tmp/remount2", O_CREAT | O_WRONLY, 0644), EROFS);
	FAILS(unlink("/tmp/remount"), EROFS);
	OK(statfs("/", &sfs));
	CHECK(sfs.f_flags & 1 /* ST_RDONLY */, sfs.f_flags);
	return 0;
}

static int
t_remount(void)
{
	struct statfs sfs;
	int r = remount_root();

	OK(mount(NULL, "/", NULL, MS_REMOUNT, NULL)); /* writable again, whatever happened */
	if (r)
		return r;
	OK(statfs("/", &sfs));
	CHECK(!(sfs.f_flags & 1), sfs.f_flags);
	OK(unlink("/tmp/remount"));
	/* An FS mounted read-only stays so; only a mount's root can be remounted. */
	OK(mount("/dev/fsimg1", "/mnt", "minix", MS_RDONLY, NULL));
	FAILS(mount(NULL, "/mnt", NULL, MS_REMOUNT, NULL), EROFS);
	OK(mount(NULL, "/mnt", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	FAILS(mount(NULL, "/mnt/dir", NULL, MS_REMOUNT | MS_RDONLY, NULL), EINVAL);
	OK(umount("/mnt"));
	return 0;
}

static int
t_mount(void)
{
	struct statfs sfs;
	struct stat st, st2;
	char cwd[64], text[64];
	int fd;

	OK(mount("/dev/fsimg1", "/mnt", "minix", MS_RDONLY, NULL));
	FAILS(mount("/dev/fsimg1", "/tmp", "minix", MS_RDONLY, NULL), EBUSY);
	FAILS(mount("/vt/file", "/tmp", "minix", MS_RDONLY, NULL), ENOTBLK);
	FAILS(mount("/dev/fsimg2", "/tmp", "ext4", 0, NULL), ENODEV);
	fd = open("/mnt/hello.txt", O_RDONLY);
	CHECK(fd >= 0, fd);
	CHECK(read(fd, text, sizeof(text)) == 50 &&
		      memcmp(text, "Hello from a Minix v3 image made by mkfs.minix -3\n", 50) == 0,
	      0);
	FAILS(umount("/mnt"), EBUSY); /* open */
	OK(close(fd));
	OK(statfs("/mnt", &sfs));
	CHECK(sfs.f_type == 0x4d5a && (sfs.f_flags & 1), sfs.f_type);
	FAILS(open("/mnt/new", O_CREAT | O_WRONLY, 0644), EROFS);
	/* Across the mount, both ways. */
	OK(stat("/", &st));
	OK(stat("/mnt/..", &st2));
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, st2.st_ino);
	OK(stat("/mnt", &st));
	OK(stat("/mnt/dir/sub/../..", &st2));
	CHECK(st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, st2.st_ino);
	OK(chdir("/mnt/dir/sub"));
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/mnt/dir/sub") == 0, 0);
	fd = open("../../hello.txt", O_RDONLY);
	CHECK(fd >= 0, fd);
	OK(close(fd));
	FAILS(umount("/mnt"), EBUSY); /* our working directory */
	OK(chdir("/"));
	FAILS(umount("/tmp"), EINVAL);
	FAILS(umount("/"), EBUSY);
	OK(umount("/mnt"));
	FAILS(open("/mnt/hello.txt", O_RDONLY), ENOENT);
	FAILS(umount("/mnt"), EINVAL);
	/* And again: the FS server is free for another mount. */
	OK(mount("/dev/fsimg1", "/mnt", "minix", MS_RDONLY, NULL));
	OK(stat("/mnt/hello.txt", &st));
	OK(umount("/mnt"));
	return 0;
}

static int
t_dev_nodes(void)
{
	struct stat st;
	char text[128];
	int fd, n;

	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0, fd);
	CHECK(write(fd, buf, 1000) == 1000, 0);
	CHECK(read(fd, buf, 100) == 0, 0);
	OK(fstat(fd, &st));
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 40, st.st_rdev);
	FAILS(ioctl(fd, 0x5401 /* TCGETS */, text), ENOTTY);
	OK(close(fd));
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 0xaa, 5000);
	CHECK(read(fd, buf, 5000) == 5000, 0);
	for (int i = 0; i < 5000; i++)
		CHECK(buf[i] == 0, i);
	OK(close(fd));
	fd = open("/dev/hello", O_RDONLY);
	CHECK(fd >= 0, fd);
	n = (int)read(fd, text, sizeof(text) - 1);
	CHECK(n > 0, n);
	text[n] = '\0';
	CHECK(strncmp(text, "Hello from hello", 16) == 0, n);
	CHECK(read(fd, text, sizeof(text)) == 0, 0); /* its position moved to the end */
	OK(close(fd));
	/* The console: standard output, a terminal. */
	OK(fstat(1, &st));
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 5 && minor(st.st_rdev) == 1, st.st_rdev);
	CHECK(ioctl(1, 0x5401 /* TCGETS */, text) == 0, 0); /* a terminal */
	CHECK(write(1, "vfstest: the console\n", 21) == 21, 0);
	FAILS(ioctl(open("/vt/file", O_RDONLY), 0x5401, text), ENOTTY);
	/* A block device: the superblock of the test image's first partition. */
	fd = open("/dev/fsimg1", O_RDONLY);
	CHECK(fd >= 0, fd);
	CHECK(pread(fd, buf, 2048, 0) == 2048, 0);
	CHECK(buf[1024 + 24] == 0x5a && buf[1024 + 25] == 0x4d, buf[1024 + 24]);
	FAILS(pread(fd, buf, 100, 0), EINVAL); /* whole sectors only */
	OK(close(fd));
	return 0;
}


static int
t_fork_shares_offset(void)
{
	char c, cwd[64];
	int fd, st;
	pid_t pid;

	fd = open("/tmp/fso", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0, fd);
	CHECK(write(fd, "0123456789", 10) == 10, 0);
	CHECK(lseek(fd, 2, SEEK_SET) == 2, 0);
	OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	pid = fork();
	CHECK(pid >= 0, pid);
	if (pid == 0) {
		/* The child: the same description (offset 2), the descriptor's flag copied. */
		if (read(fd, &c, 1) != 1 || c != '2')
			_exit(10);
		if (fcntl(fd, F_GETFD) != FD_CLOEXEC)
			_exit(11);
		if (lseek(fd, 7, SEEK_SET) != 7 || write(fd, "X", 1) != 1)
			_exit(12);
		if (dup2(fd, 40) != 40 || chdir("/tmp") < 0)
			_exit(13);
		close(fd); /* its copy only */
		_exit(0);
	}
	CHECK(waitpid(pid, &st, 0) == pid, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, st);
	CHECK(lseek(fd, 0, SEEK_CUR) == 8, lseek(fd, 0, SEEK_CUR)); /* the child moved it */
	CHECK(pread(fd, &c, 1, 7) == 1 && c == 'X', c);
	FAILS(fcntl(40, F_GETFD), EBADF); /* the child's dup2 was its own */
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0, 0); /* and its chdir */
	OK(close(fd));
	OK(unlink("/tmp/fso"));
	return 0;
}

/*
 * cloexec: descriptors that carry FD_CLOEXEC (from O_CLOEXEC, F_SETFD,
 * F_DUPFD_CLOEXEC, dup3, pipe2) are closed by execve, the others stay
 * open with their flag still off and their description (its offset)
 * intact; dup, dup2 and F_DUPFD make a descriptor without the flag even
 * from one that has it.  The parent sets them up and execs itself
 * (/boot/vfstest, the boot module) in mode cloexec_after, which checks.
 */
enum {
	CX_O = 10,
	CX_SETFD,
	CX_DUPFD_CX,
	CX_DUP3,
	CX_PIPE_R,
	CX_PIPE_W, /* closed at exec */
	CX_PLAIN = 20,
	CX_DUP,
	CX_DUP2,
	CX_DUPFD,
	CX_CLEARED
}; /* kept */

static void
move_fd(int fd, int to)
{
	CHECK(dup2(fd, to) == to, fd);
	OK(close(fd));
}

static int
t_cloexec(void)
{
	char *argv[] = { "vfstest", "cloexec_after", NULL };
	int fd, p[2], st;
	pid_t pid;

	fd = open("/vt/file", O_RDONLY | O_CLOEXEC);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC, fd);
	CHECK(dup3(fd, CX_O, O_CLOEXEC) == CX_O, 0);
	/* dup, dup2 and F_DUPFD of a close-on-exec descriptor: the flag is off. */
	CHECK(dup2(fd, CX_DUP2) == CX_DUP2 && fcntl(CX_DUP2, F_GETFD) == 0, 0);
	CHECK(fcntl(fd, F_DUPFD, CX_DUPFD) == CX_DUPFD && fcntl(CX_DUPFD, F_GETFD) == 0, 0);
	CHECK(fcntl(fd, F_DUPFD_CLOEXEC, CX_DUPFD_CX) == CX_DUPFD_CX, 0);
	CHECK(fcntl(CX_DUPFD_CX, F_GETFD) == FD_CLOEXEC, 0);
	move_fd(dup(fd), CX_DUP);
	CHECK(fcntl(CX_DUP, F_GETFD) == 0, fcntl(CX_DUP, F_GETFD));
	OK(close(fd));
	/* A plain descriptor whose offset the new image must see. */
	fd = open("/vt/file", O_RDONLY);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == 0 && lseek(fd, 4, SEEK_SET) == 4, fd);
	move_fd(fd, CX_PLAIN);
	CHECK(dup3(CX_PLAIN, CX_DUP3, O_CLOEXEC) == CX_DUP3, 0);
	fd = open("/vt/file", O_RDONLY);
	CHECK(fd >= 0, fd);
	move_fd(fd, CX_SETFD);
	OK(fcntl(CX_SETFD, F_SETFD, FD_CLOEXEC));
	CHECK(fcntl(CX_SETFD, F_GETFD) == FD_CLOEXEC, 0);
	/* F_SETFD 0 clears it again. */
	CHECK(dup3(CX_PLAIN, CX_CLEARED, O_CLOEXEC) == CX_CLEARED, 0);
	OK(fcntl(CX_CLEARED, F_SETFD, 0));
	OK(pipe2(p, O_CLOEXEC));
	CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC, 0);
	CHECK(dup3(p[0], CX_PIPE_R, O_CLOEXEC) == CX_PIPE_R, 0);
	CHECK(dup3(p[1], CX_PIPE_W, O_CLOEXEC) == CX_PIPE_W, 0);
	OK(close(p[0]));
	OK(close(p[1]));
	pid = fork();
	CHECK(pid >= 0, pid);
	if (pid == 0) {
		execve("/boot/vfstest", argv, NULL);
		_exit(99);
	}
	CHECK(waitpid(pid, &st, 0) == pid, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, st);
	/* The parent's own descriptors are untouched by the child's exec. */
	CHECK(fcntl(CX_O, F_GETFD) == FD_CLOEXEC && fcntl(CX_PLAIN, F_GETFD) == 0, 0);
	CHECK(lseek(CX_PLAIN, 0, SEEK_CUR) == 6,
	      lseek(CX_PLAIN, 0, SEEK_CUR)); /* moved by the child */
	return 0;
}

/* The new image of t_cloexec's child: what exec closed and what it kept. */
static int
t_cloexec_after(void)
{
	static const int closed[] = { CX_O, CX_SETFD, CX_DUPFD_CX, CX_DUP3, CX_PIPE_R, CX_PIPE_W };
	static const int kept[] = { CX_PLAIN, CX_DUP, CX_DUP2, CX_DUPFD, CX_CLEARED };
	char c[2];

	for (size_t i = 0; i < sizeof(closed) / sizeof(closed[0]); i++)
		FAILS(fcntl(closed[i], F_GETFD), EBADF);
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		CHECK(fcntl(kept[i], F_GETFD) == 0, kept[i]);
	/* The kept descriptor's description came through with its offset. */
	CHECK(read(CX_PLAIN, c, 2) == 2 && memcmp(c, "te", 2) == 0, c[0]);
	CHECK(fcntl(0, F_GETFD) == 0 && fcntl(1, F_GETFD) == 0, 0); /* the console */
	return 0;
}

/* A stamp of "now": within a second or two of the wall clock t0..t1 read around it. */
#define NEAR(t, t0, t1) ((t) + 1 >= (t0) && (t) <= (t1) + 1)

/*
 * times: every change stamps the date the wall clock (PM's
 * CLOCK_REALTIME) gives: a new file all three, its directory mtime and
 * ctime; write mtime and ctime; chmod, chown, link ctime only;
 * utimensat the times given (UTIME_NOW, UTIME_OMIT) and ctime; a read
 * atime as Linux's relatime does (when atime is not newer than mtime).
 */
static int
t_times(void)
{
	struct timespec ts[2];
	struct stat st, d;
	time_t t0, t1;
	char c;
	int fd;

	t0 = time(NULL);
	CHECK(t0 > 1600000000, t0); /* the CMOS clock was read */
	OK(mkdir("/tmp/tm", 0755));
	fd = open("/tmp/tm/f", O_CREAT | O_RDWR, 0644);
	CHECK(fd >= 0, fd);
	t1 = time(NULL);
	OK(fstat(fd, &st));
	CHECK(NEAR(st.st_atime, t0, t1) && NEAR(st.st_mtime, t0, t1) && NEAR(st.st_ctime, t0, t1),
	      st.st_mtime);
	OK(stat("/tmp/tm", &d));
	CHECK(NEAR(d.st_mtime, t0, t1) && NEAR(d.st_ctime, t0, t1), d.st_mtime);
	/* utimensat: the times given, ctime the date (touch -d). */
	ts[0] = (struct timespec){ 1000000000, 0 };
	ts[1] = (struct timespec){ 1100000000, 0 };
	OK(utimensat(AT_FDCWD, "/tmp/tm/f", ts, 0));
	OK(stat("/tmp/tm/f", &st));
	CHECK(st.st_atime == 1000000000 && st.st_mtime == 1100000000, st.st_mtime);
	CHECK(NEAR(st.st_ctime, t0, time(NULL)), st.st_ctime);
	/* A read: atime (not newer than mtime) becomes the date, mtime stays. */
	CHECK(write(fd, "x", 1) == 1, 0);
	OK(utimensat(AT_FDCWD, "/tmp/tm/f", ts, 0));
	CHECK(pread(fd, &c, 1, 0) == 1, 0);
	t1 = time(NULL);
	OK(fstat(fd, &st));
	CHECK(NEAR(st.st_atime, t0, t1) && st.st_mtime == 1100000000, st.st_atime);
	/* chmod and chown: ctime only. */
	ts[0] = (struct timespec){ 1000000000, 0 };
	OK(futimens(fd, ts));
	OK(chmod("/tmp/tm/f", 0600));
	OK(fchown(fd, 0, 0));
	OK(fstat(fd, &st));
	CHECK(st.st_mtime == 1100000000 && st.st_atime == 1000000000, st.st_mtime);
	CHECK(NEAR(st.st_ctime, t0, time(NULL)), st.st_ctime);
	/* UTIME_OMIT keeps one, UTIME_NOW sets the other. */
	ts[0] = (struct timespec){ 5, UTIME_OMIT };
	ts[1] = (struct timespec){ 0, UTIME_NOW };
	OK(futimens(fd, ts));
	OK(fstat(fd, &st));
	CHECK(st.st_atime == 1000000000 && NEAR(st.st_mtime, t0, time(NULL)), st.st_mtime);
	/* A write: mtime and ctime. */
	ts[0] = (struct timespec){ 1000000000, 0 };
	ts[1] = (struct timespec){ 1100000000, 0 };
	OK(futimens(fd, ts));
	CHECK(pwrite(fd, "abc", 3, 0) == 3, 0);
	OK(fstat(fd, &st));
	CHECK(NEAR(st.st_mtime, t0, time(NULL)) && st.st_atime == 1000000000, st.st_mtime);
	/* truncate: mtime and ctime. */
	OK(futimens(fd, ts));
	OK(ftruncate(fd, 1));
	OK(fstat(fd, &st));
	CHECK(NEAR(st.st_mtime, t0, time(NULL)), st.st_mtime);
	/* A link: the inode's ctime, the directory's mtime. */
	OK(futimens(fd, ts));
	OK(utimensat(AT_FDCWD, "/tmp/tm", ts, 0));
	OK(link("/tmp/tm/f", "/tmp/tm/g"));
	OK(fstat(fd, &st));
	OK(stat("/tmp/tm", &d));
	CHECK(st.st_mtime == 1100000000 && NEAR(st.st_ctime, t0, time(NULL)), st.st_mtime);
	CHECK(NEAR(d.st_mtime, t0, time(NULL)), d.st_mtime);
	/* An unlink: the directory's mtime. */
	OK(utimensat(AT_FDCWD, "/tmp/tm", ts, 0));
	OK(unlink("/tmp/tm/g"));
	OK(stat("/tmp/tm", &d));
	CHECK(NEAR(d.st_mtime, t0, time(NULL)), d.st_mtime);
	OK(close(fd));
	OK(unlink("/tmp/tm/f"));
	OK(rmdir("/tmp/tm"));
	return 0;
}

/*
 * lu_load: the load under which tests/guest/test_vfs.c live-updates VFS.
 * State that must come over: the working directory, the umask, a file's
 * offset, bytes waiting in a pipe, a child suspended in a pipe read and
 * one in poll.  Then, for LU_MS of the clock, rounds of file and pipe
 * calls, each checked; afterwards every piece of that state is checked.
 */
#define LU_MS 600

static long
ms_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A child that waits in VFS (a read, or poll) on fd until the parent writes. */
static pid_t
waiting_child(int fd, int other, bool use_poll)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char c = 0;

		close(other);
		if (use_poll && (poll(&p, 1, 20000) != 1 || p.revents != POLLIN))
			_exit(1);
		_exit(read(fd, &c, 1) == 1 && c == (use_poll ? 'p' : 'r') ? 0 : 2);
	}
	return pid;
}

static int
lu_round(int i)
{
	char name[32];
	int fd, p[2];

	snprintf(name, sizeof(name), "r%d", i % 8);
	pattern(buf, 4096, (unsigned)i);
	fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd >= 0 && write(fd, buf, 4096) == 4096, fd);
	CHECK(pread(fd, buf2, 4096, 0) == 4096 && memcmp(buf, buf2, 4096) == 0, i);
	OK(close(fd));
	if (i % 2)
		OK(unlink(name));
	OK(pipe(p));
	CHECK(write(p[1], buf, 512) == 512 && read(p[0], buf2, 512) == 512, i);
	CHECK(memcmp(buf, buf2, 512) == 0, i);
	OK(close(p[0]));
	OK(close(p[1]));
	return 0;
}

static int
t_lu_load(void)
{
	int fd, held[2], rq[2], pq[2], st, rounds = 0;
	unsigned char kept[100], got[200];
	pid_t reader, poller;
	char cwd[64];
	long end;

	OK(mkdir("/tmp/lu", 0755));
	OK(chdir("/tmp/lu"));
	umask(027);
	fd = open("data", O_CREAT | O_RDWR, 0666);
	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10, fd);
	OK(pipe(held));
	pattern(kept, sizeof(kept), 99);
	CHECK(write(held[1], kept, sizeof(kept)) == sizeof(kept), 0);
	OK(pipe(rq));
	OK(pipe(pq));
	reader = waiting_child(rq[0], rq[1], false);
	poller = waiting_child(pq[0], pq[1], true);
	CHECK(reader > 0 && poller > 0, reader);
	for (end = ms_now() + LU_MS; ms_now() < end; rounds++)
		if (lu_round(rounds))
			return 1;
	/* Everything that was there before is there after. */
	CHECK(getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/tmp/lu") == 0, 0);
	CHECK(umask(022) == 027, 0);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10 && write(fd, "ab", 2) == 2, 0);
	CHECK(pread(fd, buf2, 12, 0) == 12 && memcmp(buf2, "0123456789ab", 12) == 0, 0);
	CHECK(read(held[0], got, sizeof(got)) == sizeof(kept) &&
		      memcmp(kept, got, sizeof(kept)) == 0,
	      0);
	CHECK(write(rq[1], "r", 1) == 1 && write(pq[1], "p", 1) == 1, 0);
	CHECK(waitpid(reader, &st, 0) == reader && st == 0, st);
	CHECK(waitpid(poller, &st, 0) == poller && st == 0, st);
	say("vfstest lu_load: %d rounds\n", rounds);
	OK(close(fd));
	OK(unlink("data"));
	for (int i = 0; i < 8; i += 2)
		unlink((char[]){ 'r', (char)('0' + i), 0 });
	OK(chdir("/"));
	OK(rmdir("/tmp/lu"));
	return 0;
}

static int
t_links(void)
{
	struct stat st, st2;
	struct timespec ts[2];
	char text[16];
	int fd;

	OK(mkdir("/tmp/ln", 0755));
	fd = open("/tmp/ln/a", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3, fd);
	OK(close(fd));
	/* Hard links. */
	OK(link("/tmp/ln/a", "/tmp/ln/b"));
	OK(stat("/tmp/ln/a", &st));
	OK(stat("/tmp/ln/b", &st2));
	CHECK(st.st_nlink == 2 && st.st_ino == st2.st_ino, st.st_nlink);
	FAILS(link("/tmp/ln/a", "/tmp/ln/b"), EEXIST);
	FAILS(link("/tmp/ln", "/tmp/ln/d"), EPERM);
	FAILS(link("/tmp/ln/none", "/tmp/ln/e"), ENOENT);
	OK(unlink("/tmp/ln/a"));
	OK(stat("/tmp/ln/b", &st));
	CHECK(st.st_nlink == 1, st.st_nlink);
	/* Symbolic links. */
	OK(symlink("b", "/tmp/ln/s"));
	FAILS(symlink("b", "/tmp/ln/s"), EEXIST);
	FAILS(symlink("", "/tmp/ln/t"), ENOENT);
	CHECK(readlink("/tmp/ln/s", text, sizeof(text)) == 1 && text[0] == 'b', 0);
	OK(lstat("/tmp/ln/s", &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_size == 1, st.st_mode);
	fd = open("/tmp/ln/s", O_RDONLY);
	CHECK(fd >= 0 && read(fd, text, 3) == 3 && memcmp(text, "abc", 3) == 0, fd);
	OK(close(fd));
	/* Rename. */
	OK(rename("/tmp/ln/b", "/tmp/ln/c"));
	FAILS(stat("/tmp/ln/b", &st), ENOENT);
	FAILS(stat("/tmp/ln/s", &st), ENOENT); /* dangling now */
	OK(stat("/tmp/ln/c", &st));
	CHECK(st.st_size == 3, st.st_size);
	OK(symlink("c", "/tmp/ln/s2"));
	FAILS(syscall(SYS_renameat2, AT_FDCWD, "/tmp/ln/s2", AT_FDCWD, "/tmp/ln/c", 1), EEXIST);
	OK(rename("/tmp/ln/s2", "/tmp/ln/s")); /* replaces */
	CHECK(readlink("/tmp/ln/s", text, sizeof(text)) == 1 && text[0] == 'c', 0);
	/* Attributes. */
	OK(chmod("/tmp/ln/c", 0600));
	OK(stat("/tmp/ln/c", &st));
	CHECK((st.st_mode & 07777) == 0600, st.st_mode);
	OK(chown("/tmp/ln/c", 1000, 1000));
	OK(stat("/tmp/ln/c", &st));
	CHECK(st.st_uid == 1000 && st.st_gid == 1000, st.st_uid);
	ts[0] = (struct timespec){ 1000000000, 0 };
	ts[1] = (struct timespec){ 1500000000, 0 };
	OK(utimensat(AT_FDCWD, "/tmp/ln/c", ts, 0));
	OK(stat("/tmp/ln/c", &st));
	CHECK(st.st_atime == 1000000000 && st.st_mtime == 1500000000, st.st_mtime);
	OK(unlink("/tmp/ln/s"));
	OK(unlink("/tmp/ln/c"));
	OK(rmdir("/tmp/ln"));
	return 0;
}

/*
 * Benchmark modes (tests/bench/bench.c: `vfstest MODE N`): N rounds of one
 * file operation after the same setup, so that a run with N rounds less a
 * run with none is N operations.  The Linux twin (user/linux_bench) does
 * the same on a Minix image on Linux's RAM disk.
 */
static int bench_n;

static int
b_open_close(void)
{
	for (int i = 0; i < bench_n; i++) {
		int fd = open("/vt/file", O_RDONLY);

		CHECK(fd >= 0, fd);
		close(fd);
	}
	return 0;
}

static int
b_stat(void)
{
	struct stat st;

	for (int i = 0; i < bench_n; i++)
		CHECK(stat("/vt/file", &st) == 0, i);
	return 0;
}

static int
b_read_4k(void)
{
	int fd = open("/tmp/bench4k", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(fd >= 0 && pwrite(fd, buf, 4096, 0) == 4096, fd);
	CHECK(pread(fd, buf2, 4096, 0) == 4096, 0); /* cached from here on */
	for (int i = 0; i < bench_n; i++)
		CHECK(pread(fd, buf2, 4096, 0) == 4096, i);
	close(fd);
	unlink("/tmp/bench4k");
	return 0;
}

static int
b_write_4k(void)
{
	int fd = open("/tmp/bench4k", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(fd >= 0 && pwrite(fd, buf, 4096, 0) == 4096, fd);
	for (int i = 0; i < bench_n; i++)
		CHECK(pwrite(fd, buf, 4096, 0) == 4096, i);
	close(fd);
	unlink("/tmp/bench4k");
	return 0;
}

static int
b_create_unlink(void)
{
	for (int i = 0; i < bench_n; i++) {
		int fd = open("/tmp/benchcu", O_CREAT | O_EXCL | O_WRONLY, 0644);

		CHECK(fd >= 0, fd);
		close(fd);
		CHECK(unlink("/tmp/benchcu") == 0, i);
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} modes[] = {
	{ "open_read_write", t_open_read_write },
	{ "lseek", t_lseek },
	{ "dirs", t_dirs },
	{ "symlink_loop", t_symlink_loop },
	{ "permissions", t_permissions },
	{ "bad_paths", t_bad_paths },
	{ "mount", t_mount },
	{ "remount", t_remount },
	{ "dev_nodes", t_dev_nodes },
	{ "fork_shares_offset", t_fork_shares_offset },
	{ "links", t_links },
	{ "cloexec", t_cloexec },
	{ "times", t_times },
	{ "lu_load", t_lu_load },
	{ "cloexec_after", t_cloexec_after },
	{ "open_close", b_open_close },
	{ "stat", b_stat },
	{ "read_4k", b_read_4k },
	{ "write_4k", b_write_4k },
	{ "create_unlink", b_create_unlink },
};

int
main(int argc, char **argv)
{
	mode = argc > 1 ? argv[1] : "";
	bench_n = argc > 2 ? atoi(argv[2]) : 0;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(mode, modes[i].name) == 0)
			return modes[i].fn();
	say("vfstest: unknown mode %s\n", mode);
	return 255;
}
