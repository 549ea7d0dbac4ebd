/*
 * Renames lib/libc's functions for the host unit tests.
 *
 * The library under test defines memcpy, snprintf, strtol and the rest,
 * the same names as the host's C library, which the test binaries also
 * link (the runner in unit.c uses it, and the compiler emits calls to the
 * host's memcpy and memset on its own).  Rather than fight over symbols,
 * the host build gives ours an "ax_" prefix:
 *
 *  - the sources in lib/libc are compiled for the host with "-include
 *    tests/unit/host_prefix.h", so every definition and every call between
 *    them (vsnprintf calling strnlen) uses the ax_ name.  The sources
 *    themselves are unchanged.
 *  - the test files include this header first and then lib/libc/include's
 *    headers (they are built with -nostdinc, like the kernel), so the
 *    declarations they see are the real ones, renamed.  Tests call the
 *    ax_ names, to make plain which implementation they exercise.  When a
 *    test compares with the host's snprintf it declares it under another
 *    name with an asm label (see test_vsnprintf.c).
 *  - everything is built with -fno-builtin, so gcc does not replace our
 *    calls with its own idea of what memcpy or strlen does.
 *
 * printf, vprintf, putchar and puts (lib/libc/printf.c) are renamed too
 * and linked only into test_vsnprintf, which defines their sink,
 * ax_console_sink, to see what they write: any other test that calls them
 * fails to link instead of writing to the runner's stdout.  malloc.c calls sbrk and panic, which system processes
 * get from libsys: it is linked only into test_malloc, which defines
 * ax_sbrk over a static arena and ax_panic.  __assert_fail becomes ax_assert_fail, which a test may
 * define to check what assert() passes.  The ctype functions are static
 * inline; their renaming only keeps them apart from the host's macros.
 */
#ifndef AX_HOST_PREFIX_H
#define AX_HOST_PREFIX_H

/* string.h */
#define memcpy  ax_memcpy
#define memmove ax_memmove
#define memset  ax_memset
#define memcmp  ax_memcmp
#define strlen  ax_strlen
#define strnlen ax_strnlen
#define strcmp  ax_strcmp
#define strncmp ax_strncmp
#define strlcpy ax_strlcpy
#define strchr  ax_strchr
#define strrchr ax_strrchr
#define strstr  ax_strstr

/* stdio.h */
#define vsnprintf    ax_vsnprintf
#define snprintf     ax_snprintf
#define printf       ax_printf
#define vprintf      ax_vprintf
#define putchar      ax_putchar
#define puts         ax_puts
#define vformat      ax_vformat
#define console_sink ax_console_sink

/* stdlib.h */
#define strtol       ax_strtol
#define strtoul      ax_strtoul
#define atoi         ax_atoi
#define abs          ax_abs
#define malloc       ax_malloc
#define free         ax_free
#define calloc       ax_calloc
#define realloc      ax_realloc
#define malloc_check ax_malloc_check

/* unistd.h, and libsys's panic: malloc.c's two needs, which test_malloc.c fakes */
#define sbrk  ax_sbrk
#define brk   ax_brk
#define panic ax_panic

/* ctype.h */
#define isdigit  ax_isdigit
#define isspace  ax_isspace
#define isalpha  ax_isalpha
#define isalnum  ax_isalnum
#define isxdigit ax_isxdigit
#define isupper  ax_isupper
#define islower  ax_islower
#define isprint  ax_isprint
#define toupper  ax_toupper
#define tolower  ax_tolower

/* assert.h */
#define __assert_fail ax_assert_fail

#endif
