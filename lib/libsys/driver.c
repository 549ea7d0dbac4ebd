/*
 * What the driver libraries share (driver.h): the front half of their
 * message handling, the reply path, the announce rule and the open minors.
 */
#include "driver.h"
#include "sef.h"
#include <stdio.h>
#include <string.h>
#include <ax/bdev.h>

void
driver_reply(endpoint_t dst, message *m, uint64_t status, uint32_t asyn_flags)
{
	int r;

	if (ipc_status_is_sendrec(status)) {
		sef_reply(dst, m); /* with our next receive */
		return;
	}
	r = asynsend3(dst, m, asyn_flags);
	/* A client that died meanwhile needs no answer. */
	if (r < 0 && r != -EDEADSRCDST)
		printf("%s: driver: reply to %d failed: %d\n", self_name, dst, r);
}

static void
do_notify(const struct driver_front *f, message *m, uint64_t status)
{
	if (m->m_source == HARDWARE && f->df_intr)
		f->df_intr(m->m_notify.interrupts);
	else if (m->m_source == CLOCK && f->df_alarm)
		f->df_alarm(m->m_notify.timestamp);
	else if (f->df_other)
		f->df_other(m, status);
}

/* A request of the protocol the driver does not speak: ENXIO, in its reply. */
static void
refuse(message *m, uint64_t status)
{
	endpoint_t src = m->m_source;
	bool block = IS_BDEV_RQ(m->m_type);
	uint64_t id = block ? m->m_bdev.id : m->m_cdev.id;

	*m = (message){ .m_type = block ? BDEV_REPLY : CDEV_REPLY };
	if (block) {
		m->m_bdev_reply.status = -ENXIO;
		m->m_bdev_reply.id = id;
	} else {
		m->m_cdev_reply.status = -ENXIO;
		m->m_cdev_reply.id = id;
	}
	driver_reply(src, m, status, AMF_NOREPLY);
}

bool
driver_front(const struct driver_front *f, message *m, uint64_t status)
{
	struct dispatch none = { .d_dump = f->df_dump };
	endpoint_t src = m->m_source;
	int r;

	if (ipc_status_is_notify(status)) {
		do_notify(f, m, status);
		return true;
	}
	if (f->df_block ? IS_BDEV_RQ(m->m_type) : IS_CDEV_RQ(m->m_type))
		return false;
	if (IS_BDEV_RQ(m->m_type) || IS_CDEV_RQ(m->m_type)) {
		refuse(m, status);
		return true;
	}
	if (m->m_type <= 0 && !ipc_status_is_sendrec(status))
		return true; /* a reply, not a request: answering could ping-pong */
	if ((r = dispatch(&none, src, m)) != EDONTREPLY) {
		m->m_type = r;
		driver_reply(src, m, status, AMF_NOREPLY);
	}
	return true;
}

static uint64_t opened[DRIVER_MINORS / 64];
static bool check_opens; /* false until the driver announced itself */

void
driver_announce(int init_type, const char *who)
{
	memset(opened, 0, sizeof(opened));
	check_opens = true;

	/*
	 * A stateful restart kept our endpoint: clients blocked on the dead
	 * instance must be released to retry.  A fresh start has a new
	 * endpoint, and a request already queued on it is legitimate.
	 */
	if (init_type == SEF_INIT_RESTART) {
		int r = sys_statectl(STATECTL_CLEAR_IPC_REFS);

		if (r < 0)
			panic("%s: cannot clear IPC state: %d", who, r);
	}
}

void
driver_mark_open(devminor_t minor)
{
	if (minor < DRIVER_MINORS)
		opened[minor / 64] |= 1ULL << (minor % 64);
}

bool
driver_was_opened(devminor_t minor)
{
	if (!check_opens)
		return true;
	return minor < DRIVER_MINORS && (opened[minor / 64] & (1ULL << (minor % 64)));
}
