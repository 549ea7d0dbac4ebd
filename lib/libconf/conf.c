/*
 * The options of a system.conf service line (the format is in conf.h):
 * defaults, then one option at a time, and the splitting of a line into
 * words.  Every value is checked whole: a number with trailing junk, an
 * unknown keyword, an unknown kernel call or an empty list is an error
 * with a reason, never a guess.
 */
#include "conf.h"
#include <stdlib.h>
#include <string.h>
#include <ax/errno.h>
#include <ax/endpoint.h>

#define IRQ_LINES 16

/* Kernel calls by name, from the one list of them. */
static const char *const call_names[KCALL_COUNT] = {
#define KCALL(nr, NAME, name) [nr] = #name,
#include <ax/kcall.def>
#undef KCALL
};

/* The number (0..KCALL_COUNT-1) of the call called `name`, or -EINVAL. */
int
conf_call_number(const char *name)
{
	for (int i = 0; i < KCALL_COUNT; i++)
		if (call_names[i] && strcmp(call_names[i], name) == 0)
			return i;
	return -EINVAL;
}

/* The name of call number nr, or NULL. */
const char *
conf_call_name(int nr)
{
	return nr >= 0 && nr < KCALL_COUNT ? call_names[nr] : NULL;
}

void
conf_defaults(struct conf_service *c, const char *label)
{
	memset(c, 0, sizeof(*c));
	strlcpy(c->label, label, sizeof(c->label));
	strlcpy(c->program, label, sizeof(c->program));
	c->priv.call_mask = KCALL_BASIC_CALLS;
	c->priv.nr_ipc = PRIV_DESC_ALL_IPC;
	c->priv.sig_mgr = NONE;
	c->priority = CONF_PRIO;
	c->flags = CONF_IPC_ALL;
}

/* A whole decimal or 0x number no larger than max. */
static bool
number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false; /* strtoul would take a sign or spaces */
	*out = strtoul(s, &end, 0);
	return *end == '\0' && *out <= max;
}

/*
 * memlimit=SIZE: bytes, or KiB/MiB/GiB with a K, M or G after the number;
 * at least one page, at most 4 GiB (the kernel's limit, quota.h); or
 * "unlimited".
 */
static int
parse_memlimit(struct conf_service *c, char *v, const char **why)
{
	static const char units[] = "KMG";
	size_t len = strlen(v);
	const char *unit = len ? strchr(units, v[len - 1]) : NULL;
	unsigned long n;
	uint64_t bytes;

	if (strcmp(v, "unlimited") == 0) { /* a root's (the test runner) */
		c->priv.mem_limit = PRIV_MEM_UNLIMITED;
		return 0;
	}
	if (unit && *unit)
		v[len - 1] = '\0';
	if (!number(v, 1ul << 32, &n))
		return *why = "memlimit is a size: bytes, or a number and K, M or G", -EINVAL;
	bytes = (uint64_t)n << (unit && *unit ? 10 * (unit - units + 1) : 0);
	if (bytes < 4096 || bytes > ((uint64_t)4 << 30))
		return *why = "memlimit lies outside 4K-4G", -EINVAL;
	c->priv.mem_limit = bytes;
	return 0;
}

/* "BASE-LIMIT", both numbers no larger than max, base <= limit. */
static bool
range(char *v, unsigned long max, unsigned long *base, unsigned long *limit)
{
	char *dash = strchr(v, '-');

	if (!dash)
		return false;
	*dash = '\0';
	return number(v, max, base) && number(dash + 1, max, limit) && *base <= *limit;
}

static int
parse_io(struct conf_service *c, char *v, const char **why)
{
	unsigned long base, limit;

	if (!range(v, 0xffff, &base, &limit))
		return *why = "not an I/O range BASE-LIMIT up to 0xffff", -EINVAL;
	if (c->priv.nr_io == PRIV_DESC_IO)
		return *why = "too many I/O ranges", -EINVAL;
	c->priv.io[c->priv.nr_io].base = (uint32_t)base;
	c->priv.io[c->priv.nr_io].limit = (uint32_t)limit;
	c->priv.nr_io++;
	return 0;
}

/* "BASE-LIMIT": a range of physical memory the service may have mapped. */
static int
parse_mem(struct conf_service *c, char *v, const char **why)
{
	unsigned long base, limit;

	if (!range(v, ~0ul, &base, &limit))
		return *why = "not a memory range BASE-LIMIT", -EINVAL;
	if (c->priv.nr_mem == PRIV_DESC_MEM)
		return *why = "too many memory ranges", -EINVAL;
	c->priv.mem[c->priv.nr_mem].base = base;
	c->priv.mem[c->priv.nr_mem].limit = limit;
	c->priv.nr_mem++;
	return 0;
}

/*
 * A comma list of call names, "basic" (KCALL_BASIC_CALLS) and "all" (every
 * call, for the test runner); or "none".  The list is the whole call mask.
 */
static int
parse_calls(struct conf_service *c, char *v, const char **why)
{
	uint64_t mask = 0;
	char *name, *next;

	for (name = v; name; name = next) {
		int nr;

		if ((next = strchr(name, ',')))
			*next++ = '\0';
		if (strcmp(name, "basic") == 0) {
			mask |= KCALL_BASIC_CALLS;
		} else if (strcmp(name, "all") == 0) {
			mask = ~0ull;
		} else if (strcmp(name, "none") == 0) {
			if (name != v || next)
				return *why = "calls=none takes no other names", -EINVAL;
		} else if ((nr = conf_call_number(name)) >= 0) {
			mask |= 1ull << nr;
		} else {
			return *why = *name ? "no such kernel call"
					    : "an empty name in the calls list",
			       -EINVAL;
		}
	}
	c->priv.call_mask = mask;
	return 0;
}

