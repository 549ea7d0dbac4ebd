/*
 * The peer's attacks (PEER_ATTACK, peer_proto.h): control calls aimed at
 * processes the peer is not responsible for, and privileges it tries to give
 * a child of its own beyond what it holds.  A test spawns a peer holding
 * exactly the calls an attack needs (test_authority.c) and reads the
 * kernel's answer in v0.
 */
#include <libsys.h>
#include <string.h>
#include "peer_proto.h"

static uint8_t child_image[64 * 1024]; /* the peer's file (26 KB): in every peer's bss */

/*
 * A held copy of the peer program, as RS starts a service: spawned, no
 * privileges yet; or (into: a dead process) in that process's slot.
 */
static int
spawn_child(endpoint_t into, endpoint_t *child)
{
	size_t size;
	int r;

	if ((r = sys_getimage_named("peer", child_image, sizeof(child_image), &size)) < 0)
		return r;
	if (size > sizeof(child_image))
		return -E2BIG;
	if (into != NONE)
		return sys_respawn(into, child_image, size, "atk_child", NULL, -1);
	return sys_spawn(child_image, size, "atk_child", NULL, child);
}

/* privctl SET: the calls in mask, and as much more as `what` asks for. */
static int
set_privileges(endpoint_t target, uint64_t mask, uint64_t what, uint64_t irqs, uint64_t mem)
{
	struct priv_desc d;

	memset(&d, 0, sizeof(d));
	d.call_mask = mask;
	d.irq_mask = (uint32_t)irqs;
	d.sig_mgr = NONE;
	d.mem_limit = mem;
	if (what & ATK_SET_ALL_PORTS) {
		d.nr_io = 1;
		d.io[0].base = 0;
		d.io[0].limit = 0xffff;
	}
	d.nr_ipc = (what & ATK_SET_ALL_IPC) ? PRIV_DESC_ALL_IPC : 0;
	d.flags = (what & ATK_SET_ROOT) ? PRIV_FLAG_ROOT : 0;
	return sys_privctl(target, PRIVCTL_SET, &d, 0, 0);
}

void
peer_attack(message *m)
{
	const uint64_t *v = m->m_u64.v;
	endpoint_t child = NONE;
	int r;

	switch (v[0]) {
	case ATK_KILL:
		r = sys_kill((endpoint_t)v[1], (int)v[2]);
		break;
	case ATK_UPDATE:
		r = sys_update((endpoint_t)v[1], (endpoint_t)v[2], 0);
		break;
	case ATK_CLEAR:
		r = sys_clear((endpoint_t)v[1]);
		break;
	case ATK_PRIVCTL:
		r = sys_privctl((endpoint_t)v[1], (int)v[2], NULL, v[3], v[4]);
		break;
	case ATK_SET:
		r = set_privileges((endpoint_t)v[1], v[2], v[3], v[4], v[5]);
		break;
	case ATK_SPAWN:
		r = spawn_child(NONE, &child);
		break;
	case ATK_RESPAWN:
		r = spawn_child((endpoint_t)v[1], &child);
		break;
	case ATK_LINUXCTL:
		r = sys_linuxctl(LINUXCTL_SERVE, (int)v[1]);
		break;
	default:
		r = -EINVAL;
		break;
	}
	m->m_u64.v[0] = (uint64_t)(int64_t)r;
	m->m_u64.v[1] = (uint64_t)child;
}
