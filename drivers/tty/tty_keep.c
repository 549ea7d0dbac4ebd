/*
 * The terminal's settings outlive the driver: a program that put the line
 * in raw mode must not find it cooked again because the tty crashed.  The
 * settings (termios, window size, session, foreground group, signal
 * target) are one DS entry, "<label>.settings", published whenever one
 * changes and read back when an instance starts.  The entry is public: a new instance
 * reads it during its init, before RS has published its endpoint under
 * the label (which is what makes it the owner of the old one's entries),
 * and settings are no secret.
 */
#include "tty.h"
#include <stdio.h>
#include <ax/ds.h>

struct tty_settings {
	struct termios termios;
	struct winsize winsize;
	int32_t session;
	int32_t pgrp;
	endpoint_t sig_target;
};

static void
settings_key(char *key)
{
	snprintf(key, DS_MAX_KEYLEN, "%s.settings", self_name);
}

void
tty_keep_settings(void)
{
	struct tty_settings s = { tty.t_ld.ld_termios, tty.t_winsize, tty.t_session, tty.t_pgrp,
				  tty.t_sig_target };
	char key[DS_MAX_KEYLEN];
	int r;

	settings_key(key);
	if ((r = ds_publish_mem(key, &s, sizeof(s), DSF_OVERWRITE)) < 0)
		printf("%s: cannot keep the settings in DS: %d\n", self_name, r);
}

/*
 * Take the settings an earlier instance kept into `tty`; false if there
 * are none (a first start).
 */
bool
tty_kept_settings(void)
{
	struct tty_settings s;
	char key[DS_MAX_KEYLEN];
	size_t len = sizeof(s);

	settings_key(key);
	if (ds_retrieve_mem(key, &s, &len) < 0 || len != sizeof(s))
		return false;
	ldisc_set_termios(&tty.t_ld, &s.termios);
	tty.t_winsize = s.winsize;
	tty.t_session = s.session;
	tty.t_pgrp = s.pgrp;
	tty.t_sig_target = s.sig_target;
	return true;
}
