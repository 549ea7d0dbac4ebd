/* Wrappers for KCALL_DEVIO: one port access per call. */
#include "libsys.h"
#include <string.h>

int
sys_devio(int request, uint32_t port, uint32_t *value)
{
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_sys_devio.request = request;
	m.m_sys_devio.port = port;
	m.m_sys_devio.value = *value;
	r = kernel_call(KCALL_DEVIO, &m);
	if (r == 0)
		*value = m.m_sys_devio_reply.value;
	return r;
}

int
sys_inb(uint32_t port, uint8_t *value)
{
	uint32_t v = 0;
	int r = sys_devio(DIO_IN_BYTE, port, &v);

	*value = (uint8_t)v;
	return r;
}

int
sys_outb(uint32_t port, uint8_t value)
{
	uint32_t v = value;

	return sys_devio(DIO_OUT_BYTE, port, &v);
}
