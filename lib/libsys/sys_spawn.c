/*
 * Wrappers for KCALL_SPAWN: a new process from an ELF image in our memory,
 * at our priority or at a given (lower or equal) one; or the same in the
 * slot of a dead process we manage (sys_respawn: it keeps its endpoint).
 */
#include "libsys.h"
#include <string.h>

int
sys_spawn(const void *image, size_t size, const char *name, const char *args, endpoint_t *endpt)
{
	return sys_spawn_prio(image, size, name, args, -1, endpt);
}

static int
spawn(const void *image, size_t size, const char *name, const char *args, int priority,
      endpoint_t into, endpoint_t *endpt)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_spawn.into = into;
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

int
sys_spawn_prio(const void *image, size_t size, const char *name, const char *args, int priority,
	       endpoint_t *endpt)
{
	return spawn(image, size, name, args, priority, 0, endpt);
}

/*
 * A new program in the slot of the dead process `dead`, which we manage
 * (frozen by a signal): it keeps its endpoint, privileges and queued
 * callers, and is held until privctl ALLOW.  No new slot, privilege
 * structure or memory beyond the dead one's is needed.
 */
int
sys_respawn(endpoint_t dead, const void *image, size_t size, const char *name, const char *args,
	    int priority)
{
	endpoint_t e;

	return spawn(image, size, name, args, priority, dead, &e);
}
