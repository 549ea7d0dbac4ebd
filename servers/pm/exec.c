/*
 * execve (docs/processes.md section 4): a user process's new program, and
 * PM_START's, through one loader.
 *
 * Everything that can fail for a reason the caller should hear is checked
 * before anything changes: the path, argv and envp are read from the
 * caller (EFAULT, ENAMETOOLONG, E2BIG), the file is found (ENOENT), a `#!`
 * line names its interpreter (one level; the interpreter's own `#!` is
 * ELOOP), the ELF file and every program header are checked against the
 * file and the address space (libexec: ENOEXEC), and the whole initial
 * stack is built in PM's memory (E2BIG).  Then the point of no return:
 * VM_NEWMEM throws the old image away; each region is mapped (populated,
 * writable), the file's bytes are copied in through a magic grant, the
 * regions get their rights, the heap starts above them, the stack region
 * is mapped and the stack copied to its top; the kernel call exec sets rip
 * and rsp and clears the rest (rdx = 0, FS base 0, a clean FPU).  A
 * failure after the point of no return ends the process with SIGKILL,
 * as Linux's.  A successful execve gets no reply: the process starts
 * at its new entry point.  PM_START's programs (pm_exec_boot) go the same
 * way, from the boot image.
 *
 * Where files come from (exec_file.c): the root file system through VFS
 * when VFS serves exec reads, else the boot image.
 */
#include "pm.h"
#include "exec.h"
#include <libexec.h>
#include <ax/signal.h>
#include <string.h>
#include <stdlib.h>
#include <stdio.h>

#define PATH_MAX_LEN 4096 /* Linux's PATH_MAX, NUL included */

/*
 * The address space of a user program: segments between 64 KiB (Linux's
 * mmap_min_addr: null pointers and small offsets from them fault) and the
 * gap below the stack; a static PIE at Linux's ELF_ET_DYN_BASE with
 * randomisation off.
 */
static const struct exec_space user_space = {
	.lo = 0x10000,
	.hi = EXEC_STACK_TOP - EXEC_STACK_SIZE - EXEC_STACK_GAP,
	.pie_base = 0x555555554000,
	.linux_rules = true,
};

/*
 * The argument strings and the initial stack: an exec's may take
 * EXEC_ARG_MAX (Linux's limit), but a usual one's take a few KiB.  Each
 * buffer is a small static one until an exec needs more; then it moves
 * to the heap at its full size (xbuf_grow) for that exec only, and every
 * exec ends by giving it back (xbufs_release).  Not in every PM's bss for
 * the worst case (0.8 MiB, present in full in a system process:
 * servers/vm/README.md, "From -m 32M to -m 8G"), and scratch of one
 * request: a live update, between two requests, carries none of it.
 */
#define XBUF_SMALL (16 * 1024)
#define XBUF_STACK (EXEC_ARG_MAX + 2 * EXEC_PAGE) /* the stack's full size */

struct xbuf {
	char *p;
	size_t cap;  /* XBUF_SMALL (+ 2 pages for the stack) in `small`, or full in the heap */
	char *small; /* the static buffer */
	size_t full;
};

static char argv_small[XBUF_SMALL], envp_small[XBUF_SMALL];
static char stack_small[XBUF_SMALL + 2 * EXEC_PAGE] __attribute__((aligned(16)));

/*
 * One exec at a time (PM serves one request after another): its state
 * lives here, not on PM's stack.
 */
static struct {
	char path[PATH_MAX_LEN];
	struct xbuf argv, envp;
	size_t argv_len, envp_len;
	int argc, envc;
	char exe[EXEC_EXE_MAX];  /* the file opened: the program, or the #! interpreter */
	uint8_t page[EXEC_PAGE]; /* the file's first bytes */
	uint8_t phdrs[EXEC_MAX_PHDRS];
	struct xbuf stack; /* the initial stack; before it, #!'s argv */
	struct exec_file file;
	bool boot;     /* PM_START: the program and its interpreter are boot modules */
	bool via_link; /* the path was /proc/self/exe or /proc/<pid>/exe (exe_name) */
	struct exec_elf elf;
	uint64_t sp;
} x; /* bss, not data: an initialised x would be 75 KiB more of PM's boot module */

