/*
 * hostile: the adversary of the authority tests (test_authority.c).  A test
 * copies this module's image, spawns it with exactly the privileges one
 * attack needs (privctl SET), and sends it commands (hostile_proto.h).  Each
 * command tries something the kernel must refuse or contain and reports the
 * kernel's answers, so that the test can tell a fixed kernel from a broken
 * one.  It is never started by RS or at boot.
 */
#include <libsys.h>
#include <string.h>
#include <ax/signal.h>
#include "hostile_proto.h"

static asynmsg_t leak_table[1] __attribute__((aligned(16)));

static void
reply(endpoint_t to, message *m, int status)
{
	m->m_type = status;
	ipc_send(to, m);
}

/* Fill the SENDA entry with a NOREPLY message for dst and register the table. */
static int
queue_leak(endpoint_t dst, uint64_t serial)
{
	asynmsg_t *a = &leak_table[0];

	memset(a, 0, sizeof(*a));
	a->dst = dst;
	a->msg.m_type = HOSTILE_LEAK_TAG;
	a->msg.m_u64.v[0] = serial;
	a->flags = AMF_VALID | AMF_NOREPLY;
	return ipc_senda(leak_table, 1);
}

/*
 * Item 2 of issue 11: while `client` waits for our reply, try to leave a
 * channel behind that outlives the call: a notification and a NOREPLY
 * SENDA entry.  Our IPC mask is empty, so only the reply may reach it.
 */
static void
leak(endpoint_t client, message *m)
{
	m->m_u64.v[0] = (uint64_t)(int64_t)ipc_notify(client);
	m->m_u64.v[1] = (uint64_t)(int64_t)queue_leak(client, 1);
	m->m_u64.v[2] = leak_table[0].flags;
	m->m_u64.v[3] = (uint64_t)(int64_t)leak_table[0].result;
	reply(client, m, 0);
}

/*
 * Item 10 of issue 11: the kernel-call message lies in the heap page that
 * the call itself unmaps.  The kernel must not write the reply into the
 * frame it just freed (it would be the next frame handed out, to anyone):
 * the call's answer is EFAULT, as for any buffer that is not mapped.
 */
static void
brk_under_message(endpoint_t client, message *m)
{
	struct msg_sys_brk_reply heap;
	uintptr_t page;
	message *km;
	int r;

	sys_brk(NULL, &heap);
	page = (heap.end + 4095) & ~(uintptr_t)4095;
	if ((r = sys_brk((void *)(page + 4096), &heap)) < 0) {
		reply(client, m, r);
		return;
	}
	km = (message *)(page + 2048);
	memset(km, 0, sizeof(*km));
	km->m_type = KCALL_BRK;
	km->m_sys_brk.addr = page; /* the page holding km goes */
	m->m_u64.v[0] = (uint64_t)(int64_t)ipc_sendrec(SYSTEM, km);
	sys_brk(NULL, &heap);
	m->m_u64.v[1] = heap.end - page;
	r = sys_brk((void *)(page + 4096), &heap); /* the freed frame comes back */
	m->m_u64.v[2] = r < 0 ? (uint64_t)(int64_t)r : *(uint64_t *)page;
	reply(client, m, 0);
}

/*
 * Item 7 of issue 11: one IRQ line, 64 notify ids.  Each attachment used to
 * take a hook of the kernel's global table, so one driver could leave
 * none for the others.
 */
static void
irq_hooks(endpoint_t client, message *m)
{
	int irq = (int)m->m_u64.v[0], hooks[64], n_ok = 0, n_distinct = 0, first_err = 0;

	for (int id = 0; id < 64; id++) {
		int hook, r = sys_irqsetpolicy(irq, 0, id, &hook);
		bool seen = false;

		if (r < 0) {
			first_err = first_err ? first_err : r;
			continue;
		}
		for (int i = 0; i < n_ok; i++)
			seen |= hooks[i] == hook;
		n_distinct += !seen;
		hooks[n_ok++] = hook;
	}
	m->m_u64.v[0] = (uint64_t)n_ok;
	m->m_u64.v[1] = (uint64_t)n_distinct;
	m->m_u64.v[2] = (uint64_t)(int64_t)first_err;
	reply(client, m, 0);
}

