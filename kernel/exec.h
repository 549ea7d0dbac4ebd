/*
 * Starting a program in a process: an ELF image becomes the process's
 * address space, stack and registers.  Used for boot modules (the kernel)
 * and for sys_spawn (RS).  When VM takes over address spaces, this is the
 * code that moves.
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include "proc.h"
#include "libexec.h"

#define USER_STACK_TOP  0x00007ffffffff000
#define USER_STACK_SIZE (16 * 1024) /* mapped whole: 4x the deepest make test saw */

#define EXEC_MAX_ARGS     16
#define EXEC_MAX_IMAGE    (1024 * 1024) /* largest image sys_spawn accepts */
#define EXEC_KERNEL_PHDRS 4096          /* bytes of program headers the kernel reads */

extern const struct exec_space exec_kernel_space;

/*
 * An image to load: `bytes` in kernel memory (a boot module), or, when
 * NULL, at `va` in the space of `from` (a spawn's caller, read in place).
 */
struct exec_src {
	const uint8_t *bytes;
	struct proc *from;
	vir_addr_t va;
	size_t size;
};

int exec_check(const struct exec_src *src, struct exec_elf *ei, const char **why);
int exec_image(struct proc *p, const struct exec_src *src, char **argv, int argc, const char **why);
int exec_split_words(char *s, char **words, int max);
void exec_program_name(const char *path, char *out, size_t len);

#endif
