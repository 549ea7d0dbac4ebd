/*
 * RS's configuration: the boot module "system.conf", one service a line
 * (the format and every option: lib/libconf/conf.h).  The build collects
 * it from the system.conf beside each service's code, one file per boot
 * mode (tools/sysconf.py).  '#' starts a comment.  PROGRAM is a boot module
 * RS maps in place (read-only) at start-up, so that it can restart the
 * service before any file system exists.  ipc names whom the service may send to: labels of
 * services and names of boot processes (RS itself always; default ALL; see
 * priv.c).  Replies need no permission.
 *
 * A malformed line is reported on the console with its line number and
 * left out; RS starts the rest (libconf checks each option).
 */
#include "rs.h"
#include <stdlib.h>

#define CONF_MAX 8192

static char conf[CONF_MAX];

#define CONF_WORD_MAX 128 /* an option as quoted in an error */

/* The executables RS holds, one copy per program. */
static struct image {
	char program[PROC_NAME_LEN];
	const uint8_t *bytes;
	size_t size;
} images[2 * NR_SERVICES];
static int nr_images;

/*
 * Boot module `program`, the first time it is asked for: mapped in place,
 * read-only (sys_mapimage: the boot loader's copy, which lives as long as
 * the machine and which nobody can write), or, if the kernel refuses
 * that, a copy in our heap.  NULL if there is no such module or no memory
 * for it.
 */
const uint8_t *
rs_load_image(const char *program, size_t *size)
{
	const void *mapped;
	uint8_t *copy;

	for (int i = 0; i < nr_images; i++)
		if (strcmp(images[i].program, program) == 0)
			return *size = images[i].size, images[i].bytes;
	if (nr_images == (int)ARRAY_SIZE(images))
		return NULL;
	if (sys_mapimage_named(program, &mapped, size) == 0) {
		copy = NULL;
	} else {
		if (sys_getimage_named(program, NULL, 0, size) < 0 || !(copy = malloc(*size)))
			return NULL;
		if (sys_getimage_named(program, copy, *size, size) < 0) {
			free(copy);
			return NULL;
		}
		mapped = copy;
	}
	images[nr_images++] = (struct image){ "", mapped, *size };
	strlcpy(images[nr_images - 1].program, program, PROC_NAME_LEN);
	return mapped;
}

/* A service line cannot be used: say why, and leave the service out. */
static void
reject(int line, const char *label, const char *why, const char *what)
{
	printf("rs: system.conf:%d: service %s: %s '%s': service left out\n", line, label, why,
	       what);
}

/* A new entry in rproc[] for the service line c. */
static void
take(struct rproc *rp, const struct conf_service *c)
{
	memset(rp, 0, sizeof(*rp));
	strlcpy(rp->label, c->label, sizeof(rp->label));
	strlcpy(rp->program, c->program, sizeof(rp->program));
	strlcpy(rp->args, c->args, sizeof(rp->args));
	rp->flags = c->flags;
	rp->period = c->period;
	rp->priority = c->priority;
	rp->priv = c->priv;
	rp->priv.sig_mgr = self_endpoint;
	memcpy(rp->ipc, c->ipc, sizeof(rp->ipc));
	rp->nr_ipc = c->nr_ipc;
	rp->endpt = NONE;
	rp->clone = NONE;
	rp->image_grant = GRANT_INVALID;
}

/*
 * A service started from a file under a label system.conf does not name
 * (`service up /sbin/hello_v2 -label hello2`) is configured by this line:
 * a plain driver's, which may use the basic calls and talk to DS and VFS
 * (the callers of a character driver).  Anything else needs a line of its
 * own in system.conf (configured `down`), whose program the file then
 * replaces.
 */
#define FILE_SERVICE_LINE "period=10 calls=basic ipc=ds,vfs memlimit=4M"

/*
 * A new entry for label from FILE_SERVICE_LINE, DOWN and without a
 * program (rs_set_image gives it one): 0, -EINVAL for a bad label, -ENOMEM
 * when the table is full.
 */
int
rs_config_new(const char *label, struct rproc **rpp)
{
	char line[CONF_WORD_MAX * 2], bad[CONF_WORD_MAX], *w[CONF_WORDS];
	struct conf_service c;
	const char *why;
	int n;

	if (snprintf(line, sizeof(line), "service %s program=%s " FILE_SERVICE_LINE, label,
		     label) >= (int)sizeof(line) ||
	    (n = conf_split(line, w, CONF_WORDS)) < 0 ||
	    conf_service_line(w, n, &c, &why, bad, sizeof(bad)) < 0)
		return -EINVAL;
	for (int i = 0; i < NR_SERVICES; i++)
		if (rproc[i].state == RP_FREE) {
			take(&rproc[i], &c);
			rproc[i].state = RP_DOWN;
			*rpp = &rproc[i];
			return 0;
		}
	return -ENOMEM;
}

