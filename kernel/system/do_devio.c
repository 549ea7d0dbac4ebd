/*
 * DEVIO: one I/O-port read or write.  Reads: m_sys_devio (request, port,
 * value).  Writes: m_sys_devio_reply.value for input.  The port must be
 * aligned to the access size (EINVAL) and the whole access must lie in one
 * of the caller's I/O ranges (EPERM).
 */
#include "system.h"
#include "arch.h"
#include "priv.h"
#include "proc.h"

static unsigned
devio_size(int request)
{
	switch (request) {
	case DIO_IN_BYTE:
	case DIO_OUT_BYTE:
		return 1;
	case DIO_IN_WORD:
	case DIO_OUT_WORD:
		return 2;
	case DIO_IN_LONG:
	case DIO_OUT_LONG:
		return 4;
	default:
		return 0;
	}
}

int
do_devio(struct proc *caller, message *m)
{
	struct msg_sys_devio req = m->m_sys_devio;
	unsigned size = devio_size(req.request);
	uint32_t value = req.value;
	int r;

	if (size == 0 || req.port > 0xffff || req.port % size != 0)
		return -EINVAL;
	if (!priv_has_io(caller->p_priv, req.port, (uint64_t)req.port + size - 1)) {
		KDIAG(caller, "devio to port %#x denied", req.port);
		return -EPERM;
	}
	/* The tty on the console's port: the console keeps its column (console.c). */
	if (req.request == DIO_OUT_BYTE && arch_console_sends(req.port, value))
		console_driver_byte((char)value);
	if ((r = arch_devio(req.request, req.port, &value)) < 0)
		return r;
	memset(&m->m_sys_devio_reply, 0, sizeof(m->m_sys_devio_reply));
	m->m_sys_devio_reply.value = value;
	return 0;
}
