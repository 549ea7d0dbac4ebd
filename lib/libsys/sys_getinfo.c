/*
 * Wrappers for KCALL_GETINFO: who am I, kernel information, find a process
 * by name, copy a boot module, privileges, resource counters.
 */
#include "libsys.h"
#include <string.h>

static int
getinfo(int what, const char *name, message *m)
{
	memset(m, 0, sizeof(*m));
	m->m_sys_getinfo.what = what;
	if (name)
		strlcpy(m->m_sys_getinfo.name, name, sizeof(m->m_sys_getinfo.name));
	return kernel_call(KCALL_GETINFO, m);
}

int
sys_whoami(endpoint_t *endpt, char *name, size_t len)
{
	message m;
	int r = getinfo(GETINFO_WHOAMI, NULL, &m);

	if (r < 0)
		return r;
	*endpt = m.m_sys_whoami.endpt;
	strlcpy(name, m.m_sys_whoami.name, len);
	return 0;
}

int
sys_getkinfo(struct msg_sys_kinfo *kinfo)
{
	message m;
	int r = getinfo(GETINFO_KINFO, NULL, &m);

	if (r == 0)
		*kinfo = m.m_sys_kinfo;
	return r;
}

int
sys_lookup(const char *name, endpoint_t *endpt)
{
	message m;
	int r = getinfo(GETINFO_LOOKUP, name, &m);

	if (r == 0)
		*endpt = m.m_sys_lookup.endpt;
	return r;
}

/*
 * Boot module `index`: at most len of its bytes from offset on to buf; its
 * size and program name.  -EINVAL for an offset past its end.
 */
int
sys_getimage_at(int index, uint64_t offset, void *buf, size_t len, size_t *size, char *program)
{
	message m;
	int r;

	if (offset > UINT32_MAX)
		return -EINVAL;
	memset(&m, 0, sizeof(m));
	m.m_sys_getinfo.what = GETINFO_IMAGE;
	m.m_sys_getinfo.index = index;
	m.m_sys_getinfo.offset = (uint32_t)offset;
	m.m_sys_getinfo.addr = (uint64_t)buf;
	m.m_sys_getinfo.len = len;
	r = kernel_call(KCALL_GETINFO, &m);
	if (r == 0) {
		*size = m.m_sys_image.size;
		strlcpy(program, m.m_sys_image.program, PROC_NAME_LEN);
	}
	return r;
}

/* Boot module `index`: at most len bytes to buf; its size and program name. */
int
sys_getimage(int index, void *buf, size_t len, size_t *size, char *program)
{
	return sys_getimage_at(index, 0, buf, len, size, program);
}

/*
 * Boot module running `program` (its file name without .elf): its size in
 * *size, and at most len of its bytes in buf.  Modules are probed by name
 * first, so only the one asked for is copied.  -ENOENT if there is none.
 */
int
sys_getimage_named(const char *program, void *buf, size_t len, size_t *size)
{
	char name[PROC_NAME_LEN];
	int r;

	for (int i = 0; (r = sys_getimage(i, NULL, 0, size, name)) == 0; i++)
		if (strcmp(name, program) == 0)
			return sys_getimage(i, buf, len, size, name);
	return r; /* -ENOENT past the last module */
}

/* The privileges of e: its kernel calls, flags and signal manager. */
int
sys_getpriv(endpoint_t e, struct msg_sys_privinfo *info)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_getinfo.what = GETINFO_PRIV;
	m.m_sys_getinfo.endpt = e;
	if ((r = kernel_call(KCALL_GETINFO, &m)) == 0)
		*info = m.m_sys_privinfo;
	return r;
}

/* The kernel's resource counters: frames, slots, privileges, timers, IRQ hooks in use. */
int
sys_getresources(struct msg_sys_resources *res)
{
	message m;
	int r = getinfo(GETINFO_RESOURCES, NULL, &m);

	if (r == 0)
		*res = m.m_sys_resources;
	return r;
}

/* All of e's privileges, IPC targets as endpoints (E2BIG: too many to list). */
int
sys_getprivdesc(endpoint_t e, struct priv_desc *d)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_getinfo.what = GETINFO_PRIV_DESC;
	m.m_sys_getinfo.endpt = e;
	m.m_sys_getinfo.addr = (uint64_t)d;
	m.m_sys_getinfo.len = sizeof(*d);
	return kernel_call(KCALL_GETINFO, &m);
}
