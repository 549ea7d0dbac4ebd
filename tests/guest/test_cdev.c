/*
 * The character protocol and libchardriver, end to end: requests from this
 * test process to drivers running under RS (hello, and cdevpipe, a pipe
 * whose reads wait).  Requests that are to wait are sent with ipc_send, as
 * VFS will send them; their late replies are then taken with a receive.
 */
#include "guest.h"
#include <cdev_client.h>
#include <ax/hello.h>
#include <ax/bdev.h>
#include <ax/rs.h>
#include "cdevpipe.h"

static endpoint_t
driver(const char *label)
{
	endpoint_t e = NONE;

	if (ds_retrieve_label(label, &e) < 0)
		return NONE;
	return e;
}

/* A request, made ready for cdev_call() or ipc_send(). */
static void
request(message *m, int type, cdev_id_t id)
{
	memset(m, 0, sizeof(*m));
	m->m_type = type;
	m->m_cdev.id = id;
	m->m_cdev.user = self_endpoint;
	m->m_cdev.grant = GRANT_INVALID;
}

/* Take the late reply to request `id` from `d`; its status, or -E. */
static int64_t
late_reply(endpoint_t d, cdev_id_t id)
{
	uint64_t status;
	message m;
	int r;

	if ((r = ipc_receive(d, &m, &status)) < 0)
		return r;
	if (m.m_type != CDEV_REPLY || m.m_cdev_reply.id != id)
		return -EIO;
	return m.m_cdev_reply.status;
}

TEST(cdev, ioctl,
     "ioctls move their argument in the direction the code says; unknown ones get ENOTTY")
{
	endpoint_t p = driver("pipe"), h = driver("hello");
	uint32_t v = 0xfeed, got = 0;

	EXPECT(p != NONE && h != NONE, "pipe %d, hello %d", p, h);
	EXPECT_EQ(cdev_open(p, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_ioctl(p, 0, CDEVPIPE_IOC_SETMARK, &v), 0);   /* driver reads */
	EXPECT_EQ(cdev_ioctl(p, 0, CDEVPIPE_IOC_GETMARK, &got), 0); /* driver writes */
	EXPECT_EQ(got, 0xfeed);
	EXPECT_EQ(cdev_ioctl(p, 0, _IO('p', 99), NULL), -ENOTTY);
	EXPECT_EQ(cdev_ioctl(p, 7, CDEVPIPE_IOC_GETMARK, &got), -ERESTART); /* never opened */
	EXPECT_EQ(cdev_open(p, 7, CDEV_R_BIT), -ENXIO);
	/* hello has no ioctl callback for this code, and counts its opens by ioctl. */
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), 0);
	EXPECT_EQ(cdev_ioctl(h, 0, _IOR('x', 1, uint32_t), &got), -ENOTTY);
	EXPECT_EQ(cdev_ioctl(h, 0, HELLO_IOC_OPENS, &got), 0);
	EXPECT(got > 0, "hello counts %u opens", got);
}

