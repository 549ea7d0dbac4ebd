/*
 * libexec: the pure parts of starting a program, shared by PM (execve,
 * servers/pm/exec.c) and the kernel (boot modules and sys_spawn, until VM
 * builds every address space).  Nothing here touches an address space or
 * makes a call: each function reads bytes it is given and fills a plan, so
 * the host unit tests feed it corrupt input (tests/unit/test_libexec_*.c).
 *
 *  exec_elf.c     exec_elf_header(), exec_elf_check(), exec_elf_image():
 *                 is a file a static ELF64 x86-64 executable (ET_EXEC, or
 *                 ET_DYN without PT_INTERP: a static PIE, given a load
 *                 base), and where does each byte go.  Every program header
 *                 is checked against the file and the address space before
 *                 the caller changes anything.
 *  exec_stack.c   exec_stack_build(): the initial stack as Linux builds it
 *                 (argc, argv, envp, the auxiliary vector, the strings,
 *                 AT_RANDOM's bytes), into a buffer.
 *  exec_script.c  exec_script_parse(), exec_script_argv(): `#!` lines as
 *                 Linux's binfmt_script reads them.
 *
 * Errors are -E codes (Linux's numbers, include/ax/errno.h); a bad file is
 * -ENOEXEC with a short reason in *why, for the caller's log.
 */
#ifndef LIBEXEC_H
#define LIBEXEC_H

#include <ax/types.h>

/* ---- ELF64 as the specification lays it out ---------------------------- */

struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

AX_STATIC_ASSERT(sizeof(struct elf64_ehdr) == 64, "ELF64 file header");
AX_STATIC_ASSERT(sizeof(struct elf64_phdr) == 56, "ELF64 program header");

#define ET_EXEC      2
#define ET_DYN       3
#define EM_X86_64    62
#define PT_LOAD      1
#define PT_INTERP    3
#define PT_GNU_STACK 0x6474e551
#define PF_X         1
#define PF_W         2
#define PF_R         4

#define EXEC_PAGE         4096
#define EXEC_MAX_SEGMENTS 16        /* PT_LOAD headers we load (busybox has 4) */
#define EXEC_MAX_PHDRS    65536     /* bytes of program headers, Linux's limit */
#define EXEC_MAX_ALIGN    (1 << 30) /* the largest p_align of a static PIE */

/* Protections of a segment or region (not ELF's PF_ bit order). */
#define EXEC_PROT_R 1
#define EXEC_PROT_W 2
#define EXEC_PROT_X 4

/* Linux's PROT_READ, PROT_WRITE, PROT_EXEC (1, 2, 4: include/ax/vm.h's LX_PROT_*) of prot. */
static inline uint32_t
exec_lx_prot(unsigned prot)
{
	return (prot & EXEC_PROT_R ? 0x1u : 0) | (prot & EXEC_PROT_W ? 0x2u : 0) |
	       (prot & EXEC_PROT_X ? 0x4u : 0);
}

/*
 * The address space a program goes into.  Segments must lie in [lo, hi)
 * (lo a page boundary: below it, null pointers fault; hi leaves the stack
 * and the kernel half alone).  A static PIE's lowest page goes at pie_base
 * (rounded up to its largest alignment).  `linux_rules`: Linux's rules for file
 * mappings too -- each segment's address and file offset agree modulo the
 * page size (PM's execve: such a file is what Linux runs); the kernel
 * copies the images it spawns, so it leaves this off (the system
 * processes are linked congruent all the same: lib/libsys/proc.ld).
 */
struct exec_space {
	uint64_t lo;
	uint64_t hi;
	uint64_t pie_base;
	bool linux_rules;
};

/* Bytes to place: file bytes [offset, offset + filesz) at vaddr, then zeros to memsz. */
struct exec_segment {
	uint64_t vaddr; /* load bias applied */
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	unsigned prot; /* EXEC_PROT_* */
};

/*
 * Pages to map: [start, end), page-aligned, disjoint and ascending.  A page
 * two segments share gets the later segment's protection, as on Linux
 * (its mapping replaces the earlier one), so no page is writable and
 * executable unless one segment asked for both.
 */
struct exec_region {
	uint64_t start;
	uint64_t end;
	unsigned prot;
};

struct exec_elf {
	uint16_t type;   /* ET_EXEC or ET_DYN */
	uint64_t bias;   /* added to every p_vaddr (0 for ET_EXEC) */
	uint64_t entry;  /* biased */
	uint64_t phdr;   /* AT_PHDR: where the program headers are in memory, or 0 */
	uint16_t phnum;  /* AT_PHNUM */
	uint64_t brk;    /* the first page above every segment: where the heap starts */
	bool exec_stack; /* PT_GNU_STACK asked for an executable stack */
	int nr_segments;
	struct exec_segment seg[EXEC_MAX_SEGMENTS];
	int nr_regions;
	struct exec_region region[EXEC_MAX_SEGMENTS];
};

