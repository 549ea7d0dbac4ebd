/*
 * The test helpers (peer, restricted, driver, dsclient; see peer.c and
 * docs/testing.md): processes a test talks to by name.  They are no boot
 * processes and no services: each is described by a `helper LABEL ...`
 * line of the test mode's system.conf (tests/guest/system.conf; the format
 * is lib/libconf/conf.h), and a test that names one (find(), testrun.c)
 * starts its own instance from that line, with exactly the privileges it
 * lists.  The test process is then the helper's creator, so it may manage
 * it (kill, update, set its privileges), and every test gets fresh helpers:
 * nothing one test does to them reaches the next.  A helper has no signal
 * manager, so a fault ends it at once, as the fault tests expect.
 *
 * After each test the runner ends every helper still there
 * (helpers_sweep), whether the test ended well or not.
 */
#include "guest.h"
#include <conf.h>
#include <ax/signal.h>

#define CONF_BYTES 8192

static char conf[CONF_BYTES];

/*
 * Call fn for every helper line of system.conf; stop early when it returns
 * true.  -ENOENT without a system.conf.
 */
static int
each_helper(bool (*fn)(const struct conf_service *c, void *arg), void *arg)
{
	char *w[CONF_WORDS], bad[64], *line, *next;
	struct conf_service c;
	const char *why;
	size_t size = 0;
	int r;

	if ((r = sys_getimage_named("system.conf", conf, sizeof(conf) - 1, &size)) < 0)
		return r;
	conf[size < sizeof(conf) ? size : sizeof(conf) - 1] = '\0';
	for (line = conf; line; line = next) {
		int n;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		n = conf_split(line, w, CONF_WORDS);
		if (n < 2 || strcmp(w[0], "helper") != 0)
			continue;
		if (conf_service_line(w, n, &c, &why, bad, sizeof(bad)) < 0)
			panic("system.conf: helper %s: %s '%s'", w[1], why, bad);
		if (fn(&c, arg))
			return 0;
	}
	return 0;
}

struct start {
	const char *name;
	endpoint_t endpt;
};

/* c's privileges, with its IPC names resolved to the processes running now. */
static void
helper_priv(const struct conf_service *c, struct priv_desc *d)
{
	*d = c->priv;
	d->sig_mgr = NONE;
	if (c->flags & CONF_IPC_ALL) {
		d->nr_ipc = PRIV_DESC_ALL_IPC;
		return;
	}
	d->nr_ipc = 0;
	for (int i = 0; i < c->nr_ipc; i++) {
		endpoint_t e;

		if (sys_lookup(c->ipc[i], &e) == 0)
			d->ipc_to[d->nr_ipc++] = e;
	}
}

static bool
start_one(const struct conf_service *c, void *arg)
{
	struct start *s = arg;
	struct priv_desc d;
	int r;

	if (strcmp(c->label, s->name) != 0)
		return false;
	helper_priv(c, &d);
	if ((r = spawn_program_args(c->program, c->label, c->args[0] ? c->args : NULL, c->priority,
				    &d, &s->endpt)) < 0)
		panic("helper %s: cannot start %s: %d", c->label, c->program, r);
	return true;
}

/* A new instance of helper `name`, running; NONE if no helper line names it. */
endpoint_t
helper_start(const char *name)
{
	struct start s = { name, NONE };

	each_helper(start_one, &s);
	return s.endpt;
}

/* End every instance of c that is still there (with no manager, the kernel clears it). */
static bool
sweep_one(const struct conf_service *c, void *arg)
{
	static const struct priv_desc unmanaged = { .sig_mgr = NONE };
	endpoint_t e;

	(void)arg;
	for (int i = 0; i < 8 && sys_lookup(c->label, &e) == 0; i++) {
		sys_privctl(e, PRIVCTL_SET, &unmanaged, 0, 0); /* a test may have managed it */
		sys_kill(e, SIGKILL);
	}
	return false;
}

/* The runner, after a test: no helper outlives it. */
void
helpers_sweep(void)
{
	each_helper(sweep_one, NULL);
}
