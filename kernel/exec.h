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
#define USER_STACK_SIZE (64 * 1024)

#define EXEC_MAX_ARGS  16
#define EXEC_MAX_IMAGE (1024 * 1024) /* largest image sys_spawn accepts */

extern const struct exec_space exec_kernel_space;

int exec_image(struct proc *p, const uint8_t *img, size_t size, char **argv, int argc, bool reserve,
	       const struct proc *lender, const char **why);
int exec_split_words(char *s, char **words, int max);
void exec_program_name(const char *path, char *out, size_t len);

#endif
