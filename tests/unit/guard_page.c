/*
 * guard_page_alloc() (see guard_page.h): anonymous pages from mmap, the
 * last one made inaccessible with mprotect.  Built against the host's C
 * library, like unit.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guard_page.h"
#include "unit.h"

void *
guard_page_alloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (size + page - 1) / page * page;
	uint8_t *base =
		mmap(NULL, data + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (base == MAP_FAILED)
		unit_fail(__FILE__, __LINE__, "mmap of %zu bytes: %s", data + page,
			  strerror(errno));
	if (mprotect(base + data, page, PROT_NONE) < 0)
		unit_fail(__FILE__, __LINE__, "mprotect of the guard page: %s", strerror(errno));
	return base + data - size;
}
