/*
 * procfs's tree: what each inode number names (pnode_of), the names in
 * each directory (tree_lookup) and their listing (tree_getdents).  The
 * root lists its files, "self" and one directory per process PM knows;
 * a process's directory lists stat, status, cmdline and exe.  A pid's nodes
 * exist while PM has the process: after that they answer ENOENT.
 * Entry points: pnode_of, pid_ino, tree_lookup, tree_getdents,
 * root_file_name.
 */
#include <string.h>
#include <stdio.h>
#include "procfs.h"

static const char *const root_files[RF_COUNT] = {
	[RF_MEMINFO] = "meminfo", [RF_UPTIME] = "uptime",   [RF_MOUNTS] = "mounts",
	[RF_STAT] = "stat",       [RF_LOADAVG] = "loadavg",
};
static const char *const pid_files[PF_COUNT] = {
	[PF_STAT] = "stat",
	[PF_STATUS] = "status",
	[PF_CMDLINE] = "cmdline",
	[PF_EXE] = "exe",
};

const char *
root_file_name(int k)
{
	return k >= 0 && k < RF_COUNT ? root_files[k] : NULL;
}

fs_ino_t
pid_ino(int32_t pid, int which)
{
	return PROC_PID_BASE + (fs_ino_t)pid * 8 + (fs_ino_t)which;
}

/* Does PM have this pid now? */
static bool
pid_alive(int32_t pid)
{
	static struct pm_procinfo t[PROC_NR_PROCS];
	int n = procs_snapshot(t, PROC_NR_PROCS);

	return n > 0 && proc_find(t, n, pid) != NULL;
}

/* What `ino` names: 0, or -ENOENT (no such node, or its process is gone). */
int
pnode_of(fs_ino_t ino, struct pnode *pn)
{
	memset(pn, 0, sizeof(*pn));
	if (ino == PROC_ROOT_INO) {
		pn->kind = PN_ROOT;
		pn->mode = 0040555;
		return 0;
	}
	if (ino >= PROC_ROOT_FILE && ino < PROC_ROOT_FILE + RF_COUNT) {
		pn->kind = PN_ROOT_FILE;
		pn->which = (int)(ino - PROC_ROOT_FILE);
		pn->mode = 0100444;
		return 0;
	}
	if (ino > PROC_SELF_BASE && ino < PROC_PID_BASE) {
		pn->kind = PN_SELF;
		pn->pid = (int32_t)(ino - PROC_SELF_BASE);
		pn->mode = 0120777;
		return 0;
	}
	if (ino >= PROC_PID_BASE + 8 && ino < PROC_PID_BASE + 8 * (fs_ino_t)0x400000) {
		pn->pid = (int32_t)((ino - PROC_PID_BASE) / 8);
		pn->which = (int)((ino - PROC_PID_BASE) % 8);
		if (pn->which >= PF_COUNT || !pid_alive(pn->pid))
			return -ENOENT;
		pn->kind = pn->which == PF_DIR ? PN_PID_DIR : PN_PID_FILE;
		pn->mode = pn->which == PF_DIR ? 0040555 : pn->which == PF_EXE ? 0120777 : 0100444;
		return 0;
	}
	return -ENOENT;
}

