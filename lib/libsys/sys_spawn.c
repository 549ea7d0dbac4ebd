/*
 * Wrappers for KCALL_SPAWN: a new process from an ELF image in our memory,
 * at our priority or at a given (lower or equal) one.
 */
#include "libsys.h"
#include <string.h>

int
sys_spawn(const void *image, size_t size, const char *name, const char *args, endpoint_t *endpt)
{
	return sys_spawn_prio(image, size, name, args, -1, endpt);
}

int
sys_spawn_prio(const void *image, size_t size, const char *name, const char *args, int priority,
	       endpoint_t *endpt)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_spawn.priority = priority;
	m.m_sys_spawn.image = (uint64_t)image;
	m.m_sys_spawn.size = size;
	strlcpy(m.m_sys_spawn.name, name, sizeof(m.m_sys_spawn.name));
	m.m_sys_spawn.args = (uint64_t)args;
	m.m_sys_spawn.args_len = args ? strlen(args) : 0;
	r = kernel_call(KCALL_SPAWN, &m);
	if (r == 0)
		*endpt = m.m_sys_spawn_reply.endpt;
	return r;
}