/*
 * The ELF header: buf holds the file's first len bytes (file_size in all).
 * 0 and the program header table's place in the file (*phoff, *phlen
 * bytes: the caller reads it if it lies beyond buf), or -ENOEXEC.
 */
int exec_elf_header(const void *buf, size_t len, uint64_t file_size, uint64_t *phoff, size_t *phlen,
		    const char **why);

/*
 * Every program header (phdrs: the *phlen bytes exec_elf_header named)
 * against the file's size and the space.  0 and the plan in *out, or
 * -ENOEXEC and *why.
 */
int exec_elf_check(const void *ehdr, const void *phdrs, uint64_t file_size,
		   const struct exec_space *space, struct exec_elf *out, const char **why);

/* Both, for a whole file in memory (img[0..size)). */
int exec_elf_image(const void *img, size_t size, const struct exec_space *space,
		   struct exec_elf *out, const char **why);

/* ---- the initial stack ---------------------------------------------------- */

/* Auxiliary vector types (Linux's numbers). */
#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_HWCAP2   26
#define AT_EXECFN   31

#define EXEC_AUXV_ENTRIES 20           /* what exec_stack_build writes, AT_NULL included */
#define EXEC_ARG_STRLEN   (128 * 1024) /* one argument or variable, NUL included (Linux's) */
#define EXEC_ARG_MAX      (256 * 1024) /* argv + envp: strings and pointers */
#define EXEC_RANDOM_BYTES 16
#define EXEC_CLKTCK       100
#define EXEC_PLATFORM     "x86_64"

/*
 * What goes on a new program's stack.  argv and envp are packed strings
 * (argc and envc NUL-terminated strings, back to back, argv_len and
 * envp_len bytes in all); execfn is the path execve was given (AT_EXECFN).
 */
struct exec_stack_args {
	const char *argv;
	size_t argv_len;
	int argc;
	const char *envp;
	size_t envp_len;
	int envc;
	const char *execfn;
	const uint8_t *random; /* EXEC_RANDOM_BYTES */
	uint64_t phdr, phnum, entry, base;
	uint32_t uid, euid, gid, egid;
	bool secure;
	uint64_t hwcap;
};

/*
 * Lay out the stack of a program whose stack ends at top (exclusive) in
 * buf, which stands for the memory [top - cap, top): from the top down,
 * 8 zero bytes, execfn, the envp strings, the argv strings, "x86_64", the
 * 16 random bytes, then (16-byte aligned) argc, argv[], NULL, envp[],
 * NULL, the auxv pairs, AT_NULL.  Pointers are the addresses the strings
 * will have.  0 and *sp (the initial rsp, pointing at argc), or -E2BIG
 * when it does not fit in cap bytes; -EINVAL if the packed strings do not
 * hold argc / envc strings.
 */
int exec_stack_build(const struct exec_stack_args *a, uint64_t top, uint8_t *buf, size_t cap,
		     uint64_t *sp);

/* argv + envp's share of EXEC_ARG_MAX: strings and pointers, as Linux counts. */
size_t exec_args_size(size_t argv_len, int argc, size_t envp_len, int envc);

/* ---- #! scripts ------------------------------------------------------------- */

#define EXEC_SCRIPT_BUF 256 /* the bytes of a file Linux reads for its #! line */

struct exec_script {
	char interp[EXEC_SCRIPT_BUF]; /* the interpreter's path */
	char arg[EXEC_SCRIPT_BUF];    /* its one optional argument ("" if none) */
	bool has_arg;
};

/*
 * buf holds the first len bytes of a file (at most EXEC_SCRIPT_BUF count;
 * the rest reads as zeros, as Linux's buffer).  1: a #! script, parsed
 * into *out; 0: not a script (no "#!"); -ENOEXEC: a #! line without an
 * interpreter, or one cut off by the buffer's end.
 */
int exec_script_parse(const void *buf, size_t len, struct exec_script *out);

/*
 * The arguments the interpreter gets: interp, [arg,] path, then argv[1..]
 * (argv[0] goes, as Linux's).  Packed strings in and out (see
 * exec_stack_args); out holds cap bytes.  0 and *out_len, *out_argc;
 * -E2BIG if they do not fit.
 */
int exec_script_argv(const struct exec_script *s, const char *path, const char *argv,
		     size_t argv_len, int argc, char *out, size_t cap, size_t *out_len,
		     int *out_argc);

#endif