/* b at its full size in the heap, its first `keep` bytes kept: 0, or -ENOMEM. */
static int
xbuf_grow(struct xbuf *b, size_t keep)
{
	char *p;

	if (b->p != b->small)
		return 0; /* full already */
	if (!(p = malloc(b->full)))
		return -ENOMEM;
	memcpy(p, b->p, keep);
	b->p = p;
	b->cap = b->full;
	return 0;
}

static void
xbuf_set(struct xbuf *b, char *small, size_t cap, size_t full)
{
	if (b->p && b->p != b->small)
		free(b->p);
	*b = (struct xbuf){ small, cap, small, full };
}

/* The end of every exec (and the first's start): the buffers an exec took from the heap back to it. */
static void
xbufs_release(void)
{
	xbuf_set(&x.argv, argv_small, sizeof(argv_small), EXEC_ARG_MAX);
	xbuf_set(&x.envp, envp_small, sizeof(envp_small), EXEC_ARG_MAX);
	xbuf_set(&x.stack, stack_small, sizeof(stack_small), XBUF_STACK);
}

/*
 * Each process's program file, for /proc/<pid>/exe (PM_EXE): the path its
 * last exec opened, as the caller named it (absolute for the shell's
 * commands, which come from PATH).  A fork's child has its parent's.
 */
static char exe_path[NR_MPROCS][EXEC_EXE_MAX];

/* What a live update carries of this file (lu.c). */
void
exec_lu_state(pm_lu_add_fn *add)
{
	add(exe_path, sizeof(exe_path));
}

void
exec_fork(struct mproc *child, const struct mproc *parent)
{
	memcpy(exe_path[child - mproc], exe_path[parent - mproc], EXEC_EXE_MAX);
}

int
do_exe(endpoint_t caller, message *m)
{
	struct msg_pm_procinfo rq = m->m_pm_procinfo;
	struct mproc *mp = pm_find_pid(rq.pid);
	const char *path;
	size_t len;
	int r;

	if (pm_user(caller))
		return -EPERM;
	if (rq.pid <= 0 || !mp || (mp->mp_flags & MP_NATIVE))
		return -ESRCH;
	path = exe_path[mp - mproc];
	if ((mp->mp_flags & MP_ZOMBIE) || !path[0])
		return -ENOENT;
	len = strlen(path);
	if ((r = sys_safecopyto(caller, rq.grant, 0, path, len < rq.size ? len : rq.size)) < 0)
		return r;
	return (int)len;
}

/*
 * PM_CMDLINE: /proc/<pid>/cmdline reads the argument strings where they
 * are, in the process's memory, as Linux does (what ps shows as COMMAND).
 */
int
do_cmdline(endpoint_t caller, message *m)
{
	static char args[EXEC_PAGE];
	struct msg_pm_procinfo rq = m->m_pm_procinfo;
	struct mproc *mp = pm_find_pid(rq.pid);
	uint64_t len;
	int r;

	if (pm_user(caller))
		return -EPERM;
	if (rq.pid <= 0 || !mp || (mp->mp_flags & MP_NATIVE))
		return -ESRCH;
	len = mp->mp_arg_end - mp->mp_arg_start;
	if (len > rq.size)
		len = rq.size;
	if (len > sizeof(args))
		len = sizeof(args);
	if ((mp->mp_flags & MP_ZOMBIE) || !len ||
	    pm_copy_from_user(mp, mp->mp_arg_start, args, (size_t)len) < 0)
		return 0;
	if ((r = sys_safecopyto(caller, rq.grant, 0, args, (size_t)len)) < 0)
		return r;
	return (int)len;
}

/*
 * x.exe: the file exec opens, by the path it was given; /proc/self/exe and
 * /proc/<pid>/exe (busybox's shell runs its applets so) by the path they
 * lead to, so that the new program's own link does not point at itself.
 * Those two are resolved here, not by VFS: procfs asks PM for the link,
 * and PM waits for VFS during exec's open.  A path too long to keep is not
 * kept (PM_EXE: ENOENT).  True if path was such a link and x.exe is its
 * target.
 */
