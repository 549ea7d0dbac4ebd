/* Wrapper for KCALL_MAPIMAGE: data boot module `index` mapped in place (its address, size). */
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