TEST(cdev, cancel,
     "a waiting read is cancelled with EINTR; a cancel of an answered request gets no reply")
{
	endpoint_t p = driver("pipe");
	char buf[16], in[4] = "abc";
	message m;

	EXPECT(p != NONE, "no pipe driver");
	EXPECT_EQ(cdev_open(p, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	grant_id_t g = cpf_grant_direct(p, buf, sizeof(buf), GRANT_WRITE);
	EXPECT(g >= 0, "grant: %d", g);

	/* A read of the empty pipe waits... */
	request(&m, CDEV_READ, 71);
	m.m_cdev.grant = g;
	m.m_cdev.count = sizeof(buf);
	EXPECT_EQ(ipc_send(p, &m), 0);
	/* ...until cancelled: the reply names the read, not the cancel. */
	request(&m, CDEV_CANCEL, 71);
	EXPECT_EQ(cdev_call(p, &m), -EINTR);
	/* The cancelled read took nothing: the next one gets the bytes. */
	EXPECT_EQ(cdev_write(p, 0, 0, in, 3, 0), 3);
	EXPECT_EQ(cdev_read(p, 0, 0, buf, sizeof(buf), 0), 3);

	/* A read that was answered: its cancel is dropped, not answered. */
	request(&m, CDEV_READ, 72);
	m.m_cdev.grant = g;
	m.m_cdev.count = sizeof(buf);
	EXPECT_EQ(ipc_send(p, &m), 0);
	EXPECT_EQ(cdev_write(p, 0, 0, in, 2, 0), 2); /* ends read 72 */
	EXPECT_EQ(late_reply(p, 72), 2);
	request(&m, CDEV_CANCEL, 72);
	EXPECT_EQ(ipc_send(p, &m), 0);
	/* Were the cancel answered, that reply would end this SENDREC first. */
	EXPECT_EQ(cdev_select(p, 0, CDEV_OP_WR), CDEV_OP_WR);
	EXPECT_EQ(cdev_read(p, 0, 0, buf, sizeof(buf), CDEV_NONBLOCK), -EAGAIN);
	cpf_revoke(g);
}

TEST(cdev, select, "select answers the ready ops at once and reports the rest once they are ready")
{
	endpoint_t p = driver("pipe");
	char buf[8];
	uint64_t status;
	message m;

	EXPECT(p != NONE, "no pipe driver");
	EXPECT_EQ(cdev_open(p, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_select(p, 0, CDEV_OP_RD | CDEV_OP_WR), CDEV_OP_WR); /* empty */
	EXPECT_EQ(cdev_select(p, 0, CDEV_OP_RD | CDEV_NOTIFY), 0);
	EXPECT_EQ(cdev_write(p, 0, 0, "x", 1, 0), 1);
	EXPECT_EQ(ipc_receive(p, &m, &status), 0); /* the later report */
	EXPECT_EQ(m.m_type, CDEV_SEL2_REPLY);
	EXPECT_EQ(m.m_cdev_select_reply.minor, 0);
	EXPECT_EQ(m.m_cdev_select_reply.status, CDEV_OP_RD);
	EXPECT_EQ(cdev_select(p, 0, CDEV_OP_RD), CDEV_OP_RD);
	EXPECT_EQ(cdev_read(p, 0, 0, buf, sizeof(buf), 0), 1);
	EXPECT_EQ(cdev_select(p, 0, 0x100), -EINVAL);                   /* no such op */
	EXPECT_EQ(cdev_select(p, 9, CDEV_OP_RD), -ERESTART);            /* never opened */
	EXPECT_EQ(cdev_select(driver("hello"), 0, CDEV_OP_RD), -EBADF); /* no select */
}

TEST(cdev, bad_grant, "a request whose grant the driver may not use is refused; the driver goes on")
{
	endpoint_t h = driver("hello"), other = find("peer_a");
	char buf[64];
	message m;
	int64_t r;

	EXPECT(h != NONE, "hello is not running");
	EXPECT_EQ(cdev_open(h, 0, CDEV_R_BIT), 0);
	struct {
		const char *what;
		grant_id_t g;
		size_t count;
	} cases[] = {
		{ "a grant for someone else",
		  cpf_grant_direct(other, buf, sizeof(buf), GRANT_WRITE), 60 },
		{ "a read-only grant", cpf_grant_direct(h, buf, sizeof(buf), GRANT_READ), 60 },
		{ "a grant too small", cpf_grant_direct(h, buf, 4, GRANT_WRITE), 60 },
		{ "no grant at all", GRANT_INVALID, 60 },
		{ "a made-up grant id", 12345, 60 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		request(&m, CDEV_READ, 80 + i);
		m.m_cdev.grant = cases[i].g;
		m.m_cdev.count = cases[i].count;
		r = cdev_call(h, &m);
		EXPECT(r < 0, "%s: read gave %lld", cases[i].what, (long long)r);
	}
	/* And a block request to a character driver: ENXIO, not a hang. */
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_READ;
	m.m_bdev.id = 5;
	EXPECT_EQ(ipc_sendrec(h, &m), 0);
	EXPECT_EQ(m.m_type, BDEV_REPLY);
	EXPECT_EQ(m.m_bdev_reply.status, -ENXIO);
	EXPECT(cdev_read(h, 0, 0, buf, sizeof(buf), 0) > 0, "hello no longer answers");
}

TEST(cdev, restart_reopen, "after a driver restart its clients get ERESTART until they reopen")
{
	endpoint_t p = driver("pipe"), p2 = NONE;
	char buf[4];

	EXPECT(p != NONE, "no pipe driver");
	EXPECT_EQ(cdev_open(p, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(rs_request(RS_RESTART, "pipe", NULL), 0);
	for (int i = 0; i < 200 && (p2 == NONE || p2 == p); i++) {
		tickdelay(1);
		p2 = driver("pipe");
	}
	EXPECT(p2 != NONE && p2 != p, "pipe did not come back under a new endpoint");
	EXPECT_EQ(cdev_write(p, 0, 0, "x", 1, 0), -EDEADSRCDST); /* the old one */
	EXPECT_EQ(cdev_write(p2, 0, 0, "x", 1, 0), -ERESTART);   /* not opened here */
	EXPECT_EQ(cdev_open(p2, 0, CDEV_R_BIT | CDEV_W_BIT), 0);
	EXPECT_EQ(cdev_write(p2, 0, 0, "x", 1, 0), 1);
	EXPECT_EQ(cdev_read(p2, 0, 0, buf, sizeof(buf), 0), 1);
}
