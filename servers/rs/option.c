/*
 * The options of a system.conf service line (the format is in config.c):
 * defaults, then one option at a time.  Pure parsing, no kernel calls, so
 * the host unit tests can feed it malformed lines (tests/unit/test_rs_option.c).
 *
 * Every value is checked whole: a number with trailing junk, an unknown
 * keyword or an empty list is an error with a reason, never a guess.
 */
#include "rs.h"
#include <stdlib.h>

#define BASIC_CALLS	KCALL_BASIC_CALLS	/* include/ax/kcall.h */
#define IRQ_LINES	16

void
rs_service_defaults(struct rproc *rp, const char *label)
{
	memset(rp, 0, sizeof(*rp));
	strlcpy(rp->label, label, sizeof(rp->label));
	strlcpy(rp->program, label, sizeof(rp->program));
	rp->priv.call_mask = BASIC_CALLS;
	rp->priority = SERVICE_PRIO;
	rp->priv.nr_ipc = PRIV_DESC_ALL_IPC;
	rp->flags = RPF_IPC_ALL;
	rp->endpt = NONE;
	rp->clone = NONE;
}

/* A whole decimal or 0x number no larger than max. */
static bool
number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;	/* strtoul would take a sign or spaces */
	*out = strtoul(s, &end, 0);
	return *end == '\0' && *out <= max;
}

/* "BASE-LIMIT": an I/O port range. */
static int
parse_io(struct rproc *rp, char *v, const char **why)
{
	char *dash = strchr(v, '-');
	unsigned long base, limit;

	*why = "not an I/O range BASE-LIMIT up to 0xffff";
	if (!dash)
		return -EINVAL;
	*dash = '\0';
	if (!number(v, 0xffff, &base) || !number(dash + 1, 0xffff, &limit) || base > limit)
		return -EINVAL;
	*why = "too many I/O ranges";
	if (rp->priv.nr_io == PRIV_DESC_IO)
		return -EINVAL;
	rp->priv.io[rp->priv.nr_io].base = (uint32_t)base;
	rp->priv.io[rp->priv.nr_io].limit = (uint32_t)limit;
	rp->priv.nr_io++;
	return 0;
}

/*
 * "ALL", or a comma list of labels and boot process names: whom the
 * service may send to.  Whether the names exist is checked once the whole
 * file is read (config.c), since a label may be defined further down.
 */
static int
parse_ipc(struct rproc *rp, char *v, const char **why)
{
	char *name, *next;

	rp->nr_ipc = 0;
	if (strcmp(v, "ALL") == 0) {
		rp->flags |= RPF_IPC_ALL;
		return 0;
	}
	rp->flags &= ~RPF_IPC_ALL;
	for (name = v; name; name = next) {
		if ((next = strchr(name, ',')))
			*next++ = '\0';
		if (!*name)
			return *why = "an empty name in the ipc list", -EINVAL;
		if (strcmp(name, "ALL") == 0)
			return *why = "ipc=ALL takes no other names", -EINVAL;
		if (strlen(name) >= PROC_NAME_LEN)
			return *why = "a name in the ipc list is too long", -EINVAL;
		if (rp->nr_ipc == RS_IPC_MAX)
			return *why = "too many names in the ipc list", -EINVAL;
		strlcpy(rp->ipc[rp->nr_ipc++], name, PROC_NAME_LEN);
	}
	return 0;
}

static int
parse_value(struct rproc *rp, const char *opt, char *v, const char **why)
{
	unsigned long n;

	*why = "bad value";
	if (strcmp(opt, "program") == 0) {
		if (!*v || strlen(v) >= sizeof(rp->program))
			return -EINVAL;
		strlcpy(rp->program, v, sizeof(rp->program));
	} else if (strcmp(opt, "period") == 0) {
		if (!number(v, 1000000, &n))
			return -EINVAL;
		rp->period = (uint32_t)n;
	} else if (strcmp(opt, "priority") == 0) {
		if (!number(v, 15, &n))
			return -EINVAL;
		rp->priority = (int)n;
	} else if (strcmp(opt, "restart") == 0) {
		if (strcmp(v, "stateful") == 0)
			rp->flags |= RPF_STATEFUL;
		else if (strcmp(v, "fresh") == 0)
			rp->flags &= ~RPF_STATEFUL;
		else
			return -EINVAL;
	} else if (strcmp(opt, "calls") == 0) {
		if (strcmp(v, "all") != 0 && strcmp(v, "basic") != 0)
			return -EINVAL;
		rp->priv.call_mask = strcmp(v, "all") == 0 ? ~0ull : BASIC_CALLS;
	} else if (strcmp(opt, "irq") == 0) {
		if (!number(v, IRQ_LINES - 1, &n))
			return -EINVAL;
		rp->priv.irq_mask |= 1u << n;
	} else if (strcmp(opt, "io") == 0) {
		return parse_io(rp, v, why);
	} else if (strcmp(opt, "ipc") == 0) {
		return parse_ipc(rp, v, why);
	} else if (strcmp(opt, "args") == 0) {
		if (strlen(v) >= sizeof(rp->args))
			return *why = "arguments too long", -EINVAL;
		strlcpy(rp->args, v, sizeof(rp->args));
		for (char *c = rp->args; *c; c++)
			if (*c == ',')
				*c = ' ';
	} else {
		return *why = "unknown option", -EINVAL;
	}
	return 0;
}

/* One option, "flag" or "name=value"; on an error, *why says what is wrong. */
int
rs_parse_option(struct rproc *rp, char *opt, const char **why)
{
	char *v = strchr(opt, '=');

	if (!v) {
		if (strcmp(opt, "sync") == 0)
			rp->flags |= RPF_SYNC;
		else if (strcmp(opt, "down") == 0)
			rp->flags |= RPF_BOOT_DOWN;
		else
			return *why = "unknown option, or a value missing", -EINVAL;
		return 0;
	}
	*v++ = '\0';
	return parse_value(rp, opt, v, why);
}
