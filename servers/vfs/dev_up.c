/*
 * dev_up: a driver that restarts under open files (docs/files.md,
 * "Devices that come back: dev_up").
 *
 * The driver-up event is RS's: when a service has finished its init, RS
 * publishes its label in DS with the (new) endpoint.  VFS subscribes to
 * the label of every driver in its dmap at start (dev_up_init) and, when
 * DS notifies it, collects the changes (dev_up_check).  For a label whose
 * endpoint changed, dev_up:
 *
 *   - moves the dmap entries of the label to the new endpoint;
 *   - fails every character request in flight to the old instance with
 *     EIO (nobody will answer it, and a character transfer is not resent:
 *     it is not idempotent); the grant the old instance had is revoked;
 *   - opens every open description of the driver again at the new
 *     instance (which knows no open minor); one whose reopen fails is
 *     dead from then on: EIO for everything but close;
 *   - for a block driver, lets VFS's own libbdev adopt the new endpoint
 *     (it reopens the minors VFS holds; file systems' libbdev does the
 *     same by itself and resends what was in flight: nothing is lost);
 *   - asks the callers suspended in poll or select again (the descriptor
 *     now answers from the new instance).
 */
#include "vfs_int.h"
#include <stdio.h>
#include <bdev.h>

/* Subscribe to the driver-up event (the label's entry) of every driver in the dmap. */
static void
subscribe_one(const char *label)
{
	int r;

	if ((r = ds_subscribe(label, 0)) < 0 && r != -EEXIST)
		printf("vfs: no driver-up events for %s: %d\n", label, r);
}

void
dev_up_init(void)
{
	dmap_each_label(subscribe_one);
}

/* Every suspended character request to endpoint old ends with EIO. */
static void
fail_in_flight(endpoint_t old)
{
	for (int i = 0; i < NR_FPROCS; i++) {
		struct fproc *fp = &fprocs[i];

		if (!fp->fp_used || fp->fp_blocked != BLK_CDEV || fp->fp_blk_driver != old)
			continue;
		if (fp->fp_blk_grant != GRANT_INVALID)
			cpf_revoke(fp->fp_blk_grant);
		fp->fp_blocked = BLK_NONE;
		reply_user(fp->fp_endpt, -EIO);
	}
}

/* Every open description of the label's character devices, opened again at e. */
static void
reopen_all(const char *label, endpoint_t e)
{
	for (int i = 0; i < NR_FILPS; i++) {
		struct filp *f = &filps[i];
		int r;

		if (f->f_count == 0 || !f->f_dev_open || f->f_dev_dead || !dev_uses_label(f, label))
			continue;
		if ((r = dev_reopen(f, e)) < 0) {
			printf("vfs: %s came back, but a device of it does not reopen: %d\n", label,
			       r);
			f->f_dev_dead = true;
		}
	}
}

static void
dev_up(const char *label, endpoint_t e)
{
	bool block = false;
	endpoint_t old = dmap_endpoint_up(label, e, &block);

	if (block && bdev_driver(label) < 0)
		printf("vfs: %s came back, but libbdev does not find it\n", label);
	if (old == NONE || old == e)
		return;
	fail_in_flight(old);
	reopen_all(label, e);
	select_driver_event();
}

/* DS notified VFS: collect the changes; a label's new endpoint is a driver-up event. */
void
dev_up_check(void)
{
	char key[DS_MAX_KEYLEN];
	endpoint_t owner, e;
	int type;

	while (ds_check(key, &type, &owner) == 0) {
		if ((type & DSF_MASK_TYPE) != DSF_TYPE_LABEL || (type & DSF_DELETED))
			continue;
		if (ds_retrieve_label(key, &e) == 0)
			dev_up(key, e);
	}
}
