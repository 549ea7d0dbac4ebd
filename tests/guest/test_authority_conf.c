/*
 * Least privilege from configuration: every service RS runs holds exactly
 * what its system.conf line lists (read back from the kernel with
 * getinfo(PRIV_DESC) and compared with the line, parsed by the same
 * libconf that RS uses), no service but an administrator holds a control
 * call, and a process holding a driver's configured privileges (tty's) is
 * refused the control calls the driver does not need.
 */
#include "guest.h"
#include <conf.h>

#define CONF_BYTES 8192

/*
 * Calls that manage other processes: only administrators' lines list them,
 * and PM's (the owner of Linux calls, linuxctl), which the kernel's
 * authority model lets manage only the user processes it starts and is the
 * signal manager of (docs/processes.md).
 */
#define CONTROL_CALLS                                                                  \
	(KCALL_BIT(PRIVCTL) | KCALL_BIT(UPDATE) | KCALL_BIT(KILL) | KCALL_BIT(CLEAR) | \
	 KCALL_BIT(SPAWN) | KCALL_BIT(ABORT) | KCALL_BIT(FORK) | KCALL_BIT(SIGCTL))

static char conf[CONF_BYTES];

/* The endpoint of an ipc name now: a service RS runs, or a process. */
static endpoint_t
ipc_target(const char *name)
{
	struct msg_rs_reply reply;
	endpoint_t e;

	if (rs_request(RS_LOOKUP, name, &reply) == 0)
		return reply.endpt;
	return sys_lookup(name, &e) == 0 ? e : NONE;
}

/*
 * Is e a target the line gives: RS, VM (which keeps the heap of a service
 * it built: servers/rs/vmspawn.c), or a running name on its ipc list?
 */
static bool
listed_target(const struct conf_service *c, endpoint_t e, endpoint_t rs)
{
	endpoint_t vm = NONE;

	if (e == rs || (sys_lookup("vm", &vm) == 0 && e == vm))
		return true;
	for (int i = 0; i < c->nr_ipc; i++)
		if (ipc_target(c->ipc[i]) == e)
			return true;
	return false;
}

/* "" if e holds exactly what c lists, else what differs. */
static const char *
compare(const struct conf_service *c, const struct priv_desc *d, endpoint_t rs)
{
	if (d->call_mask != c->priv.call_mask)
		return "kernel calls";
	if (d->flags != c->priv.flags)
		return "flags (admin)";
	if (d->irq_mask != c->priv.irq_mask)
		return "IRQ lines";
	if (d->mem_limit != (c->priv.mem_limit ? c->priv.mem_limit : PRIV_MEM_DEFAULT))
		return "memory limit";
	if (d->reply_bound != c->priv.reply_bound)
		return "reply bound";
	if (d->sig_mgr != rs)
		return "signal manager (RS)";
	if (d->nr_io != c->priv.nr_io || d->nr_mem != c->priv.nr_mem)
		return "number of I/O or memory ranges";
	for (uint32_t i = 0; i < d->nr_io; i++)
		if (d->io[i].base != c->priv.io[i].base || d->io[i].limit != c->priv.io[i].limit)
			return "I/O ranges";
	for (uint32_t i = 0; i < d->nr_mem; i++)
		if (d->mem[i].base != c->priv.mem[i].base ||
		    d->mem[i].limit != c->priv.mem[i].limit)
			return "memory ranges";
	if (!!(c->flags & CONF_IPC_ALL) != (d->nr_ipc == PRIV_DESC_ALL_IPC))
		return "IPC to all";
	if (c->flags & CONF_IPC_ALL)
		return "";
	for (uint32_t i = 0; i < d->nr_ipc; i++)
		if (!listed_target(c, d->ipc_to[i], rs))
			return "an IPC target not listed";
	for (int i = 0; i < c->nr_ipc; i++) {
		endpoint_t e = ipc_target(c->ipc[i]);
		bool found = e == NONE;

		for (uint32_t j = 0; j < d->nr_ipc && !found; j++)
			found = d->ipc_to[j] == e;
		if (!found)
			return "a listed IPC target missing";
	}
	return "";
}