/*
 * "ALL", or a comma list of labels and process names: whom the service
 * may send to.  Whether the names exist is for the reader of the whole
 * file to check (RS: servers/rs/config.c), since a label may come later.
 */
static int
parse_ipc(struct conf_service *c, char *v, const char **why)
{
	char *name, *next;

	c->nr_ipc = 0;
	if (strcmp(v, "ALL") == 0) {
		c->flags |= CONF_IPC_ALL;
		return 0;
	}
	c->flags &= ~CONF_IPC_ALL;
	for (name = v; name; name = next) {
		if ((next = strchr(name, ',')))
			*next++ = '\0';
		if (!*name)
			return *why = "an empty name in the ipc list", -EINVAL;
		if (strcmp(name, "ALL") == 0)
			return *why = "ipc=ALL takes no other names", -EINVAL;
		if (strlen(name) >= PROC_NAME_LEN)
			return *why = "a name in the ipc list is too long", -EINVAL;
		if (c->nr_ipc == CONF_IPC_MAX)
			return *why = "too many names in the ipc list", -EINVAL;
		strlcpy(c->ipc[c->nr_ipc++], name, PROC_NAME_LEN);
	}
	return 0;
}

static int
parse_value(struct conf_service *c, const char *opt, char *v, const char **why)
{
	unsigned long n;

	*why = "bad value";
	if (strcmp(opt, "program") == 0) {
		if (!*v || strlen(v) >= sizeof(c->program))
			return -EINVAL;
		strlcpy(c->program, v, sizeof(c->program));
	} else if (strcmp(opt, "period") == 0) {
		if (!number(v, 1000000, &n))
			return -EINVAL;
		c->period = (uint32_t)n;
	} else if (strcmp(opt, "replybound") == 0) {
		if (!number(v, REPLY_BOUND_MAX, &n) || n < CALL_BOUND_MIN)
			return *why = "replybound is a number of ticks, at least 10", -EINVAL;
		c->priv.reply_bound = n;
	} else if (strcmp(opt, "priority") == 0) {
		if (!number(v, 15, &n))
			return -EINVAL;
		c->priority = (int)n;
	} else if (strcmp(opt, "restart") == 0) {
		if (strcmp(v, "stateful") == 0)
			c->flags |= CONF_STATEFUL;
		else if (strcmp(v, "fresh") == 0)
			c->flags &= ~CONF_STATEFUL;
		else
			return -EINVAL;
	} else if (strcmp(opt, "calls") == 0) {
		return parse_calls(c, v, why);
	} else if (strcmp(opt, "irq") == 0) {
		if (!number(v, IRQ_LINES - 1, &n))
			return -EINVAL;
		c->priv.irq_mask |= 1u << n;
	} else if (strcmp(opt, "io") == 0) {
		return parse_io(c, v, why);
	} else if (strcmp(opt, "mem") == 0) {
		return parse_mem(c, v, why);
	} else if (strcmp(opt, "memlimit") == 0) {
		return parse_memlimit(c, v, why);
	} else if (strcmp(opt, "ipc") == 0) {
		return parse_ipc(c, v, why);
	} else if (strcmp(opt, "args") == 0) {
		if (strlen(v) >= sizeof(c->args))
			return *why = "arguments too long", -EINVAL;
		strlcpy(c->args, v, sizeof(c->args));
		for (char *s = c->args; *s; s++)
			if (*s == ',')
				*s = ' ';
	} else {
		return *why = "unknown option", -EINVAL;
	}
	return 0;
}

/* One option, "flag" or "name=value"; on an error, *why says what is wrong. */
int
conf_option(struct conf_service *c, char *opt, const char **why)
{
	char *v = strchr(opt, '=');

	if (!v) {
		if (strcmp(opt, "sync") == 0)
			c->flags |= CONF_SYNC;
		else if (strcmp(opt, "down") == 0)
			c->flags |= CONF_BOOT_DOWN;
		else if (strcmp(opt, "admin") == 0)
			c->priv.flags |= PRIV_FLAG_ADMIN;
		else if (strcmp(opt, "magic") == 0)
			c->priv.flags |= PRIV_FLAG_MAGIC_GRANTS;
		else if (strcmp(opt, "root") == 0)
			c->priv.flags |= PRIV_FLAG_ROOT;
		else
			return *why = "unknown option, or a value missing", -EINVAL;
		return 0;
	}
	*v++ = '\0';
	return parse_value(c, opt, v, why);
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The words of a line (cut in place), up to a '#'; -1 if there are more than max. */
int
conf_split(char *s, char **w, int max)
{
	int n = 0;

	for (;;) {
		while (blank(*s))
			*s++ = '\0';
		if (!*s || *s == '#')
			break;
		if (n == max)
			return -1;
		w[n++] = s;
		while (*s && !blank(*s))
			s++;
	}
	*s = '\0';
	return n;
}

/*
 * A split "service LABEL option..." (or "helper LABEL option...") line into c.  On an error, *why says
 * what is wrong and bad holds the word it is about (as written).
 */
int
conf_service_line(char **w, int n, struct conf_service *c, const char **why, char *bad,
		  size_t bad_len)
{
	if (n < 2 || strlen(w[1]) >= PROC_NAME_LEN) {
		strlcpy(bad, n < 2 ? "" : w[1], bad_len);
		return *why = "a label of 1 to 15 characters is needed", -EINVAL;
	}
	conf_defaults(c, w[1]);
	for (int i = 2; i < n; i++) {
		strlcpy(bad, w[i], bad_len);
		if (conf_option(c, w[i], why) < 0)
			return -EINVAL;
	}
	return 0;
}
