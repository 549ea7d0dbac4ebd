/*
 * peer: a helper process for the guest tests.  It receives commands from
 * anyone (peer_proto.h) and carries them out: echoing, sending to a third
 * process, notifying, sleeping, faulting, exiting, using its heap.  Several instances run
 * under different names (peer_a, peer_b, victim, doomed).
 */
#include <libsys.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "peer_proto.h"
#include <ax/vm.h>
#include <cdev_client.h>
#include <ax/bdev.h>

static uint64_t nops_received;

static void
reply(endpoint_t to, const message *req, int status)
{
	message m = *req;

	m.m_type = status;
	ipc_send(to, &m);
}

static void
send_to(endpoint_t target, int type)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_u64.v[0] = self_endpoint;
	ipc_send(target, &m);
}

static void
sendrec_to(endpoint_t from, message *req)
{
	endpoint_t target = (endpoint_t)req->m_u64.v[0];
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = PEER_ECHO;
	m.m_u64.v[1] = 0x5eed;
	r = ipc_sendrec(target, &m);
	req->m_u64.v[0] = (uint64_t)(int64_t)r;
	req->m_u64.v[1] = m.m_u64.v[1];
	req->m_u64.v[2] = (uint64_t)(int64_t)m.m_source;
	reply(from, req, 0);
}

/* Commands that try one privileged thing and report its result in v0. */
static int
try_privileged(const message *m)
{
	uint32_t v = 0;
	int hook = 0, r;

	switch (m->m_type) {
	case PEER_DEVIO:
		return sys_devio(DIO_IN_BYTE, (uint32_t)m->m_u64.v[0], &v);
	case PEER_IRQ:
		r = sys_irqsetpolicy((int)m->m_u64.v[0], 0, 1, &hook);
		return r < 0 ? r : sys_irqctl(IRQ_RMPOLICY, hook);
	case PEER_ALARM:
		r = sys_setalarm(1000, false, NULL);
		return r < 0 ? r : sys_setalarm(0, false, NULL);
	default:
		tickdelay(m->m_u64.v[0]);
		return sys_statectl(STATECTL_CLEAR_IPC_REFS);
	}
}

/*
 * Kernel call nr with a message naming only `target` (as privctl, kill,
 * update, clear name their target first): what a process holding some
 * service's privileges is refused (authority.least_privilege).
 */
static int
any_call(int nr, endpoint_t target)
{
	message m;

	memset(&m, 0, sizeof(m));
	m.m_sys_privctl.endpt = target;
	return kernel_call(KCALL_BASE + nr, &m);
}

/*
 * Keep hello busy through a live update: 100 reads, a NOTIFY (the update
 * may start), then reads until n of them were answered by the new version
 * (at most HELLO_LOOP_MAX in all), then a tally.  Waiting for the new
 * version, not counting reads, puts the update mid-stream however long it
 * takes.
 */
/* PEER_CDEV_READ: a client that bounds a read the driver may suspend. */
static void
cdev_read_bounded(endpoint_t from, message *m)
{
	endpoint_t d = (endpoint_t)m->m_u64.v[0];
	uint8_t byte = 0;
	int64_t r;

	cdev_set_bounds(CDEV_BOUND_TICKS, m->m_u64.v[1]);
	if ((r = cdev_open(d, 0, CDEV_R_BIT)) == 0)
		r = cdev_read(d, 0, 0, &byte, 1, 0);
	cdev_set_bounds(CDEV_BOUND_TICKS, 0);
	m->m_u64.v[0] = (uint64_t)r;
	m->m_u64.v[1] = byte;
	reply(from, m, 0);
}

/*
 * PEER_BDEV: an open, close, read or write of a block minor by this peer
 * (bdev.dead_opener, bdev.io_needs_open).  A transfer moves the first
 * sector of the minor through this buffer: a write of bytes v3, a read
 * whose first byte goes back in *first.
 */
static uint8_t bdev_sector[BDEV_SECTOR];

static int64_t
bdev_request(const message *req, uint64_t *first)
{
	endpoint_t driver = (endpoint_t)req->m_u64.v[0];
	int type = (int)req->m_u64.v[1];
	bool transfer = type == BDEV_READ || type == BDEV_WRITE;
	message m;
	int r;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	m.m_bdev.minor = (devminor_t)req->m_u64.v[2];
	m.m_bdev.access = BDEV_R_BIT | BDEV_W_BIT;
	m.m_bdev.id = 1;
	if (transfer) {
		memset(bdev_sector, type == BDEV_WRITE ? (int)req->m_u64.v[3] : 0,
		       sizeof(bdev_sector));
		m.m_bdev.grant = cpf_grant_direct(driver, bdev_sector, sizeof(bdev_sector),
						  type == BDEV_WRITE ? GRANT_READ : GRANT_WRITE);
		if (m.m_bdev.grant == GRANT_INVALID)
			return -ENOMEM;
		m.m_bdev.count = sizeof(bdev_sector);
	}
	r = ipc_sendrec(driver, &m);
	if (transfer)
		cpf_revoke(m.m_bdev.grant);
	*first = bdev_sector[0];
	if (r < 0)
		return r;
	return m.m_type == BDEV_REPLY ? m.m_bdev_reply.status : -EIO;
}