/* The next service line of conf (from *pos) that parses, or false. */
static bool
next_service(char **pos, struct conf_service *c)
{
	char *w[CONF_WORDS], bad[64];
	const char *why;

	while (*pos) {
		char *line = *pos;
		int n;

		if ((*pos = strchr(line, '\n')))
			*(*pos)++ = '\0';
		n = conf_split(line, w, CONF_WORDS);
		if (n > 0 && strcmp(w[0], "service") == 0 &&
		    conf_service_line(w, n, c, &why, bad, sizeof(bad)) == 0)
			return true; /* malformed lines: RS leaves them out (rs.config_errors) */
	}
	return false;
}

static int64_t
peer_kcall(endpoint_t peer, int kcall, endpoint_t target)
{
	message m;
	int r = peer_call(peer, PEER_KCALL, (uint64_t)(kcall - KCALL_BASE), (uint64_t)target, &m);

	return r < 0 ? r : (int64_t)m.m_u64.v[0];
}

TEST(authority, least_privilege,
     "every service holds exactly its system.conf line; a driver is refused control calls")
{
	struct conf_service c, tty;
	struct msg_rs_reply reply;
	struct priv_desc d;
	endpoint_t rs = find("rs"), s = find("subject"), victim = find("peer_b");
	size_t size = 0;
	char *pos = conf;
	int checked = 0;
	bool saw_tty = false;

	EXPECT_EQ(sys_getimage_named("system.conf", conf, sizeof(conf) - 1, &size), 0);
	EXPECT(size < sizeof(conf), "system.conf is %zu bytes", size);
	conf[size] = '\0';
	while (next_service(&pos, &c)) {
		const char *diff;

		if (rs_request(RS_LOOKUP, c.label, &reply) < 0 || reply.endpt == NONE)
			continue; /* down, or failed its init (tty.bad_config) */
		EXPECT_EQ(sys_getprivdesc(reply.endpt, &d), 0);
		diff = compare(&c, &d, rs);
		EXPECT(!*diff, "%s (endpoint %d): its %s differ from its line", c.label,
		       reply.endpt, diff);
		EXPECT(!(c.priv.call_mask & CONTROL_CALLS) || (c.priv.flags & PRIV_FLAG_ADMIN) ||
			       (c.priv.call_mask & KCALL_BIT(LINUXCTL)),
		       "%s is configured with a control call but is no administrator", c.label);
		if (strcmp(c.label, "tty") == 0)
			tty = c, saw_tty = true;
		checked++;
	}
	EXPECT(checked >= 8, "only %d running services checked", checked);
	EXPECT(saw_tty, "tty is not running");

	/* A process with exactly tty's privileges: its ports, but no control calls. */
	d = tty.priv;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	d.sig_mgr = NONE;
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, &d, 0, 0), 0);
	EXPECT_EQ(peer_kcall(s, KCALL_PRIVCTL, victim), -EPERM);
	EXPECT_EQ(peer_kcall(s, KCALL_KILL, victim), -EPERM);
	EXPECT_EQ(peer_kcall(s, KCALL_UPDATE, victim), -EPERM);
	EXPECT_EQ(peer_kcall(s, KCALL_SPAWN, victim), -EPERM);
	EXPECT_EQ(peer_kcall(s, KCALL_CLEAR, victim), -EPERM);
	EXPECT_EQ(peer_kcall(s, KCALL_ABORT, victim), -EPERM);
	message m;
	EXPECT_EQ(peer_call(s, PEER_DEVIO, 0x2f8 + 5, 0, &m), 0); /* its UART's line status */
	EXPECT_EQ((int64_t)m.m_u64.v[0], 0);
	EXPECT_EQ(peer_call(s, PEER_DEVIO, 0x70, 0, &m), 0); /* not its port */
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);
	EXPECT_EQ(peer_call(s, PEER_RS, RS_LOOKUP, 0, &m), 0); /* no administrator */
	EXPECT_EQ((int64_t)m.m_u64.v[0], -EPERM);

	/* Back to what a peer has at boot. */
	memset(&d, 0, sizeof(d));
	d.call_mask = KCALL_BASIC_CALLS;
	d.sig_mgr = NONE;
	d.nr_ipc = PRIV_DESC_ALL_IPC;
	EXPECT_EQ(sys_privctl(s, PRIVCTL_SET, &d, 0, 0), 0);
}