static bool
exe_name(const struct mproc *mp, const char *path)
{
	const struct mproc *of = NULL;
	char *end;
	long pid;

	if (strncmp(path, "/proc/", 6) == 0) {
		if (strcmp(path + 6, "self/exe") == 0)
			of = mp;
		else if ((pid = strtol(path + 6, &end, 10)) > 0 && strcmp(end, "/exe") == 0)
			of = pm_find_pid((int32_t)pid);
	}
	if (of && exe_path[of - mproc][0]) {
		memcpy(x.exe, exe_path[of - mproc], sizeof(x.exe));
		return true;
	}
	if (strlcpy(x.exe, path, sizeof(x.exe)) >= sizeof(x.exe))
		x.exe[0] = '\0';
	return false;
}

/* ---- the caller's memory ---------------------------------------------------------- */

/* The bytes [addr, addr + len) of the caller, whose pages are present: 0 or -EFAULT. */
static int
read_user(struct mproc *mp, uint64_t addr, void *dst, size_t len)
{
	int r = pm_copy_from_user(mp, addr, dst, len);

	return r < 0 ? -EFAULT : 0;
}

/* The bytes left in addr's page. */
static size_t
page_left(uint64_t addr)
{
	return EXEC_PAGE - (addr & (EXEC_PAGE - 1));
}

/*
 * The string at addr into dst (at most max bytes, its NUL included): its
 * length with the NUL, or -EFAULT, or `toolong` when it does not end in
 * max bytes.  Read a page at a time: never past the page that holds the NUL.
 */
static int64_t
read_user_string(struct mproc *mp, uint64_t addr, char *dst, size_t max, int toolong)
{
	size_t n = 0;

	while (n < max) {
		size_t chunk = page_left(addr + n);
		char *nul;

		if (chunk > max - n)
			chunk = max - n;
		if (read_user(mp, addr + n, dst + n, chunk) < 0)
			return -EFAULT;
		if ((nul = memchr(dst + n, '\0', chunk)))
			return (int64_t)(nul - dst) + 1;
		n += chunk;
	}
	return -toolong;
}

/*
 * The NULL-terminated vector of string pointers at vec (argv or envp) into
 * buf, packed: 0 and *len, *count; -EFAULT; -E2BIG past `room` bytes (the
 * share of EXEC_ARG_MAX left: strings plus a pointer each) or a string
 * longer than EXEC_ARG_STRLEN.  A NULL vector is empty, as Linux's.
 */
static int
read_user_vector(struct mproc *mp, uint64_t vec, struct xbuf *b, size_t room, size_t *len,
		 int *count)
{
	*len = 0;
	*count = 0;
	for (uint64_t i = 0; vec; i++) {
		uint64_t p;
		int64_t n;
		size_t max;

		if (read_user(mp, vec + 8 * i, &p, sizeof(p)) < 0)
			return -EFAULT;
		if (!p)
			return 0;
		if (room < *len + 8 * (size_t)(*count + 1))
			return -E2BIG;
		max = room - *len - 8 * (size_t)(*count + 1);
		if (max > EXEC_ARG_STRLEN)
			max = EXEC_ARG_STRLEN;
		/* Into the small buffer while it holds the string, else into the full one. */
		n = read_user_string(mp, p, b->p + *len, b->cap - *len < max ? b->cap - *len : max,
				     E2BIG);
		if (n == -E2BIG && b->cap - *len < max) {
			int r = xbuf_grow(b, *len);

			if (r < 0)
				return r;
			n = read_user_string(mp, p, b->p + *len, max, E2BIG);
		}
		if (n < 0)
			return (int)n;
		*len += (size_t)n;
		(*count)++;
	}
	return 0;
}

/* execve's path, argv and envp into x. */
static int
read_call(struct mproc *mp, const uint64_t *arg)
{
	int64_t n;
	int r;

	if ((n = read_user_string(mp, arg[0], x.path, sizeof(x.path), ENAMETOOLONG)) < 0)
		return (int)n;
	if (n == 1)
		return -ENOENT; /* "" */
	if ((r = read_user_vector(mp, arg[1], &x.argv, EXEC_ARG_MAX - 8, &x.argv_len, &x.argc)) <
		    0 ||
	    (r = read_user_vector(mp, arg[2], &x.envp,
				  EXEC_ARG_MAX - 8 - exec_args_size(x.argv_len, x.argc, 0, 0),
				  &x.envp_len, &x.envc)) < 0)
		return r;
	return 0;
}

