/*
 * hello: the smallest driver, for demonstrating and testing self-repair.
 * A character device (include/ax/hello.h) on libchardriver: a read answers
 * with a greeting that says how often it was opened, and an ioctl tells it
 * to crash or to hang.  It is started by RS and uses SEF; with the argument
 * "crash" it crashes right after its init, over and over (the crash-loop
 * test), and with "slow-init" its init takes 5 ticks (the restart race).
 *
 * The open count is kept in DS under "<label>.opens" (a private entry, so
 * only this service sees it): a stateful restart and a live update recover
 * it, a fresh start begins again at 0.
 */
#include <libsys.h>
#include <sef.h>
#include <chardriver.h>
#include <stdio.h>
#include <string.h>
#include <ax/hello.h>
#include <ax/ds.h>

#ifndef HELLO_GREETING
#define HELLO_GREETING "Hello" /* hello_v2.c, the update, says something else */
#endif

static uint32_t opens;
static uint32_t drops; /* requests this instance took and will never answer */
static bool crash_after_init;
static bool slow_init;
static char opens_key[DS_MAX_KEYLEN];

/*
 * A fresh start: nothing to recover.  Announcing does not clear IPC state
 * here: a client may already have sent a request to this new endpoint.
 */
static int
init_fresh(int type, const struct msg_rs_init *info)
{
	(void)info;
	opens = 0;
	if (slow_init)
		tickdelay(5);
	chardriver_announce(type);
	return 0;
}

/* After a live update: the count is in DS; clients go on as before. */
static int
init_lu(int type, const struct msg_rs_init *info)
{
	(void)type;
	(void)info;
	if (ds_retrieve_u32(opens_key, &opens) < 0)
		opens = 0;
	return 0;
}

/* After a stateful restart: the count too; clients reopen (ERESTART). */
static int
init_restart(int type, const struct msg_rs_init *info)
{
	init_lu(type, info);
	chardriver_announce(type);
	return 0;
}

static int
hello_open(devminor_t minor, int access, const struct cdev_user *user)
{
	(void)access;
	(void)user;
	if (minor != 0)
		return -ENXIO;
	opens++;
	return ds_publish_u32(opens_key, opens, DSF_OVERWRITE | DSF_PRIVATE);
}

static int64_t
hello_read(devminor_t minor, uint64_t pos, endpoint_t endpt, grant_id_t grant, size_t size,
	   int flags, cdev_id_t id, const struct cdev_user *user)
{
	char text[96];
	size_t len = (size_t)snprintf(text, sizeof(text),
				      HELLO_GREETING " from %s (endpoint %d): opened %u times\n",
				      self_name, self_endpoint, opens);
	int r;

	(void)minor;
	(void)flags;
	(void)id;
	(void)user;
	if (pos >= len)
		return 0; /* end of file */
	if (size > len - pos)
		size = len - pos;
	/* The grant belongs to whoever asked: endpt is the request's m_source. */
	if ((r = sys_safecopyto(endpt, grant, 0, text + pos, size)) < 0)
		return r;
	return (int64_t)size;
}

static int
hello_ioctl(devminor_t minor, unsigned long request, endpoint_t endpt, grant_id_t grant, int flags,
	    const struct cdev_user *user, cdev_id_t id)
{
	(void)minor;
	(void)flags;
	(void)user;
	(void)id;
	switch (request) {
	case HELLO_IOC_OPENS:
		return sys_safecopyto(endpt, grant, 0, &opens, sizeof(opens));
	case HELLO_IOC_CRASH:
		*(volatile int *)0 = 1;
		return -EIO;
	case HELLO_IOC_HANG:
		for (;;)
			;
	case HELLO_IOC_DROP:
		drops++;
		return -EDONTREPLY; /* taken, and forgotten: nobody will answer it */
	case HELLO_IOC_DROPS:
		return sys_safecopyto(endpt, grant, 0, &drops, sizeof(drops));
	}
	return -ENOTTY;
}

static void
hello_dump(struct dump *d)
{
	dump_printf(d, "%s: opened %u times (kept in DS as %s)\n", self_name, opens, opens_key);
}

static const struct chardriver hello_tab = {
	.cdr_open = hello_open,
	.cdr_read = hello_read,
	.cdr_ioctl = hello_ioctl,
	.cdr_dump = hello_dump,
};

int
main(int argc, char **argv)
{
	crash_after_init = argc > 1 && strcmp(argv[1], "crash") == 0;
	slow_init = argc > 1 && strcmp(argv[1], "slow-init") == 0;
	snprintf(opens_key, sizeof(opens_key), "%s.opens", self_name);
	sef_setcb_init_fresh(init_fresh);
	sef_setcb_init_restart(init_restart);
	sef_setcb_init_lu(init_lu);
	sef_startup();
	if (crash_after_init)
		*(volatile int *)0 = 1;
	chardriver_task(&hello_tab);
}
