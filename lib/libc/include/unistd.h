/*
 * The program break, which malloc grows and shrinks.  libsys implements it
 * over the BRK kernel call (lib/libsys/brk.c); the host unit tests give
 * malloc a fake sbrk over a static arena instead.
 *
 * brk(end) sets the break: 0, or -EINVAL (end below the heap's start) or
 * -ENOMEM (past the process's heap limit, or out of memory): negative
 * error numbers as everywhere in Axolotl, not POSIX's -1 and errno.
 * sbrk(inc) moves the break by inc bytes and returns the old break, or
 * (void *)-1 as in POSIX; sbrk(0) only tells where it is.
 */
#ifndef AX_LIBC_UNISTD_H
#define AX_LIBC_UNISTD_H

#include <stdint.h>

int brk(void *end);
void *sbrk(intptr_t inc);

#endif