#define HELLO_LOOP_MAX 100000

static void
hello_loop(endpoint_t from, message *req)
{
	endpoint_t h = (endpoint_t)req->m_u64.v[0];
	uint64_t n = req->m_u64.v[1], ok = 0, failed = 0, new_version = 0;
	bool opened = cdev_open(h, 0, CDEV_R_BIT) == 0;
	char buf[8];

	failed = !opened;
	for (uint64_t i = 0; opened && i < HELLO_LOOP_MAX && (i <= 100 || new_version < n); i++) {
		if (i == 100)
			ipc_notify(from); /* under way: the update may start */
		if (cdev_read(h, 0, 0, buf, sizeof(buf), 0) == sizeof(buf)) {
			ok++;
			new_version += strncmp(buf, "Howdy", 5) == 0;
		} else {
			failed++;
		}
	}
	req->m_u64.v[0] = ok;
	req->m_u64.v[1] = failed;
	req->m_u64.v[2] = new_version;
	reply(from, req, 0);
}

/* The byte at offset i of a test block of `size` bytes. */
static uint8_t
heap_pattern(size_t size, size_t i)
{
	return (uint8_t)(i * 13 + (size >> 10));
}

/*
 * Our heap's bounds: the kernel's, or VM's when VM built us (the kernel's
 * start is 0 then: lib/libsys/brk.c; VM_BRK with 0 only asks).
 */
static void
heap_bounds(struct msg_sys_brk_reply *heap)
{
	endpoint_t vm;
	message m;

	sys_brk(NULL, heap);
	if (heap->start)
		return;
	memset(&m, 0, sizeof(m));
	m.m_type = VM_BRK;
	if (sys_lookup("vm", &vm) == 0 && ipc_sendrec(vm, &m) == 0 && m.m_type == 0)
		*heap = m.m_sys_brk_reply;
}

/* PEER_HEAP_* and PEER_BRK: the result in v0, the heap's bounds in v1, v2. */
static void
heap_command(endpoint_t from, message *m)
{
	uint8_t *p = (uint8_t *)m->m_u64.v[0];
	size_t size = m->m_u64.v[m->m_type == PEER_HEAP_ALLOC ? 0 : 1];
	struct msg_sys_brk_reply heap = { 0 };
	uint64_t result = 0;

	if (m->m_type == PEER_BRK) {
		heap_bounds(&heap);
		result = (uint64_t)(int64_t)brk((void *)(heap.start + m->m_u64.v[0]));
	} else if (m->m_type == PEER_HEAP_ALLOC && (p = malloc(size))) {
		for (size_t i = 0; i < size; i++)
			p[i] = heap_pattern(size, i);
		result = (uint64_t)p;
	} else if (m->m_type == PEER_HEAP_CHECK) {
		result = 1;
		for (size_t i = 0; i < size && result; i++)
			result = p[i] == heap_pattern(size, i);
	} else if (m->m_type == PEER_HEAP_FREE) {
		free(p);
	}
	heap_bounds(&heap);
	m->m_u64.v[0] = result;
	m->m_u64.v[1] = heap.end;
	m->m_u64.v[2] = heap.start;
	reply(from, m, 0);
}

/* A request, skipping notifications; REPLYRECV's answer if `got` holds one. */
static int
next_request(message *m, int got, uint64_t status)
{
	while (got == 0 && ipc_status_is_notify(status))
		got = ipc_receive(ANY, m, &status);
	return got;
}

/* PEER_SERVE: a server answering with REPLYRECV (sched.no_starvation). */
static void
serve(uint64_t n)
{
	uint64_t status = 0;
	message m;
	int r = next_request(&m, ipc_receive(ANY, &m, &status), status);

	for (uint64_t i = 1; i < n && r == 0; i++) {
		m.m_type = 0;
		r = ipc_replyrecv(m.m_source, &m, ANY, &status);
		r = next_request(&m, r, status);
	}
	if (r == 0) {
		m.m_type = 0;
		ipc_send(m.m_source, &m);
	}
}