/* ---- before the point of no return -------------------------------------------------- */

/* Open path and read its first page into x.page: the bytes read, or -E. */
static int64_t
open_first_page(struct mproc *mp, const char *path)
{
	int64_t n;
	int r;

	if ((x.via_link = exe_name(mp, path)))
		path = x.exe;
	if ((r = x.boot ? exec_file_open_boot(path, &x.file) : exec_file_open(mp, path, &x.file)) <
	    0)
		return r;
	n = exec_file_read(&x.file, 0, x.page, sizeof(x.page));
	if (n < 0)
		exec_file_close(&x.file);
	return n;
}

/*
 * A #! script: the interpreter becomes the program, with its argv; its
 * file replaces the script's in x.file.  One level: an interpreter that
 * is itself a script is -ELOOP.  Returns the bytes of its first page.
 */
static int64_t
open_interpreter(struct mproc *mp, const struct exec_script *s, int64_t *n)
{
	size_t len;
	int argc, r;

	exec_file_close(&x.file); /* the script's: done with */
	/* The stack is built later: its buffer holds the new argv meanwhile. */
	r = exec_script_argv(s, x.path, x.argv.p, x.argv_len, x.argc, x.stack.p,
			     x.stack.cap < EXEC_ARG_MAX ? x.stack.cap : EXEC_ARG_MAX, &len, &argc);
	if (r == -E2BIG && x.stack.cap < EXEC_ARG_MAX) {
		if ((r = xbuf_grow(&x.stack, 0)) < 0)
			return r;
		r = exec_script_argv(s, x.path, x.argv.p, x.argv_len, x.argc, x.stack.p,
				     EXEC_ARG_MAX, &len, &argc);
	}
	if (r < 0)
		return r;
	if (exec_args_size(len, argc, x.envp_len, x.envc) > EXEC_ARG_MAX)
		return -E2BIG;
	if (len > x.argv.cap && (r = xbuf_grow(&x.argv, 0)) < 0)
		return r;
	memcpy(x.argv.p, x.stack.p, len);
	x.argv_len = len;
	x.argc = argc;
	if (!s->interp[0])
		return -ENOENT;
	if ((*n = open_first_page(mp, s->interp)) < 0)
		return *n;
	if (*n >= 2 && x.page[0] == '#' && x.page[1] == '!') {
		exec_file_close(&x.file);
		return -ELOOP;
	}
	return 0;
}

/* The program's headers: x.elf, the plan.  -ENOEXEC (logged) or -EIO. */
static int
check_elf(struct mproc *mp, size_t n)
{
	const void *phdrs = x.page;
	const char *why;
	uint64_t phoff;
	size_t phlen;
	int64_t got;
	int r;

	if ((r = exec_elf_header(x.page, n, x.file.size, &phoff, &phlen, &why)) == 0) {
		if (phoff + phlen <= n) {
			phdrs = x.page + phoff;
		} else {
			if ((got = exec_file_read(&x.file, phoff, x.phdrs, phlen)) < 0)
				return (int)got;
			if ((size_t)got != phlen)
				return -EIO;
			phdrs = x.phdrs;
		}
		r = exec_elf_check(x.page, phdrs, x.file.size, &user_space, &x.elf, &why);
	}
	if (r < 0)
		printf("pm: exec %s by %s (pid %d): %s\n", x.path, mp->mp_name, mp->mp_pid, why);
	return r;
}

/* AT_HWCAP: CPUID leaf 1's EDX, as Linux's x86 reports it. */
static uint64_t
hwcap(void)
{
	uint32_t a = 1, b, c = 0, d;

	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return d;
}