/* A decimal pid of 1 to 9 digits, no sign, no leading zero: the pid, or -1. */
static int32_t
parse_pid(const char *name, size_t len)
{
	int32_t pid = 0;

	if (len == 0 || len > 9 || name[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

/* The node `name` names in directory `dir`: 0 and *out, or -ENOENT/-ENOTDIR. */
int
tree_lookup(fs_ino_t dir, const char *name, size_t len, int32_t caller_pid, fs_ino_t *out)
{
	struct pnode pn;
	int r;

	if ((r = pnode_of(dir, &pn)) < 0)
		return r;
	if (pn.kind == PN_ROOT) {
		int32_t pid;

		for (int k = 0; k < RF_COUNT; k++)
			if (strlen(root_files[k]) == len && memcmp(root_files[k], name, len) == 0) {
				*out = PROC_ROOT_FILE + (fs_ino_t)k;
				return 0;
			}
		if (len == 4 && memcmp(name, "self", 4) == 0) {
			if (caller_pid <= 0)
				return -ENOENT; /* a caller that is not a process */
			*out = PROC_SELF_BASE + (fs_ino_t)caller_pid;
			return 0;
		}
		if ((pid = parse_pid(name, len)) > 0 && pid_alive(pid)) {
			*out = pid_ino(pid, PF_DIR);
			return 0;
		}
		return -ENOENT;
	}
	if (pn.kind == PN_PID_DIR) {
		for (int k = 1; k < PF_COUNT; k++)
			if (strlen(pid_files[k]) == len && memcmp(pid_files[k], name, len) == 0) {
				*out = pid_ino(pn.pid, k);
				return 0;
			}
		return -ENOENT;
	}
	return -ENOTDIR;
}

/* One linux_dirent64 record into buf at *used, if it fits: true if it did. */
static bool
put_dirent(uint8_t *buf, size_t size, size_t *used, fs_ino_t ino, uint64_t next, uint8_t type,
	   const char *name)
{
	const size_t name_off = __builtin_offsetof(struct fs_dirent64, d_name);
	size_t len = strlen(name), reclen = (name_off + len + 1 + 7) & ~(size_t)7;
	struct fs_dirent64 *d = (struct fs_dirent64 *)(buf + *used);

	if (*used + reclen > size)
		return false;
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = type;
	memset(d->d_name, 0, reclen - name_off);
	memcpy(d->d_name, name, len);
	*used += reclen;
	return true;
}

/*
 * A directory's entries from `cookie` on, as whole records: bytes used
 * (0 at the end), the next cookie in *next; -EINVAL if not one fits.
 * The root's cookies: 0 ".", 1 "..", 2.. its files, then "self", then
 * the processes by pid (cookie = the first after "self" + pid): a process
 * that ends between two calls is not listed, one that starts with a lower
 * pid than the last listed is missed, as on Linux; none comes twice.
 */
int
tree_getdents(fs_ino_t dir, uint64_t cookie, uint8_t *buf, size_t size, uint64_t *next)
{
	static struct pm_procinfo t[PROC_NR_PROCS];
	struct pnode pn;
	size_t used = 0;
	char name[16];
	int r, n;

	if ((r = pnode_of(dir, &pn)) < 0)
		return r;
	if (pn.kind != PN_ROOT && pn.kind != PN_PID_DIR)
		return -ENOTDIR;
	if (pn.kind == PN_PID_DIR) {
		for (; cookie < PF_COUNT + 1; cookie++) {
			fs_ino_t ino = cookie == 0   ? dir
				       : cookie == 1 ? PROC_ROOT_INO
						     : pid_ino(pn.pid, (int)cookie - 1);
			const char *nm = cookie == 0   ? "."
					 : cookie == 1 ? ".."
						       : pid_files[cookie - 1];
			uint8_t type = cookie < 2             ? FS_DT_DIR
				       : cookie - 1 == PF_EXE ? FS_DT_LNK
							      : FS_DT_REG;

			if (!put_dirent(buf, size, &used, ino, cookie + 1, type, nm))
				break;
		}
		*next = cookie;
		return used == 0 && cookie < PF_COUNT + 1 ? -EINVAL : (int)used;
	}
	/* The root: fixed entries first, then the processes (cookie 3 + RF_COUNT + i). */
	if ((n = procs_snapshot(t, PROC_NR_PROCS)) < 0)
		return n;
	for (;;) {
		uint64_t fixed = 2 + RF_COUNT + 1;
		fs_ino_t ino;
		uint8_t type;
		const char *nm;

		if (cookie < 2) {
			ino = PROC_ROOT_INO;
			nm = cookie == 0 ? "." : "..";
			type = FS_DT_DIR;
		} else if (cookie < 2 + RF_COUNT) {
			ino = PROC_ROOT_FILE + (cookie - 2);
			nm = root_files[cookie - 2];
			type = FS_DT_REG;
		} else if (cookie == 2 + RF_COUNT) {
			ino = PROC_SELF_BASE; /* a placeholder: the link is per caller */
			nm = "self";
			type = FS_DT_LNK;
		} else {
			const struct pm_procinfo *p = NULL;

			for (int i = 0; i < n; i++) /* the lowest pid from here on */
				if ((uint64_t)t[i].pid >= cookie - fixed &&
				    (!p || t[i].pid < p->pid))
					p = &t[i];
			if (!p)
				break;
			cookie = fixed + (uint64_t)p->pid;
			snprintf(name, sizeof(name), "%d", p->pid);
			ino = pid_ino(p->pid, PF_DIR);
			nm = name;
			type = FS_DT_DIR;
		}
		if (!put_dirent(buf, size, &used, ino, cookie + 1, type, nm)) {
			if (used == 0)
				return -EINVAL;
			break;
		}
		cookie++;
	}
	*next = cookie;
	return (int)used;
}