/*
 * Item 3 of issue 11: one vsafecopy of n elements of `size` bytes each, a
 * grant of our own heap copied onto itself.  Basic calls are enough; the
 * kernel must not spend all that time with interrupts off in one go.
 */
static void
huge_copy(endpoint_t client, message *m)
{
	static struct vscp_vec vec[VSCP_MAX];
	uint64_t n = m->m_u64.v[0], size = m->m_u64.v[1];
	struct msg_sys_brk_reply heap;
	grant_id_t g;
	uint8_t *buf;
	int r;

	sys_brk(NULL, &heap);
	buf = (uint8_t *)((heap.end + 4095) & ~(uintptr_t)4095);
	if (n > VSCP_MAX || (r = sys_brk(buf + size, &heap)) < 0) {
		reply(client, m, n > VSCP_MAX ? -EINVAL : r);
		return;
	}
	g = cpf_grant_direct(self_endpoint, buf, size, GRANT_READ);
	for (uint64_t i = 0; i < n; i++)
		vec[i] = (struct vscp_vec){ .v_src = self_endpoint,
					    .v_dst = SELF,
					    .v_grant = g,
					    .v_addr = (uint64_t)buf,
					    .v_bytes = size };
	m->m_u64.v[0] = (uint64_t)(int64_t)(g < 0 ? g : sys_vsafecopy(vec, n));
	reply(client, m, 0);
}

/*
 * Item 11 of issue 11: any process with diagctl could write any text to the
 * kernel's console, test verdicts and kernel lines included.  The marker
 * lets the harness (tools/axrun.py, check_console_forge) find every line
 * of it and check that the kernel attributed it.
 */
static int
forge(void)
{
	static const char text[] = "\nFAIL authority.console_forge: FORGED-BY-HOSTILE\n"
				   "PASS authority.forged_verdict FORGED-BY-HOSTILE\n"
				   "\r\x1b[2KPASS authority.console_forge FORGED-BY-HOSTILE\n"
				   "kernel: panic: FORGED-BY-HOSTILE"; /* and no newline */

	return sys_diag_print(text, sizeof(text) - 1);
}

static void
handle(message *m)
{
	endpoint_t from = m->m_source;

	switch (m->m_type) {
	case HOSTILE_LEAK:
		leak(from, m);
		break;
	case HOSTILE_IRQ_HOOKS:
		irq_hooks(from, m);
		break;
	case HOSTILE_SENDA_PENDING:
		m->m_u64.v[0] = (uint64_t)(int64_t)queue_leak((endpoint_t)m->m_u64.v[0], 1);
		reply(from, m, 0);
		break;
	case HOSTILE_PLANT: /* item 8: the memory at the table's address, unregistered */
		memset(leak_table, 0, sizeof(leak_table));
		leak_table[0].dst = (endpoint_t)m->m_u64.v[0];
		leak_table[0].msg.m_type = HOSTILE_PLANT_TAG;
		leak_table[0].flags = AMF_VALID;
		reply(from, m, 0);
		break;
	case HOSTILE_HUGE_COPY:
		huge_copy(from, m);
		break;
	case HOSTILE_FORGE:
		m->m_u64.v[0] = (uint64_t)(int64_t)forge();
		reply(from, m, 0);
		break;
	case HOSTILE_BRK_UNDER:
		brk_under_message(from, m);
		break;
	case HOSTILE_KILL_SELF:
		sys_kill(self_endpoint, SIGKILL);
		printf("%s: still here after killing myself\n", self_name);
		break;
	default:
		reply(from, m, -ENOSYS);
	}
}

int
main(int argc, char **argv)
{
	uint64_t status;
	message m;

	(void)argc;
	(void)argv;
	for (;;)
		if (ipc_receive(ANY, &m, &status) == 0 && !ipc_status_is_notify(status))
			handle(&m);
}
