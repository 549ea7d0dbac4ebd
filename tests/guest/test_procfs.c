/*
 * procfs through the VFS-FS protocol, spoken directly as VFS speaks it
 * (procfs.protocol; vfs.procfs goes through VFS itself): a user process started for the test
 * appears as /proc/<pid> with stat, status and cmdline in Linux's formats;
 * /proc/self is the caller's pid; the root lists its files and the
 * processes; a process that ends disappears; the write side is EROFS.
 * The protocol's client is mfs_client.c's, pointed at procfs.
 */
#include "guest.h"
#include "sefsvc_proto.h"
#include "mfs_client.h"
#include <ax/linux.h>
#include <ax/pm.h>
#include <ax/signal.h>
#include <ax/vfs_fs.h>

static char buf[4096];

/* The whole text of `path` (NUL-terminated in buf): its length, or -E. */
static int64_t
read_text(fs_ino_t root, const char *path)
{
	struct msg_fs_lookup_reply lr;
	int64_t n, r;

	if ((r = fs_lookup_pid(root, path, 0, 0, &lr)) < 0)
		return r;
	/* In two pieces: the position must carry. */
	n = fs_io(FS_READ, lr.r_ino, 0, buf, 10, NULL);
	if (n == 10 && (r = fs_io(FS_READ, lr.r_ino, 10, buf + 10, sizeof(buf) - 11, NULL)) >= 0)
		n += r;
	fs_putnode(lr.r_ino, 1);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Fields of a /proc/<pid>/stat line after the name: how many, and the n-th (1: state). */
static int
stat_fields(const char *line, int want, long long *value, char *state)
{
	const char *p = strrchr(line, ')');
	int count = 0;

	if (!p)
		return -1;
	for (p++; *p;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		count++;
		if (count == 1)
			*state = *p;
		if (count == want) {
			long long v = 0, sign = 1;
			const char *q = p;

			if (*q == '-') {
				sign = -1;
				q++;
			}
			while (*q >= '0' && *q <= '9')
				v = v * 10 + (*q++ - '0');
			*value = v * sign;
		}
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	return count;
}

TEST(procfs, protocol,
     "procfs answers the VFS-FS protocol: /proc/<pid>/stat, status, cmdline in Linux's formats, "
     "/proc/self per caller, the root's listing, a process that ends disappears, EROFS")
{
	struct msg_pm_reply pr;
	struct msg_fs_lookup_reply lr;
	fs_ino_t root, held_stat;
	char pidname[16], want[64];
	long long v = 0;
	char state = 0;
	uint64_t next;
	int64_t n;
	bool seen_pid = false, seen_self = false, seen_meminfo = false;
	message m;
	static const char label[] = "none";
	endpoint_t vm;

	mfs = svc_lookup("procfs", NULL, NULL); /* the client's server: procfs */
	EXPECT(mfs != NONE, "procfs is not running");
	memset(&m, 0, sizeof(m));
	fs_call(FS_UNMOUNT, &m); /* a mount an earlier run left */
	memset(&m, 0, sizeof(m));
	m.m_fs_readsuper.rs_label = cpf_grant_direct(mfs, label, 4, GRANT_READ);
	m.m_fs_readsuper.rs_label_len = 4;
	EXPECT_EQ(fs_call(FS_READSUPER, &m), 0);
	cpf_revoke(m.m_fs_readsuper.rs_label);
	root = m.m_fs_node.n_ino;
	EXPECT_EQ(m.m_fs_node.n_mode, 0040555);
	EXPECT_EQ(m.m_fs_node.n_flags & FS_RES_RDONLY, FS_RES_RDONLY);

	/* A user process of our own, spinning until killed. */
	EXPECT_EQ(proc_start("lxtest", "spin", &pr), 0);
	snprintf(pidname, sizeof(pidname), "%d", pr.pid);

	/* /proc/<pid>/stat: 52 fields, the name in parentheses, pid, state, ppid. */
	snprintf(want, sizeof(want), "%s/stat", pidname);
	n = read_text(root, want);
	EXPECT(n > 0, "%s: %lld", want, (long long)n);
	snprintf(want, sizeof(want), "%d (lxtest) ", pr.pid);
	EXPECT(strncmp(buf, want, strlen(want)) == 0, "stat: %s", buf);
	EXPECT_EQ(stat_fields(buf, 2, &v, &state), 50); /* after pid and (comm) */
	EXPECT(state == 'R', "state %c", state);
	EXPECT_EQ(v, pr.ppid);
	EXPECT(buf[n - 1] == '\n', "no newline at the end");
	/* vsize (field 23) and rss (24) from VM: its regions, its pages. */
	EXPECT_EQ(stat_fields(buf, 21, &v, &state), 50);
	EXPECT(v >= 3 * 4096 && v % 4096 == 0, "vsize %lld", v);
	EXPECT_EQ(stat_fields(buf, 22, &v, &state), 50);
	EXPECT(v >= 2 && v < 1000, "rss %lld pages", v);

	/* status and cmdline. */
	snprintf(want, sizeof(want), "%s/status", pidname);
	EXPECT(read_text(root, want) > 0, "status");
	EXPECT(strstr(buf, "Name:\tlxtest\n") != NULL, "status: %s", buf);
	snprintf(want, sizeof(want), "\nPid:\t%d\n", pr.pid);
	EXPECT(strstr(buf, want) != NULL, "status: %s", buf);
	EXPECT(strstr(buf, "\nUid:\t") != NULL, "status: %s", buf);
	EXPECT(strstr(buf, "\nVmSize:\t") && strstr(buf, "\nVmRSS:\t"), "status: %s", buf);
	snprintf(want, sizeof(want), "%s/cmdline", pidname);
	EXPECT_EQ(read_text(root, want), 12); /* its argv, from its memory */
	EXPECT(memcmp(buf, "lxtest\0spin\0", 12) == 0, "cmdline %s", buf);

	/* The directory, and a file held while its process ends. */
	EXPECT_EQ(fs_lookup_pid(root, pidname, 0, 0, &lr), 0);
	EXPECT_EQ(lr.r_mode, 0040555);
	memset(&m, 0, sizeof(m));
	m.m_fs_inode.i_ino = lr.r_ino;
	EXPECT_EQ(fs_call(FS_STAT, &m), 0);
	EXPECT_EQ(m.m_fs_stat.s_mode, 0040555);
	EXPECT_EQ(m.m_fs_stat.s_uid, 0);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	snprintf(want, sizeof(want), "%s/stat", pidname);
	EXPECT_EQ(fs_lookup_pid(root, want, 0, 0, &lr), 0);
	held_stat = lr.r_ino;

	/* /proc/self: the caller's pid, per request. */
	EXPECT_EQ(fs_lookup_pid(root, "self", 0, pr.pid, &lr), -ESYMLINK);
	EXPECT_EQ(lr.r_offset, 4);
	EXPECT_EQ(lr.r_mode, 0120777);
	EXPECT_EQ(fs_io(FS_READLINK, lr.r_ino, 0, buf, sizeof(buf), NULL),
		  (int64_t)strlen(pidname));
	EXPECT(memcmp(buf, pidname, strlen(pidname)) == 0, "self -> %.16s", buf);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup_pid(root, "self/stat", 0, pr.pid, &lr), -ESYMLINK); /* VFS splices */
	EXPECT_EQ(lr.r_offset, 4);
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup_pid(root, "self", FS_LOOKUP_NOFOLLOW, 7, &lr), 0);
	EXPECT_EQ(fs_io(FS_READLINK, lr.r_ino, 0, buf, sizeof(buf), NULL), 1);
	EXPECT_EQ(buf[0], '7');
	EXPECT_EQ(fs_putnode(lr.r_ino, 1), 0);
	EXPECT_EQ(fs_lookup_pid(root, "self", 0, 0, &lr), -ENOENT); /* no caller process */

	/* The root's listing, in small batches. */
	for (uint64_t pos = 0;; pos = next) {
		n = fs_io(FS_GETDENTS, root, pos, buf, 64, &next);
		EXPECT(n >= 0, "getdents: %lld", (long long)n);
		if (n == 0)
			break;
		for (int64_t off = 0; off < n;) {
			struct fs_dirent64 *d = (struct fs_dirent64 *)(buf + off);

			seen_pid |= strcmp(d->d_name, pidname) == 0 && d->d_type == FS_DT_DIR;
			seen_self |= strcmp(d->d_name, "self") == 0 && d->d_type == FS_DT_LNK;
			seen_meminfo |= strcmp(d->d_name, "meminfo") == 0;
			off += d->d_reclen;
		}
	}
	EXPECT(seen_pid && seen_self && seen_meminfo, "listing: pid %d self %d meminfo %d",
	       seen_pid, seen_self, seen_meminfo);

	/* uptime, stat, loadavg, mounts; meminfo from VM, or EIO while there is no VM. */
	EXPECT(read_text(root, "uptime") > 0 && strchr(buf, '.') && buf[strlen(buf) - 1] == '\n',
	       "uptime: %s", buf);
	EXPECT(read_text(root, "stat") > 0 && strncmp(buf, "cpu  ", 5) == 0, "stat: %s", buf);
	/* VFS's table from DS: the root at least (procfs is not mounted here). */
	EXPECT(read_text(root, "mounts") > 0 && strstr(buf, "/dev/rootfs / minix rw 0 0\n") == buf,
	       "mounts: %s", buf);
	EXPECT(read_text(root, "loadavg") > 0, "loadavg");
	n = read_text(root, "meminfo");
	if (sys_lookup("vm", &vm) == 0)
		EXPECT(n > 0 && strncmp(buf, "MemTotal:", 9) == 0, "meminfo: %lld", (long long)n);
	else
		EXPECT_EQ(n, -EIO);

	/* Errors: no such name, not a directory, above the root, read-only. */
	EXPECT_EQ(fs_lookup_pid(root, "nosuch", 0, 0, &lr), -ENOENT);
	EXPECT_EQ(fs_lookup_pid(root, "0", 0, 0, &lr), -ENOENT);
	snprintf(want, sizeof(want), "%s/nosuch", pidname);
	EXPECT_EQ(fs_lookup_pid(root, want, 0, 0, &lr), -ENOENT);
	snprintf(want, sizeof(want), "%s/stat/x", pidname);
	EXPECT_EQ(fs_lookup_pid(root, want, 0, 0, &lr), -ENOTDIR);
	EXPECT_EQ(fs_lookup_pid(root, "..", 0, 0, &lr), -ELEAVEMOUNT);
	EXPECT_EQ(fs_io(FS_READ, root, 0, buf, 10, NULL), -EISDIR);
	EXPECT_EQ(fs_io(FS_READ, 123456, 0, buf, 10, NULL), -EINVAL); /* not held */
	memset(&m, 0, sizeof(m));
	m.m_fs_io.io_ino = held_stat;
	EXPECT_EQ(fs_call(FS_WRITE, &m), -EROFS);
	memset(&m, 0, sizeof(m));
	m.m_fs_name.n_dir = root;
	EXPECT_EQ(fs_call(FS_CREATE, &m), -EROFS);

	/* The process ends: its nodes are gone, the held one answers ENOENT. */
	EXPECT_EQ(sys_kill(pr.endpt, SIGKILL), 0);
	EXPECT_EQ(proc_wait(pr.pid), LX_W_TERMSIG(SIGKILL));
	EXPECT_EQ(fs_lookup_pid(root, pidname, 0, 0, &lr), -ENOENT);
	EXPECT_EQ(fs_io(FS_READ, held_stat, 0, buf, 10, NULL), -ENOENT);
	EXPECT_EQ(fs_putnode(held_stat, 2), -EINVAL); /* more than held */
	EXPECT_EQ(fs_putnode(held_stat, 1), 0);
	memset(&m, 0, sizeof(m));
	EXPECT_EQ(fs_call(FS_UNMOUNT, &m), 0);
}