/* The initial stack in x.stack: x.sp.  -E2BIG if it does not fit. */
static int
build_stack(struct mproc *mp)
{
	uint8_t rnd[EXEC_RANDOM_BYTES];
	struct exec_stack_args a = {
		.argv = x.argv.p,
		.argv_len = x.argv_len,
		.argc = x.argc,
		.envp = x.envp.p,
		.envp_len = x.envp_len,
		.envc = x.envc,
		.execfn = x.path,
		.random = rnd,
		.phdr = x.elf.phdr,
		.phnum = x.elf.phnum,
		.entry = x.elf.entry,
		.base = 0,
		.uid = mp->mp_ruid,
		.euid = mp->mp_euid,
		.gid = mp->mp_rgid,
		.egid = mp->mp_egid,
		/* Linux's AT_SECURE: the ids differ (set-ID files come with VFS's modes). */
		.secure = mp->mp_ruid != mp->mp_euid || mp->mp_rgid != mp->mp_egid,
		.hwcap = hwcap(),
	};

	int r;

	random_bytes(rnd, sizeof(rnd));
	r = exec_stack_build(&a, EXEC_STACK_TOP, (uint8_t *)x.stack.p, x.stack.cap, &x.sp);
	if (r == -E2BIG && x.stack.p == x.stack.small) {
		if ((r = xbuf_grow(&x.stack, 0)) < 0)
			return r;
		r = exec_stack_build(&a, EXEC_STACK_TOP, (uint8_t *)x.stack.p, x.stack.cap, &x.sp);
	}
	return r;
}

/*
 * Everything before the point of no return: the file (or its
 * interpreter), its plan, the stack.  0 with x.file open, or -E with it
 * closed.
 */
static int
prepare(struct mproc *mp)
{
	struct exec_script script;
	int64_t n;
	int r;

	if (exec_args_size(x.argv_len, x.argc, x.envp_len, x.envc) > EXEC_ARG_MAX)
		return -E2BIG;
	if ((n = open_first_page(mp, x.path)) < 0)
		return (int)n;
	if ((r = exec_script_parse(x.page, (size_t)n, &script)) < 0) {
		exec_file_close(&x.file);
		return r;
	}
	if (r == 1 && (r = open_interpreter(mp, &script, &n)) < 0)
		return r;
	if ((r = check_elf(mp, (size_t)n)) < 0 || (r = build_stack(mp)) < 0) {
		exec_file_close(&x.file);
		return r;
	}
	return 0;
}

/* ---- the point of no return and after ------------------------------------------- */

#define CHUNK (64 * 1024)

static uint8_t chunk[CHUNK];

/* exec's segments: the file's bytes, a chunk at a time, into the new image. */
static int
copy_from_file(endpoint_t e, const struct exec_segment *s, void *arg)
{
	(void)arg;
	for (uint64_t done = 0; done < s->filesz;) {
		size_t want = s->filesz - done < CHUNK ? (size_t)(s->filesz - done) : CHUNK;
		int64_t got = exec_file_read(&x.file, s->offset + done, chunk, want);
		int r;

		if (got < 0)
			return (int)got;
		if ((size_t)got != want)
			return -EIO; /* the file shrank since it was checked */
		if ((r = magic_copy_to(e, s->vaddr + done, chunk, want)) < 0)
			return r;
		done += want;
	}
	return 0;
}

/*
 * Past the point of no return: the new image (start.c), then the rest of
 * the new program's state: close-on-exec descriptors (VFS), handlers back
 * to their defaults, the name.  On failure the process ends with SIGKILL,
 * as Linux's.  x.file is closed either way.
 */
static int
commit(struct mproc *mp)
{
	/*
	 * The name (comm: ps -o comm, /proc/<pid>/stat, the kernel's log
	 * lines): the file's, or for busybox's exec of /proc/self/exe the
	 * applet's, argv[0].
	 */
	const char *name = x.via_link && x.argv.p[0] ? x.argv.p : x.path;
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	size_t len = EXEC_STACK_TOP - x.sp;
	const uint8_t *stack = (const uint8_t *)x.stack.p + x.stack.cap - len;
	int r = pm_build_image(mp->mp_endpt, base, &x.elf,
			       x.file.kind == EXEC_FILE_VFS ? x.file.id : 0, copy_from_file, NULL,
			       stack, len);

	exec_file_close(&x.file);
	if (r < 0) {
		printf("pm: exec %s by %s (pid %d) failed past the point of no return: %d\n",
		       x.path, mp->mp_name, mp->mp_pid, r);
		return r;
	}
	exec_file_done(mp);
	memcpy(exe_path[mp - mproc], x.exe, sizeof(x.exe));
	memcpy(&mp->mp_arg_start, stack + 8, 8); /* argv[0], just above argc */
	mp->mp_arg_end = mp->mp_arg_start + x.argv_len;
	mp->mp_robust_list = 0;
	sig_exec(mp); /* caught signals back to their default (signal.c) */
	mp->mp_flags |= MP_EXECED;
	strlcpy(mp->mp_name, base, sizeof(mp->mp_name));
	return 0;
}