/* PEER_PINGPONG: a client that keeps a server busy (sched.no_starvation). */
static void
pingpong(endpoint_t from, message *m)
{
	endpoint_t target = (endpoint_t)m->m_u64.v[0];
	uint64_t n = m->m_u64.v[1], whole = 0;
	message e;

	for (uint64_t i = 0; i < n; i++) {
		memset(&e, 0, sizeof(e));
		e.m_type = PEER_ECHO;
		e.m_u64.v[0] = i;
		whole += ipc_sendrec(target, &e) == 0 && e.m_u64.v[0] == i && e.m_source == target;
	}
	memset(m, 0, sizeof(*m));
	m->m_type = PEER_DONE;
	m->m_u64.v[0] = whole;
	ipc_send(from, m);
}

static void
handle(message *m)
{
	endpoint_t from = m->m_source;

	switch (m->m_type) {
	case PEER_ECHO:
		reply(from, m, 0);
		break;
	case PEER_SEND_TO:
		send_to((endpoint_t)m->m_u64.v[0], (int)m->m_u64.v[1]);
		break;
	case PEER_SENDREC_TO:
		sendrec_to(from, m);
		break;
	case PEER_NOTIFY:
		for (uint64_t i = 0; i < m->m_u64.v[1]; i++)
			ipc_notify((endpoint_t)m->m_u64.v[0]);
		send_to((endpoint_t)m->m_u64.v[0], PEER_DONE);
		break;
	case PEER_SLEEP:
		tickdelay(m->m_u64.v[0]);
		break;
	case PEER_FAULT:
		*(volatile int *)0 = 1;
		break;
	case PEER_EXIT:
		sys_exit(0);
	case PEER_PANIC:
		panic("asked to panic by %d", from);
	case PEER_NOP:
		nops_received++;
		break;
	case PEER_COUNT:
		m->m_u64.v[0] = nops_received;
		reply(from, m, 0);
		break;
	case PEER_KCALL:
		m->m_u64.v[0] =
			(uint64_t)(int64_t)any_call((int)m->m_u64.v[0], (endpoint_t)m->m_u64.v[1]);
		reply(from, m, 0);
		break;
	case PEER_DEVIO:
	case PEER_IRQ:
	case PEER_ALARM:
	case PEER_CLEAR_AFTER:
		m->m_u64.v[0] = (uint64_t)(int64_t)try_privileged(m);
		reply(from, m, 0);
		break;
	case PEER_GRANT:
		m->m_u64.v[0] = (uint64_t)(int64_t)cpf_grant_direct(
			(endpoint_t)m->m_u64.v[0], self_name, sizeof(self_name), GRANT_READ);
		reply(from, m, 0);
		break;
	case PEER_HELLO_LOOP:
		hello_loop(from, m);
		break;
	case PEER_PINGPONG:
		pingpong(from, m);
		break;
	case PEER_SERVE:
		serve(m->m_u64.v[1]);
		break;
	case PEER_FPU_SET: /* sched.fpu_isolated: SSE state is per process */
		__asm__ volatile("movq %0, %%xmm15" : : "r"(m->m_u64.v[0]) : "xmm15");
		reply(from, m, 0);
		break;
	case PEER_CDEV_READ:
		cdev_read_bounded(from, m);
		break;
	case PEER_BDEV:
		m->m_u64.v[0] = (uint64_t)bdev_request(m, &m->m_u64.v[1]);
		reply(from, m, 0);
		break;
	case PEER_FPU_GET:
		__asm__ volatile("movq %%xmm15, %0" : "=r"(m->m_u64.v[0]));
		reply(from, m, 0);
		break;
	case PEER_HEAP_ALLOC:
	case PEER_HEAP_CHECK:
	case PEER_HEAP_FREE:
	case PEER_BRK:
		heap_command(from, m);
		break;
	case PEER_RS:
		m->m_u64.v[0] = (uint64_t)(int64_t)rs_request((int)m->m_u64.v[0], "hello", NULL);
		reply(from, m, 0);
		break;
	case PEER_ATTACK:
		peer_attack(m);
		reply(from, m, 0);
		break;
	case PEER_WHO:
		memset(m->m_text.text, 0, sizeof(m->m_text.text));
		memcpy(m->m_text.text, self_name, sizeof(self_name));
		reply(from, m, 0);
		break;
	default:
		break; /* notifications and strays */
	}
}

int
main(int argc, char **argv)
{
	message m;
	uint64_t status;

	(void)argc;
	(void)argv;
	for (;;) {
		if (ipc_receive(ANY, &m, &status) == 0 && !ipc_status_is_notify(status))
			handle(&m);
	}
}
