/*
 * The service command (user/service, docs/userland.md section 3): each
 * test starts the real program through PM with a uid, as a person would
 * run it, and checks its exit status (0, or the errno RS answered) and
 * RS's table as RS_LOOKUP shows it.  The program's lines go to the console
 * (build/test-com2.log).  svc_ud is a test service configured down
 * (tests/guest/system.conf), so nothing else depends on it.
 */
#include "guest.h"
#include <ax/pm.h>
#include <ax/linux.h>

#define EXIT(code) LX_W_EXITCODE(code) /* a wait status */

/* Run `service args` as uid to its end (bounded): its wait status, or -E. */
static int
run_service(const char *args, uint32_t uid)
{
	return proc_run_uid("service", args, uid, 1000);
}

/* Wait until RS runs label with more than `after` restarts: its endpoint, or NONE. */
static endpoint_t
await_running(const char *label, uint32_t after)
{
	for (int i = 0; i < AWAIT_TICKS; i++) {
		uint32_t restarts = 0;
		endpoint_t e = service(label, &restarts);

		if (e != NONE && (after == UINT32_MAX || restarts > after))
			return e;
		tickdelay(1);
	}
	return NONE;
}

static void
svc_ud_down(void)
{
	if (service("svc_ud", NULL) != NONE)
		run_service("down svc_ud", 0);
	await_service_down("svc_ud", AWAIT_TICKS);
}

TEST(service, status, "service status reads RS's table through /dev/service as root")
{
	EXPECT_EQ(run_service("status", 0), 0);
	EXPECT_EQ(run_service("status hello2", 0), 0);       /* a running service's line */
	EXPECT_EQ(run_service("status svc_ud", 0), 0);       /* a service that is down is listed */
	EXPECT_EQ(run_service("status nosuch", 0), EXIT(1)); /* not in the table */
	EXPECT_EQ(run_service("restart", 0), EXIT(EINVAL));  /* a request without its label */
}

TEST(service, up_down, "service up, update, restart and down of a configured service, as root")
{
	uint32_t restarts = 0;
	endpoint_t e;

	test_cleanup(svc_ud_down);
	EXPECT(service("svc_ud", NULL) == NONE, "svc_ud runs before the test");
	EXPECT_EQ(run_service("up svc_ud", 0), 0);
	e = await_running("svc_ud", UINT32_MAX);
	EXPECT(e != NONE, "svc_ud did not come up");
	EXPECT_EQ(run_service("up svc_ud", 0), EXIT(EBUSY));             /* already running */
	EXPECT_EQ(run_service("update svc_ud -program hello_v2", 0), 0); /* answered when over */
	EXPECT_EQ(service("svc_ud", NULL), e);                           /* the same endpoint */
	EXPECT_EQ(run_service("update svc_ud -program nosuch", 0), EXIT(ENOENT));
	service("svc_ud", &restarts);
	EXPECT_EQ(run_service("restart svc_ud", 0), 0);
	EXPECT(await_running("svc_ud", restarts) != NONE, "svc_ud was not restarted");
	EXPECT_EQ(run_service("down svc_ud", 0), 0);
	EXPECT(await_service_down("svc_ud", AWAIT_TICKS), "svc_ud did not go down");
	EXPECT_EQ(run_service("down nosuch", 0), EXIT(ENOENT));
}

static void
h_down(void)
{
	if (service("h", NULL) != NONE)
		run_service("down h", 0);
	await_service_down("h", AWAIT_TICKS);
}

/*
 * The label is "h" and a path is relative where the whole command would
 * pass the 31 bytes of arguments PM_START carries (PM_ARGS_LEN); the
 * working directory is "/".
 */
TEST(service, up_from_file,
     "service up /path starts a binary read from the file system; RS restarts it from its "
     "copy; update -program /path; bad files get clear errors")
{
	uint32_t restarts = 0;
	endpoint_t e;

	test_cleanup(h_down);
	test_cleanup(svc_ud_down);
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label h", 0), 0); /* a new label */
	e = await_running("h", UINT32_MAX);
	EXPECT(e != NONE, "h did not come up");
	EXPECT_EQ(run_service("status h", 0), 0);
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label h", 0), EXIT(EBUSY));
	EXPECT_EQ(run_service("update h -program sbin/hello_v2", 0), 0);
	EXPECT_EQ(service("h", &restarts), e);     /* the same endpoint */
	EXPECT_EQ(run_service("restart h", 0), 0); /* from RS's copy, not the file */
	EXPECT(await_running("h", restarts) != NONE, "h was not restarted");
	EXPECT_EQ(run_service("down h", 0), 0);
	EXPECT(await_service_down("h", AWAIT_TICKS), "h did not go down");
	/* A configured service that is down, started with a file's program. */
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label svc_ud", 0), 0);
	EXPECT(await_running("svc_ud", UINT32_MAX) != NONE, "svc_ud did not come up from the file");
	/* Bad input: each refused with its own errno, nothing started. */
	EXPECT_EQ(run_service("up /vt/file -label notelf", 0), EXIT(ENOEXEC)); /* RS's check */
	EXPECT_EQ(run_service("update svc_ud -program /vt/file", 0), EXIT(ENOEXEC));
	EXPECT_EQ(run_service("up /bin/busybox -label big", 0), EXIT(EFBIG));
	EXPECT_EQ(run_service("up /sbin/nosuch", 0), EXIT(ENOENT));
	EXPECT_EQ(run_service("up /tmp", 0), EXIT(EACCES)); /* not a regular file */
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label a.b", 0), EXIT(EINVAL));
	EXPECT(service("notelf", NULL) == NONE && service("big", NULL) == NONE,
	       "a refused program runs");
	EXPECT_EQ(run_service("up /sbin/hello_v2 -label u", 1000), EXIT(EPERM));
	EXPECT(service("u", NULL) == NONE, "started for uid 1000");
}

TEST(service, not_root, "uid 1000 gets EPERM from RS for every request; RS's table unchanged")
{
	uint32_t before = 0, after = 0;
	endpoint_t e = service("hello2", &before);

	EXPECT(e != NONE, "hello2 does not run");
	EXPECT_EQ(run_service("status", 1000), EXIT(EPERM));
	EXPECT_EQ(run_service("restart hello2", 1000), EXIT(EPERM));
	EXPECT_EQ(run_service("down hello2", 1000), EXIT(EPERM));
	EXPECT_EQ(run_service("up svc_ud", 1000), EXIT(EPERM));
	EXPECT_EQ(service("hello2", &after), e);
	EXPECT_EQ(after, before);
	EXPECT(service("svc_ud", NULL) == NONE, "svc_ud was started for uid 1000");
	/* The same program as root is obeyed: the refusal above was the uid's. */
	EXPECT_EQ(run_service("status hello2", 0), 0);
}