/* ---- the entry points ------------------------------------------------------------------ */

/* execve(path, argv, envp): no reply on success (the new program runs). */
static int64_t
execve_call(struct mproc *mp, const uint64_t *arg)
{
	int r;

	if (!x.argv.p)
		xbufs_release(); /* the first exec: the small buffers */
	x.boot = false;
	if ((r = read_call(mp, arg)) < 0)
		return r;
	/* Linux 5.18 on: an empty argv gets one empty string, so argc >= 1. */
	if (x.argc == 0) {
		x.argv.p[0] = '\0';
		x.argv_len = 1;
		x.argc = 1;
	}
	if ((r = prepare(mp)) < 0)
		return r;
	if (commit(mp) < 0)
		pm_exit(mp, LX_W_TERMSIG(SIGKILL));
	return LX_NO_REPLY;
}

int64_t
pm_execve(struct mproc *mp, const uint64_t *arg)
{
	int64_t r = execve_call(mp, arg);

	xbufs_release();
	return r;
}

/* Append the space-separated words of s to b (x.argv or x.envp): 0, -E2BIG or -ENOMEM. */
static int
add_words_to(struct xbuf *b, size_t *len_io, int *count, const char *s)
{
	for (;;) {
		size_t len = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			return 0;
		while (s[len] && s[len] != ' ')
			len++;
		if (*len_io + len + 1 > b->full)
			return -E2BIG;
		if (*len_io + len + 1 > b->cap && xbuf_grow(b, *len_io) < 0)
			return -ENOMEM;
		memcpy(b->p + *len_io, s, len);
		b->p[*len_io + len] = '\0';
		*len_io += len + 1;
		(*count)++;
		s += len;
	}
}

static int
add_words(const char *s)
{
	return add_words_to(&x.argv, &x.argv_len, &x.argc, s);
}

/*
 * PM's own start of a program in mp's empty slot: argv the words of argv0
 * and args, the environment the words of env.  boot: path is a boot
 * module's (VFS does not know the process yet); else VFS finds path as
 * the process would.  0, or -E (the caller releases the slot).
 */
static int
exec_start(struct mproc *mp, bool boot, const char *argv0, const char *args, const char *env)
{
	int r;

	if (!x.argv.p)
		xbufs_release();
	x.boot = boot;
	x.argv_len = 0;
	x.argc = 0;
	x.envp_len = 0;
	x.envc = 0;
	if ((r = add_words(argv0)) < 0 || (r = add_words(args)) < 0 ||
	    (r = add_words_to(&x.envp, &x.envp_len, &x.envc, env)) < 0 || (r = prepare(mp)) < 0 ||
	    (r = commit(mp)) < 0) {
		xbufs_release();
		return r;
	}
	xbufs_release();
	return 0;
}

/*
 * PM_START: /boot/<program> as the first program of mp, whose slot
 * (mp->mp_endpt) is empty, through the same checks and image as execve:
 * argv is the program's name and the words of args, the environment
 * empty.  0, or -E (the caller releases the slot).
 */
int
pm_exec_boot(struct mproc *mp, const char *program, const char *args)
{
	snprintf(x.path, sizeof(x.path), "/boot/%s", program);
	return exec_start(mp, true, program, args, "");
}

/* init (init.c): the file path of the root file system in mp's empty slot, argv { path }. */
int
pm_exec_file(struct mproc *mp, const char *path, const char *env)
{
	strlcpy(x.path, path, sizeof(x.path));
	return exec_start(mp, false, path, "", env);
}