/*
 * rp's program from now on: `image`, RS's alone (from a file; NULL: none),
 * named `program`.  rs_take_image does not tell the replica (keep.c): a new
 * RS takes the replica's own copies back.
 */
void
rs_take_image(struct rproc *rp, uint8_t *image, size_t size, const char *program)
{
	if (rp->image_grant != GRANT_INVALID)
		cpf_revoke(rp->image_grant);
	rp->image_grant = GRANT_INVALID;
	if (rp->image_owned)
		free((void *)rp->image);
	rp->image = image;
	rp->image_size = size;
	rp->image_owned = true;
	strlcpy(rp->program, program, sizeof(rp->program));
}

void
rs_set_image(struct rproc *rp, uint8_t *image, size_t size, const char *program)
{
	rs_take_image(rp, image, size, program);
	rs_keep_send(rp); /* the replica keeps a copy, for a new RS */
}

/* rp's program from now on: RS's copy of boot module `program` (an update's). */
void
rs_set_module(struct rproc *rp, const uint8_t *image, size_t size, const char *program)
{
	bool was_owned = rp->image_owned;

	rs_take_image(rp, NULL, 0, program); /* the one from a file goes */
	rp->image = image;
	rp->image_size = size;
	rp->image_owned = false;
	if (was_owned)
		rs_keep_send(rp); /* the replica forgets its copy */
}

/* One "service" line, already split into words. */
static void
parse_service(char **w, int n, int line)
{
	struct rproc *rp = NULL;
	struct conf_service c;
	char bad[CONF_WORD_MAX];
	const char *why;

	if (conf_service_line(w, n, &c, &why, bad, sizeof(bad)) < 0) {
		reject(line, n < 2 ? "?" : w[1], why, bad);
		return;
	}
	if (rs_by_label(c.label)) {
		reject(line, c.label, "label used twice", c.label);
		return;
	}
	for (int i = 0; i < NR_SERVICES && !rp; i++)
		if (rproc[i].state == RP_FREE)
			rp = &rproc[i];
	if (!rp) {
		reject(line, c.label, "too many services", c.label);
		return;
	}
	take(rp, &c);
	if (!(rp->image = rs_load_image(rp->program, &rp->image_size))) {
		reject(line, rp->label, "no boot module", rp->program);
		rp->state = RP_FREE;
		return;
	}
	rp->state = RP_DOWN;
}

/*
 * Every name in an ipc list must be a configured label or a process that
 * runs now (a boot process); known only once the whole file is read.
 */
static void
check_ipc_names(void)
{
	for (int i = 0; i < NR_SERVICES; i++) {
		struct rproc *rp = &rproc[i];
		endpoint_t e;

		for (int j = 0; rp->state != RP_FREE && j < rp->nr_ipc; j++) {
			if (rs_by_label(rp->ipc[j]) || sys_lookup(rp->ipc[j], &e) == 0)
				continue;
			printf("rs: system.conf: service %s: ipc: no service or boot process '%s': "
			       "service left out\n",
			       rp->label, rp->ipc[j]);
			rp->state = RP_FREE;
		}
	}
}

int
rs_config_load(void)
{
	char *line, *next, *w[CONF_WORDS];
	size_t size = 0;
	int nr = 1;

	if (sys_getimage_named("system.conf", conf, sizeof(conf) - 1, &size) < 0 || size == 0 ||
	    size >= sizeof(conf))
		return -ENOENT;
	conf[size] = '\0';
	for (line = conf; line; line = next, nr++) {
		int n;

		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		n = conf_split(line, w, CONF_WORDS);
		if (n < 0)
			printf("rs: system.conf:%d: more than %d words: ignored\n", nr, CONF_WORDS);
		else if (n > 0 && strcmp(w[0], "service") == 0)
			parse_service(w, n, nr);
		else if (n > 0 && strcmp(w[0], "helper") == 0)
			continue; /* a test's, not RS's (lib/libconf/conf.h) */
		else if (n > 0)
			printf("rs: system.conf:%d: unknown line starting '%s': ignored\n", nr,
			       w[0]);
	}
	check_ipc_names();
	return 0;
}
