/*
 * A buffer that ends at an inaccessible page, for tests of code that must
 * never read past the size it is given (libexec on truncated images).
 * guard_page.c is built against the host's C library, like unit.c; this
 * header needs only the compiler's own headers, so freestanding test files
 * can include it.
 */
#ifndef AX_GUARD_PAGE_H
#define AX_GUARD_PAGE_H

#include <stddef.h>

/*
 * Returns p such that p[0..size) is readable and writable and p + size is
 * the first byte of a PROT_NONE page, so reading p[size] kills the test
 * with SIGSEGV.  p is size bytes below a page boundary, so it is only as
 * aligned as size is.  Never freed: each test runs in its own process.
 * Ends the running test as failed if the host cannot map the pages.
 */
void *guard_page_alloc(size_t size);

#endif
