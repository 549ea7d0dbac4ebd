/*
 * The peer's attacks (PEER_ATTACK, peer_proto.h): control calls aimed at
 * processes the peer is not responsible for, and privileges it tries to give
 * a child of its own beyond what it holds.  A test spawns a peer holding
 * exactly the calls an attack needs (test_authority_model.c) and reads the
 * kernel's answer in v0.  A peer is not a root: the kernel loads no image
 * for it (EPERM), so its children are empty slots that it, as their signal
 * manager, has VM build (ATK_BUILD), as RS builds a service.
 */
#include <libsys.h>
#include <string.h>
#include <ax/vm.h>
#include <vm_build.h>
#include "peer_proto.h"

/*
 * A held slot for a copy of the peer program, as RS starts a service:
 * spawned, no privileges yet; or (into: a dead process) that process's
 * slot.  Empty unless `image` (the kernel loads it: only a root may).
 */
static int
spawn_child(endpoint_t into, bool image, endpoint_t *child)
{
	const void *at = NULL;
	size_t size = 0;
	int r;

	if (image && (r = sys_mapimage_named("peer", &at, &size)) < 0)
		return r;
	if (into != NONE)
		return sys_respawn(into, at, size, "atk_child", NULL, -1);
	return sys_spawn(at, size, "atk_child", NULL, child);
}

/* The peer program built by VM into child, an empty slot we manage (vm_build.h). */
static int
build_child(endpoint_t child)
{
	struct exec_elf plan;
	const char *why;
	const void *image;
	endpoint_t vm;
	size_t size;
	int r;

	if ((r = sys_lookup("vm", &vm)) < 0 || (r = sys_mapimage_named("peer", &image, &size)) < 0)
		return r;
	if (exec_elf_image(image, size, &vm_build_space, &plan, &why) < 0)
		return -ENOEXEC;
	return vm_build_image(vm, child, "atk_child", NULL, image, &plan);
}

/* privctl SET: the calls in mask, and as much more as `what` asks for. */
static int
set_privileges(endpoint_t target, uint64_t mask, uint64_t what, uint64_t irqs, uint64_t mem)
{
	struct priv_desc d;

	memset(&d, 0, sizeof(d));
	d.call_mask = mask;
	d.irq_mask = (uint32_t)irqs;
	d.sig_mgr = (what & ATK_SET_MANAGE) ? self_endpoint : NONE;
	d.mem_limit = mem;
	if (what & ATK_SET_ALL_PORTS) {
		d.nr_io = 1;
		d.io[0].base = 0;
		d.io[0].limit = 0xffff;
	}
	d.nr_ipc = (what & ATK_SET_ALL_IPC) ? PRIV_DESC_ALL_IPC : 0;
	if ((what & ATK_SET_VM) && !(what & ATK_SET_ALL_IPC) && sys_lookup("vm", &d.ipc_to[0]) == 0)
		d.nr_ipc = 1;
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
		r = spawn_child(NONE, v[1] != 0, &child);
		break;
	case ATK_RESPAWN:
		r = spawn_child((endpoint_t)v[1], v[2] != 0, &child);
		break;
	case ATK_BUILD:
		r = build_child((endpoint_t)v[1]);
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
