/*
 * Basic fixed-width types for code that cannot include the host C library:
 * the kernel and the freestanding system processes.  Host unit tests include
 * <stdint.h> first; these definitions agree with it on x86-64.
 */
#ifndef AX_TYPES_H
#define AX_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef int32_t endpoint_t;   /* see endpoint.h */
typedef uint64_t phys_addr_t; /* a physical address */
typedef uint64_t vir_addr_t;  /* a virtual address in some process */

#define AX_STATIC_ASSERT(cond, what) _Static_assert(cond, what)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#endif
