/*
 * PM's exec (exec.c) and where its files come from (exec_file.c): the
 * root file system through VFS's exec requests (include/ax/vfs.h) when VFS
 * runs, and the boot image under /boot/<program> (the modules' program
 * names: issue 14 item 5, until every program is on the root file system).
 */
#ifndef PM_EXEC_H
#define PM_EXEC_H

#include "pm.h"

/* The new program's stack: its top (Linux's STACK_TOP), its region, the gap below. */
#define EXEC_STACK_TOP  0x00007ffffffff000ULL
#define EXEC_STACK_SIZE (8ULL * 1024 * 1024) /* Linux's default RLIMIT_STACK */
#define EXEC_STACK_GAP  (1ULL << 30)         /* nothing is loaded right below the stack */

enum exec_file_kind { EXEC_FILE_NONE, EXEC_FILE_BOOT, EXEC_FILE_VFS };

struct exec_file {
	enum exec_file_kind kind;
	uint64_t size;
	int index;        /* BOOT: the module */
	int32_t handle;   /* VFS: the exec slot */
	uint64_t id;      /* VFS: the file id of its content (page cache key), 0: none */
	endpoint_t endpt; /* VFS: the process it was opened for */
};

/* Open path as mp would: 0, or -ENOENT, -EACCES, ... (VFS's answers). */
int exec_file_open(struct mproc *mp, const char *path, struct exec_file *f);
/* Open /boot/<program>, a boot module: 0 or -ENOENT. */
int exec_file_open_boot(const char *path, struct exec_file *f);
/* Up to len bytes from pos: how many (0 at the end), or -E. */
int64_t exec_file_read(struct exec_file *f, uint64_t pos, void *buf, size_t len);
/* Release an open file (nothing for NONE). */
void exec_file_close(struct exec_file *f);
/* Past the point of no return: VFS closes mp's close-on-exec descriptors. */
void exec_file_done(struct mproc *mp);
/* /proc/<pid>/exe: the longest path kept, NUL included (exec.c) */
#define EXEC_EXE_MAX 256

/*
 * Past the point of no return (start.c): the image of plan in process e,
 * built by VM (include/ax/vm.h): a fresh space; with a file id (VFS's
 * r_file_id, 0 for none) the segments from VM's page cache, copy_seg
 * called only for a segment VM lacks; else each region mapped
 * populated and writable, each segment's file bytes copied in by
 * copy_seg (through a magic grant: magic_copy_to), the regions' own rights,
 * the heap above them, the stack region with stack[0..stack_len) at its
 * top (sp = EXEC_STACK_TOP - stack_len), and the kernel call exec, which
 * gives e the name `name` in the kernel's log lines.  0 or -E; on
 * failure the caller ends e (its old image is gone).
 */
struct exec_elf;
struct exec_segment;
typedef int exec_copy_fn(endpoint_t e, const struct exec_segment *s, void *arg);
int pm_build_image(endpoint_t e, const char *name, const struct exec_elf *plan, uint64_t file,
		   exec_copy_fn *copy_seg, void *arg, const uint8_t *stack, size_t stack_len);

#endif
