/*
 * RS's configuration: the boot module "system.conf", one service a line:
 *
 *     service LABEL program=PROGRAM [args=A,B] [period=TICKS] [priority=Q]
 *             [restart=fresh|stateful] [sync] [down] [calls=basic|all]
 *             [io=BASE-LIMIT] [irq=N]
 *
 * '#' starts a comment.  PROGRAM is a boot module RS copies at start-up, so
 * that it can restart the service before any file system exists.  Every
 * service may send to everyone for now (IPC targets by label come with the
 * service command).
 */
#include "rs.h"
#include <stdlib.h>

#define CONF_MAX	8192
#define IMAGE_POOL	(2 * 1024 * 1024)

static char conf[CONF_MAX];
static uint8_t image_pool[IMAGE_POOL];
static size_t pool_used;

#define BASIC_CALLS	KCALL_BASIC_CALLS	/* include/ax/kcall.h */

/* The executables RS holds, one copy per program. */
static struct image {
	char program[PROC_NAME_LEN];
	const uint8_t *bytes;
	size_t size;
} images[2 * NR_SERVICES];
static int nr_images;

/*
 * RS's copy of boot module `program`, made the first time it is asked for;
 * NULL if there is no such module or no room left for it.
 */
const uint8_t *
rs_load_image(const char *program, size_t *size)
{
	uint8_t *dst = image_pool + pool_used;

	for (int i = 0; i < nr_images; i++)
		if (strcmp(images[i].program, program) == 0)
			return *size = images[i].size, images[i].bytes;
	if (nr_images == (int)(sizeof(images) / sizeof(images[0])))
		return NULL;
	if (sys_getimage_named(program, dst, sizeof(image_pool) - pool_used, size) < 0 ||
	    *size > sizeof(image_pool) - pool_used)
		return NULL;
	pool_used += (*size + 15) & ~(size_t)15;
	images[nr_images++] = (struct image){ "", dst, *size };
	strlcpy(images[nr_images - 1].program, program, PROC_NAME_LEN);
	return dst;
}

static int
parse_option(struct rproc *rp, char *opt)
{
	char *v = strchr(opt, '=');

	if (v)
		*v++ = '\0';
	if (strcmp(opt, "sync") == 0)
		rp->flags |= RPF_SYNC;
	else if (strcmp(opt, "down") == 0)
		rp->flags |= RPF_BOOT_DOWN;
	else if (v && strcmp(opt, "program") == 0)
		strlcpy(rp->program, v, sizeof(rp->program));
	else if (v && strcmp(opt, "period") == 0)
		rp->period = (uint32_t)strtoul(v, NULL, 0);
	else if (v && strcmp(opt, "restart") == 0 && strcmp(v, "stateful") == 0)
		rp->flags |= RPF_STATEFUL;
	else if (v && strcmp(opt, "restart") == 0 && strcmp(v, "fresh") == 0)
		rp->flags &= ~RPF_STATEFUL;
	else if (v && strcmp(opt, "priority") == 0)
		rp->priority = (int)strtoul(v, NULL, 0);
	else if (v && strcmp(opt, "calls") == 0)
		rp->priv.call_mask = strcmp(v, "all") == 0 ? ~0ull : BASIC_CALLS;
	else if (v && strcmp(opt, "irq") == 0)
		rp->priv.irq_mask |= 1u << (strtoul(v, NULL, 0) & 31);
	else if (v && strcmp(opt, "io") == 0 && rp->priv.nr_io < PRIV_DESC_IO) {
		char *end;

		rp->priv.io[rp->priv.nr_io].base = (uint32_t)strtoul(v, &end, 0);
		rp->priv.io[rp->priv.nr_io].limit = (uint32_t)strtoul(*end == '-' ? end + 1 : v, NULL, 0);
		rp->priv.nr_io++;
	} else if (v && strcmp(opt, "args") == 0) {
		strlcpy(rp->args, v, sizeof(rp->args));
		for (char *c = rp->args; *c; c++)
			if (*c == ',')
				*c = ' ';
	} else
		return -EINVAL;
	return 0;
}

/* One "service" line, already split into words. */
static int
parse_service(char **w, int n)
{
	struct rproc *rp = NULL;

	for (int i = 0; i < NR_SERVICES && !rp; i++)
		if (rproc[i].state == RP_FREE)
			rp = &rproc[i];
	if (n < 2 || !rp)
		return -ENOSPC;
	memset(rp, 0, sizeof(*rp));
	strlcpy(rp->label, w[1], sizeof(rp->label));
	strlcpy(rp->program, w[1], sizeof(rp->program));
	rp->priv.call_mask = BASIC_CALLS;
	rp->priority = SERVICE_PRIO;
	rp->priv.nr_ipc = PRIV_DESC_ALL_IPC;
	rp->priv.sig_mgr = self_endpoint;
	for (int i = 2; i < n; i++)
		if (parse_option(rp, w[i]) < 0)
			panic("system.conf: service %s: bad option '%s'", rp->label, w[i]);
	if (!(rp->image = rs_load_image(rp->program, &rp->image_size)))
		panic("system.conf: service %s: no boot module '%s'", rp->label, rp->program);
	rp->state = RP_DOWN;
	rp->endpt = NONE;
	return 0;
}

static int
split(char *s, char **w, int max)
{
	int n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s || *s == '#')
			break;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	*s = '\0';
	return n;
}

int
rs_config_load(void)
{
	char *line, *next, *w[16];
	size_t size = 0;

	if (sys_getimage_named("system.conf", conf, sizeof(conf) - 1, &size) < 0 ||
	    size == 0 || size >= sizeof(conf))
		return -ENOENT;
	conf[size] = '\0';
	for (line = conf; line; line = next) {
		int n;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		n = split(line, w, 16);
		if (n > 0 && strcmp(w[0], "service") == 0)
			parse_service(w, n);
		else if (n > 0)
			panic("system.conf: unknown line starting '%s'", w[0]);
	}
	return 0;
}
