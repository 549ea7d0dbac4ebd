/* Wrapper for KCALL_MAPIMAGE: boot module `index` mapped in place (its address, size). */
#include "libsys.h"
#include <string.h>

int
sys_mapimage(int index, void **addr, size_t *size)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_mapimage.index = index;
	if ((r = kernel_call(KCALL_MAPIMAGE, &m)) < 0)
		return r;
	*addr = (void *)m.m_sys_mapimage_reply.addr;
	*size = m.m_sys_mapimage_reply.size;
	return 0;
}

#define NAMED_MAX 64 /* modules this process mapped by name */

static struct named_image {
	int index;
	const void *addr;
	size_t size;
} named[NAMED_MAX];
static int nr_named;

/*
 * The boot module running `program`, mapped in place (read-only: a
 * program's module) the first time, then the same mapping again: a
 * process may ask as often as it likes, where the kernel call answers a
 * second mapping EBUSY.  -ENOENT (no such module), or the kernel call's
 * error (EPERM without the call: the caller then copies it).
 */
int
sys_mapimage_named(const char *program, const void **addr, size_t *size)
{
	char name[PROC_NAME_LEN];
	void *a;
	int r;

	for (int i = 0; (r = sys_getimage(i, NULL, 0, size, name)) == 0; i++) {
		if (strcmp(name, program) != 0)
			continue;
		for (int k = 0; k < nr_named; k++)
			if (named[k].index == i)
				return *addr = named[k].addr, *size = named[k].size, 0;
		if ((r = sys_mapimage(i, &a, size)) < 0)
			return r;
		if (nr_named < NAMED_MAX)
			named[nr_named++] = (struct named_image){ i, a, *size };
		*addr = a;
		return 0;
	}
	return r; /* -ENOENT past the last module */
}

/*
 * The index of the boot module sys_mapimage_named mapped at addr in this
 * process, or -ENOENT (not one of them: a copy, a program from a file).
 * A program's module is read-only for everyone (the kernel's MAPIMAGE), so
 * its index names one content for as long as the machine runs: VM's page
 * cache keys the pages of its read-only segments so (vm_build.c).
 */
int
sys_mapimage_index(const void *addr)
{
	for (int k = 0; k < nr_named; k++)
		if (named[k].addr == addr)
			return named[k].index;
	return -ENOENT;
}
