/*
 * procfs: the process file system, a file-system server answering the
 * read side of the VFS-FS protocol (ax/vfs_fs.h) from tables other
 * servers keep (PM's process table, the kernel's clock, VM's memory
 * counts).  Nothing is stored: each node is a number that says what it
 * is, and each file's text is made when it is read.  README.md lists the
 * files and their formats.
 *
 * Inode numbers:
 *   1                          the root, /proc
 *   PROC_ROOT_FILE + k         a file of the root (k: enum root_file)
 *   PROC_SELF_BASE + pid       /proc/self as a pid's caller sees it (a symlink)
 *   PROC_PID_BASE + pid * 8 + k  /proc/<pid> (k 0) and its files (enum pid_file;
 *                              exe is a symlink to the program's file)
 */
#ifndef PROCFS_H
#define PROCFS_H

#include <libsys.h>
#include <ax/vfs_fs.h>
#include <ax/pm.h>

#define PROC_ROOT_INO  1
#define PROC_ROOT_FILE 2
#define PROC_SELF_BASE 0x100000
#define PROC_PID_BASE  0x200000
#define PROC_MAGIC     0x9fa0 /* Linux's PROC_SUPER_MAGIC */
#define PROC_TEXT_MAX  4096   /* the longest file */
#define PROC_NR_PROCS  64     /* PM's table (NR_MPROCS) */

enum root_file { RF_MEMINFO, RF_UPTIME, RF_MOUNTS, RF_STAT, RF_LOADAVG, RF_COUNT };
enum pid_file { PF_DIR, PF_STAT, PF_STATUS, PF_CMDLINE, PF_EXE, PF_COUNT };

/* What an inode number names. */
struct pnode {
	enum { PN_ROOT, PN_ROOT_FILE, PN_SELF, PN_PID_DIR, PN_PID_FILE } kind;
	int32_t pid;   /* PN_SELF, PN_PID_* */
	int which;     /* PN_ROOT_FILE: enum root_file; PN_PID_FILE: enum pid_file */
	uint32_t mode; /* Linux's S_IF* | permissions */
};

/* tree.c: names and numbers */
int pnode_of(fs_ino_t ino, struct pnode *pn);
fs_ino_t pid_ino(int32_t pid, int which);
int tree_lookup(fs_ino_t dir, const char *name, size_t len, int32_t caller_pid, fs_ino_t *out);
int tree_getdents(fs_ino_t dir, uint64_t cookie, uint8_t *buf, size_t size, uint64_t *next);
const char *root_file_name(int k);

/* A symlink: /proc/self, /proc/<pid>/exe. */
static inline bool
pnode_is_link(const struct pnode *pn)
{
	return pn->kind == PN_SELF || (pn->kind == PN_PID_FILE && pn->which == PF_EXE);
}

/* text.c: each file's text, made now: its length, or -E */
int make_text(const struct pnode *pn, int32_t reader, char *buf, size_t size);
int link_text(const struct pnode *pn, char *buf, size_t size); /* a symlink's target */

/* pm.c: PM's table */
int procs_snapshot(struct pm_procinfo *out, int max);
int proc_exe(int32_t pid, char *buf, size_t size);     /* PM_EXE: the path's length, or -E */
int proc_cmdline(int32_t pid, char *buf, size_t size); /* PM_CMDLINE: bytes copied, or -E */
const struct pm_procinfo *proc_find(const struct pm_procinfo *t, int n, int32_t pid);

#endif
