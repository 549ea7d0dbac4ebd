/*
 * Clocks, timers and resource limits of user processes (docs/processes.md
 * section 6, README.md).
 *
 * Time comes from the kernel's clock tick (sys_times: uptime in ticks, HZ
 * a second), so every clock here has the tick's resolution, which
 * clock_getres reports.  The wall clock is the CMOS real-time clock, read
 * once when PM starts (ports 0x70/0x71, PM's only I/O ports), plus the
 * ticks since: CLOCK_REALTIME is the host's date, which PM also publishes
 * in DS for VFS's file times (PM_CLOCK_KEY).  CPU time is the
 * kernel's count of ticks a process ran in user mode (its system time is
 * 0: the kernel does not count it yet).
 *
 * Timers: nanosleep and clock_nanosleep hold the call (interruptible:
 * the remaining time is written back), alarm and setitimer(ITIMER_REAL)
 * raise SIGALRM.  PM keeps one kernel alarm (sys_setalarm, absolute) for
 * the earliest deadline of all processes.  ITIMER_VIRTUAL and ITIMER_PROF
 * are -EINVAL: the kernel counts user ticks but tells nobody when they
 * pass a mark.
 *
 * Limits: each process has Linux's default limits until it sets its own;
 * PM keeps them (fork copies them with the table entry).  PM enforces
 * none of them itself yet: the servers that own a resource read them.
 */
#include "pm.h"
#include <sef.h>
#include <string.h>
#include <stdio.h>
#include <ax/signal.h>

#define NSEC    1000000000ull
#define SIGALRM 14

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define TIMER_ABSTIME            1

#define ITIMER_REAL 0

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

#define NR_RLIMITS    16
#define RLIM_INFINITY (~0ull)

struct lx_timespec {
	int64_t tv_sec, tv_nsec;
};
struct lx_timeval {
	int64_t tv_sec, tv_usec;
};
struct lx_itimerval {
	struct lx_timeval it_interval, it_value;
};
struct lx_tms {
	int64_t utime, stime, cutime, cstime;
};
struct lx_rlimit {
	uint64_t cur, max;
};

static uint64_t hz = 100;
static uint64_t tick_ns = 10000000;
static uint64_t rtc_sec;  /* the RTC's date at PM's start, seconds since 1970 */
static uint64_t rtc_tick; /* ...and the uptime tick it was read at */

/* Linux's defaults (a Debian 12 system's, as `ulimit -a` shows them). */
static const struct lx_rlimit rlim_default[NR_RLIMITS] = {
	[0] = { RLIM_INFINITY, RLIM_INFINITY },  /* CPU */
	[1] = { RLIM_INFINITY, RLIM_INFINITY },  /* FSIZE */
	[2] = { RLIM_INFINITY, RLIM_INFINITY },  /* DATA */
	[3] = { 8 << 20, RLIM_INFINITY },        /* STACK */
	[4] = { 0, RLIM_INFINITY },              /* CORE */
	[5] = { RLIM_INFINITY, RLIM_INFINITY },  /* RSS */
	[6] = { NR_MPROCS, NR_MPROCS },          /* NPROC: PM's table */
	[7] = { 1024, 4096 },                    /* NOFILE */
	[8] = { 8 << 20, 8 << 20 },              /* MEMLOCK */
	[9] = { RLIM_INFINITY, RLIM_INFINITY },  /* AS */
	[10] = { RLIM_INFINITY, RLIM_INFINITY }, /* LOCKS */
	[11] = { NR_MPROCS, NR_MPROCS },         /* SIGPENDING */
	[12] = { 819200, 819200 },               /* MSGQUEUE */
	[13] = { 0, 0 },                         /* NICE */
	[14] = { 0, 0 },                         /* RTPRIO */
	[15] = { RLIM_INFINITY, RLIM_INFINITY }, /* RTTIME */
};

uint64_t
time_now_ticks(void)
{
	struct msg_sys_times_reply t;

	if (sys_times(SELF, &t) < 0)
		return 0;
	return t.uptime;
}

/* CMOS register reg (an index for port 0x70, the value from 0x71). */
static unsigned
cmos(unsigned reg)
{
	uint32_t v = 0;

	sys_devio(DIO_OUT_BYTE, 0x70, &(uint32_t){ reg });
	sys_devio(DIO_IN_BYTE, 0x71, &v);
	return v & 0xff;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static unsigned
bcd(unsigned v, bool binary)
{
	return binary ? v : (v & 15) + (v >> 4) * 10;
}

/*
 * The RTC's date in seconds since 1970, or 0 if it cannot be read.  The
 * registers are read twice, outside an update, until two reads agree.
 */
static uint64_t
read_rtc(void)
{
	unsigned r[6], prev[6], b;
	bool binary, h24;
	int hour;

	for (int tries = 0; tries < 10; tries++) {
		for (int i = 0; i < 100000 && (cmos(0x0a) & 0x80); i++)
			;
		r[0] = cmos(0x00), r[1] = cmos(0x02), r[2] = cmos(0x04);
		r[3] = cmos(0x07), r[4] = cmos(0x08), r[5] = cmos(0x09);
		if (tries && memcmp(r, prev, sizeof(r)) == 0)
			break;
		memcpy(prev, r, sizeof(r));
	}
	b = cmos(0x0b);
	binary = b & 4;
	h24 = b & 2;
	hour = (int)bcd(r[2] & 0x7f, binary);
	if (!h24 && (r[2] & 0x80))
		hour = (hour % 12) + 12;
	else if (!h24 && hour == 12)
		hour = 0;
	if (bcd(r[4], binary) < 1 || bcd(r[4], binary) > 12 || bcd(r[3], binary) < 1)
		return 0;
	return (uint64_t)(days_from_civil(2000 + bcd(r[5], binary), bcd(r[4], binary),
					  bcd(r[3], binary)) *
			  86400) +
	       (uint64_t)hour * 3600 + bcd(r[1], binary) * 60 + bcd(r[0], binary);
}

static bool clock_published; /* PM_CLOCK_KEY is ours in DS */
static uint32_t clock_tries; /* refusals so far */

/*
 * The wall clock for the servers that stamp times (include/ax/pm.h:
 * PM_CLOCK_KEY).  A restarted PM may not overwrite the dead one's entry
 * until RS has published its label (after its init: DS's owner check), so
 * a refusal is tried again before each receive (time_publish), 100 times,
 * and then at each DS notification: PM follows its own label (time_init),
 * so RS's publishing of it is one.  A refusal once the label is PM's is
 * said.
 */
static void
publish_clock(bool said)
{
	struct pm_clock c = { .c_sec = rtc_sec, .c_tick = rtc_tick, .c_hz = hz };
	int r = ds_publish_mem(PM_CLOCK_KEY, &c, sizeof(c), DSF_OVERWRITE);

	clock_published = r == 0;
	clock_tries++;
	if (r < 0 && said)
		printf("pm: the wall clock cannot be published in DS: %d\n", r);
}

void
time_publish(bool ds_notified)
{
	endpoint_t e;
	bool labelled;

	if (clock_published || (!ds_notified && clock_tries >= 100))
		return;
	labelled = ds_notified && ds_retrieve_label("pm", &e) == 0 && e == self_endpoint;
	if (!ds_notified || labelled)
		publish_clock(labelled);
}

/* What a live update carries of this file (lu.c): the clock, not read again. */
void
time_lu_state(pm_lu_add_fn *add)
{
	add(&hz, sizeof(hz));
	add(&tick_ns, sizeof(tick_ns));
	add(&rtc_sec, sizeof(rtc_sec));
	add(&rtc_tick, sizeof(rtc_tick));
}

/*
 * A restarted PM goes on with the clock its dead predecessor published
 * rather than the CMOS clock read again: the CMOS counts whole seconds, so
 * a second reading starts CLOCK_REALTIME up to a second off the first,
 * and the date would jump at PM's crash and disagree with the file times
 * VFS stamps from the record it read once (service.fault_pm).
 */
static void
clock_adopt(void)
{
	struct pm_clock c;
	size_t len = sizeof(c);

	if (ds_retrieve_mem(PM_CLOCK_KEY, &c, &len) == 0 && len == sizeof(c) && c.c_hz == hz &&
	    c.c_tick <= rtc_tick) {
		rtc_sec = c.c_sec;
		rtc_tick = c.c_tick;
	}
}

void
time_init(void)
{
	struct msg_sys_kinfo k;

	if (sys_getkinfo(&k) == 0 && k.hz) {
		hz = k.hz;
		tick_ns = NSEC / hz;
	}
	rtc_sec = read_rtc();
	random_stir(rtc_sec); /* random.c: the date differs from boot to boot */
	rtc_tick = time_now_ticks();
	if (!rtc_sec)
		printf("pm: the CMOS clock cannot be read; CLOCK_REALTIME starts at 1970\n");
	clock_adopt();
	if (ds_subscribe("pm", 0) < 0) /* our label: RS publishes it after our init */
		printf("pm: cannot follow its own label in DS\n");
	publish_clock(false);
}

static uint64_t
ticks_to_ns(uint64_t t)
{
	return t * tick_ns;
}

/* Ticks that cover ns at least (rounded up). */
static uint64_t
ns_to_ticks(uint64_t ns)
{
	return (ns + tick_ns - 1) / tick_ns;
}

static struct lx_timespec
ns_to_ts(uint64_t ns)
{
	return (struct lx_timespec){ (int64_t)(ns / NSEC), (int64_t)(ns % NSEC) };
}

static bool
ts_valid(const struct lx_timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && (uint64_t)ts->tv_nsec < NSEC;
}

static uint64_t
ts_ns(const struct lx_timespec *ts)
{
	if ((uint64_t)ts->tv_sec > (~0ull - NSEC) / NSEC)
		return ~0ull / 2; /* far enough */
	return (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
}

static uint64_t
realtime_ns(void)
{
	return rtc_sec * NSEC + ticks_to_ns(time_now_ticks() - rtc_tick);
}

static uint64_t
cpu_ticks(const struct mproc *mp)
{
	struct msg_sys_times_reply t;

	if (sys_times(mp->mp_endpt, &t) < 0)
		return 0;
	return t.user_ticks + t.sys_ticks;
}

/* The value of clock id for mp in ns, or -EINVAL. */
static int
clock_value(const struct mproc *mp, uint64_t id, uint64_t *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = ticks_to_ns(time_now_ticks());
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = ticks_to_ns(cpu_ticks(mp));
		return 0;
	default:
		return -EINVAL;
	}
}

int64_t
lx_clock_gettime(struct mproc *mp, const uint64_t *arg)
{
	struct lx_timespec ts;
	uint64_t ns;
	int r;

	if ((r = clock_value(mp, arg[0], &ns)) < 0)
		return r;
	ts = ns_to_ts(ns);
	return pm_copy_to_user(mp, arg[1], &ts, sizeof(ts));
}

int64_t
lx_clock_getres(struct mproc *mp, const uint64_t *arg)
{
	struct lx_timespec ts = ns_to_ts(tick_ns);
	uint64_t ns;
	int r;

	if ((r = clock_value(mp, arg[0], &ns)) < 0)
		return r;
	return arg[1] ? pm_copy_to_user(mp, arg[1], &ts, sizeof(ts)) : 0;
}

int64_t
lx_gettimeofday(struct mproc *mp, const uint64_t *arg)
{
	uint64_t ns = realtime_ns();
	struct lx_timeval tv = { (int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000) };
	int32_t tz[2] = { 0, 0 }; /* UTC, no DST */
	int64_t r;

	if (arg[0] && (r = pm_copy_to_user(mp, arg[0], &tv, sizeof(tv))) < 0)
		return r;
	return arg[1] ? pm_copy_to_user(mp, arg[1], tz, sizeof(tz)) : 0;
}

int64_t
lx_time(struct mproc *mp, const uint64_t *arg)
{
	int64_t t = (int64_t)(realtime_ns() / NSEC);
	int64_t r;

	if (arg[0] && (r = pm_copy_to_user(mp, arg[0], &t, sizeof(t))) < 0)
		return r;
	return t;
}

/* PM's one kernel alarm goes off at the earliest deadline of all processes. */
static void
rearm(void)
{
	uint64_t first = 0;

	for (int i = 0; i < NR_MPROCS; i++) {
		const struct mp_time *t = &mproc[i].mp_time;

		if (!(mproc[i].mp_flags & MP_IN_USE) || (mproc[i].mp_flags & MP_ZOMBIE))
			continue;
		if (t->alarm_at && (!first || t->alarm_at < first))
			first = t->alarm_at;
		if (t->sleep_until && (!first || t->sleep_until < first))
			first = t->sleep_until;
	}
	sys_setalarm(first, first != 0, NULL); /* 0: cancel */
}

/* A sleep interrupted by a handler: the time left goes to rem (unless TIMER_ABSTIME). */
static int64_t
cancel_sleep(struct mproc *mp)
{
	uint64_t now = time_now_ticks();
	uint64_t left = mp->mp_time.sleep_until > now ? mp->mp_time.sleep_until - now : 0;
	struct lx_timespec ts = ns_to_ts(ticks_to_ns(left));
	int64_t r = -LX_ERESTARTBLOCK;

	if (mp->mp_time.sleep_rem &&
	    pm_copy_to_user(mp, mp->mp_time.sleep_rem, &ts, sizeof(ts)) < 0)
		r = -EFAULT;
	mp->mp_time.sleep_until = 0;
	mp->mp_time.sleep_rem = 0;
	rearm();
	return r;
}

/* Hold mp's call until tick `until` (0 when it has passed already). */
static int64_t
sleep_until(struct mproc *mp, uint64_t until, uint64_t rem)
{
	if (until <= time_now_ticks())
		return 0;
	mp->mp_time.sleep_until = until;
	mp->mp_time.sleep_rem = rem;
	mp->mp_time.sleep_answer = 0;
	mp->mp_cancel = cancel_sleep;
	rearm();
	return LX_NO_REPLY;
}

int64_t
time_hold(struct mproc *mp, uint64_t ts_user, int64_t expired, pm_cancel_fn *cancel)
{
	struct lx_timespec ts;
	int64_t r;

	if (ts_user && (r = pm_copy_from_user(mp, ts_user, &ts, sizeof(ts))) < 0)
		return r;
	if (ts_user && !ts_valid(&ts))
		return -EINVAL;
	if (ts_user && ts_ns(&ts) == 0)
		return expired;
	mp->mp_time.sleep_until = ts_user ? time_now_ticks() + ns_to_ticks(ts_ns(&ts)) + 1 : 0;
	mp->mp_time.sleep_rem = 0;
	mp->mp_time.sleep_answer = expired;
	mp->mp_cancel = cancel;
	rearm();
	return LX_NO_REPLY;
}

void
time_unhold(struct mproc *mp)
{
	if (mp->mp_time.sleep_until) {
		mp->mp_time.sleep_until = 0;
		rearm();
	}
}

int64_t
lx_nanosleep(struct mproc *mp, const uint64_t *arg)
{
	struct lx_timespec ts;
	int64_t r;

	if ((r = pm_copy_from_user(mp, arg[0], &ts, sizeof(ts))) < 0)
		return r;
	if (!ts_valid(&ts))
		return -EINVAL;
	/* +1: the tick under way has partly passed; the sleep is never shorter than asked. */
	return sleep_until(mp, time_now_ticks() + ns_to_ticks(ts_ns(&ts)) + 1, arg[1]);
}

/* clock_nanosleep(clock, flags, req, rem): errors are returned, as Linux's raw call does. */
int64_t
lx_clock_nanosleep(struct mproc *mp, const uint64_t *arg)
{
	struct lx_timespec ts;
	uint64_t now_ns, target;
	int64_t r;

	if (arg[0] != CLOCK_REALTIME && arg[0] != CLOCK_MONOTONIC && arg[0] != CLOCK_BOOTTIME)
		return arg[0] == CLOCK_PROCESS_CPUTIME_ID ? -ENOTSUP : -EINVAL;
	if ((r = pm_copy_from_user(mp, arg[2], &ts, sizeof(ts))) < 0)
		return r;
	if (!ts_valid(&ts))
		return -EINVAL;
	if (!(arg[1] & TIMER_ABSTIME))
		return sleep_until(mp, time_now_ticks() + ns_to_ticks(ts_ns(&ts)) + 1, arg[3]);
	clock_value(mp, arg[0], &now_ns);
	if (ts_ns(&ts) <= now_ns)
		return 0;
	target = time_now_ticks() + ns_to_ticks(ts_ns(&ts) - now_ns);
	return sleep_until(mp, target, 0);
}

/* Ticks of an interval (a timeval); -1 for a bad one. */
static int64_t
tv_ticks(const struct lx_timeval *tv)
{
	if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000 ||
	    (uint64_t)tv->tv_sec > (1ull << 31))
		return -1;
	return (int64_t)ns_to_ticks((uint64_t)tv->tv_sec * NSEC + (uint64_t)tv->tv_usec * 1000);
}

static struct lx_timeval
ticks_tv(uint64_t t)
{
	uint64_t ns = ticks_to_ns(t);

	return (struct lx_timeval){ (int64_t)(ns / NSEC), (int64_t)(ns % NSEC / 1000) };
}

static struct lx_itimerval
itimer_now(const struct mproc *mp)
{
	uint64_t now = time_now_ticks();
	struct lx_itimerval v;

	memset(&v, 0, sizeof(v));
	v.it_interval = ticks_tv(mp->mp_time.alarm_interval);
	if (mp->mp_time.alarm_at)
		v.it_value = ticks_tv(mp->mp_time.alarm_at > now ? mp->mp_time.alarm_at - now : 1);
	return v;
}

int64_t
lx_getitimer(struct mproc *mp, const uint64_t *arg)
{
	struct lx_itimerval v;

	if (arg[0] != ITIMER_REAL)
		return -EINVAL;
	v = itimer_now(mp);
	return pm_copy_to_user(mp, arg[1], &v, sizeof(v));
}

int64_t
lx_setitimer(struct mproc *mp, const uint64_t *arg)
{
	struct lx_itimerval v, old;
	int64_t value, interval, r;

	if (arg[0] != ITIMER_REAL)
		return -EINVAL;
	memset(&v, 0, sizeof(v)); /* no new value: disarm, as Linux */
	if (arg[1] && (r = pm_copy_from_user(mp, arg[1], &v, sizeof(v))) < 0)
		return r;
	if ((value = tv_ticks(&v.it_value)) < 0 || (interval = tv_ticks(&v.it_interval)) < 0)
		return -EINVAL;
	old = itimer_now(mp);
	if (arg[2] && (r = pm_copy_to_user(mp, arg[2], &old, sizeof(old))) < 0)
		return r;
	mp->mp_time.alarm_at = value ? time_now_ticks() + (uint64_t)value : 0;
	mp->mp_time.alarm_interval = value ? (uint64_t)interval : 0;
	rearm();
	return 0;
}

/* alarm(seconds): the seconds left on the previous alarm (rounded as Linux: at least 1). */
int64_t
lx_alarm(struct mproc *mp, const uint64_t *arg)
{
	uint64_t now = time_now_ticks(), left = 0;
	uint32_t secs = (uint32_t)arg[0];

	if (mp->mp_time.alarm_at) {
		uint64_t ns =
			ticks_to_ns(mp->mp_time.alarm_at > now ? mp->mp_time.alarm_at - now : 0);

		left = (ns + NSEC / 2) / NSEC;
		if (!left)
			left = 1;
	}
	mp->mp_time.alarm_at = secs ? now + (uint64_t)secs * hz : 0;
	mp->mp_time.alarm_interval = 0;
	rearm();
	return (int64_t)left;
}

/* CLOCK's notification: sleeps that ended are answered, alarms raise SIGALRM. */
void
time_alarm(void)
{
	uint64_t now = time_now_ticks();

	for (int i = 0; i < NR_MPROCS; i++) {
		struct mproc *mp = &mproc[i];
		struct mp_time *t = &mp->mp_time;

		if (!(mp->mp_flags & MP_IN_USE) || (mp->mp_flags & (MP_ZOMBIE | MP_NATIVE)))
			continue;
		if (t->sleep_until && now >= t->sleep_until) {
			t->sleep_until = 0;
			t->sleep_rem = 0;
			pm_lx_reply(mp, t->sleep_answer);
		}
		if (t->alarm_at && now >= t->alarm_at) {
			if (t->alarm_interval)
				while (t->alarm_at <= now)
					t->alarm_at += t->alarm_interval;
			else
				t->alarm_at = 0;
			sig_send(mp, SIGALRM, LX_SI_KERNEL, 0);
		}
	}
	rearm();
}

/* A fork's child: no alarm, no sleep, no children's time; the parent's limits. */
void
time_fork(struct mproc *child)
{
	child->mp_time.alarm_at = child->mp_time.alarm_interval = 0;
	child->mp_time.sleep_until = child->mp_time.sleep_rem = 0;
	child->mp_time.child_utime = 0;
}

/* Before mp's slot goes: its timers stop, its CPU time is its parent's children's time. */
void
time_exit(struct mproc *mp)
{
	struct mproc *parent = pm_find_pid(mp->mp_ppid);

	if (parent)
		parent->mp_time.child_utime += cpu_ticks(mp) + mp->mp_time.child_utime;
	if (mp->mp_time.alarm_at || mp->mp_time.sleep_until) {
		mp->mp_time.alarm_at = mp->mp_time.sleep_until = 0;
		rearm();
	}
}

/* times(buf): CPU times in clock ticks (Linux's USER_HZ is 100, as our HZ); the uptime. */
int64_t
lx_times(struct mproc *mp, const uint64_t *arg)
{
	struct lx_tms t = { 0, 0, 0, 0 };
	uint64_t scale = hz ? 100 : 1;
	int64_t r;

	t.utime = (int64_t)(cpu_ticks(mp) * scale / hz);
	t.cutime = (int64_t)(mp->mp_time.child_utime * scale / hz);
	if (arg[0] && (r = pm_copy_to_user(mp, arg[0], &t, sizeof(t))) < 0)
		return r;
	return (int64_t)(time_now_ticks() * scale / hz);
}

int64_t
lx_getrusage(struct mproc *mp, const uint64_t *arg)
{
	struct lx_rusage ru;
	struct lx_timeval tv;

	memset(&ru, 0, sizeof(ru));
	switch ((int64_t)arg[0]) {
	case RUSAGE_SELF:
	case RUSAGE_THREAD:
		tv = ticks_tv(cpu_ticks(mp));
		break;
	case RUSAGE_CHILDREN:
		tv = ticks_tv(mp->mp_time.child_utime);
		break;
	default:
		return -EINVAL;
	}
	ru.ru_utime[0] = tv.tv_sec;
	ru.ru_utime[1] = tv.tv_usec;
	return pm_copy_to_user(mp, arg[1], &ru, sizeof(ru));
}

/* Every process is ready to run again as soon as PM answers: nothing to do. */
int64_t
lx_sched_yield(struct mproc *mp, const uint64_t *arg)
{
	(void)mp;
	(void)arg;
	return 0;
}

static struct lx_rlimit
rlimit_of(const struct mproc *mp, int r)
{
	if (mp->mp_time.rlim_set & (1u << r))
		return (struct lx_rlimit){ mp->mp_time.rlim[r].cur, mp->mp_time.rlim[r].max };
	return rlim_default[r];
}

uint64_t
time_rlimit(const struct mproc *mp, int r)
{
	return rlimit_of(mp, r).cur;
}

/*
 * prlimit64(pid, resource, new, old): every process is root's until ids
 * exist, so any may raise a hard limit; the soft one stays under it.
 */
int64_t
lx_prlimit64(struct mproc *mp, const uint64_t *arg)
{
	struct mproc *t = arg[0] ? pm_find_pid((int32_t)arg[0]) : mp;
	struct lx_rlimit nl, old;
	int64_t r;

	if (arg[1] >= NR_RLIMITS)
		return -EINVAL;
	if (!t || (t->mp_flags & (MP_NATIVE | MP_ZOMBIE)))
		return -ESRCH;
	if (arg[2]) {
		if ((r = pm_copy_from_user(mp, arg[2], &nl, sizeof(nl))) < 0)
			return r;
		if (nl.cur > nl.max)
			return -EINVAL;
	}
	old = rlimit_of(t, (int)arg[1]);
	if (arg[3] && (r = pm_copy_to_user(mp, arg[3], &old, sizeof(old))) < 0)
		return r;
	if (arg[2]) {
		t->mp_time.rlim[arg[1]].cur = nl.cur;
		t->mp_time.rlim[arg[1]].max = nl.max;
		t->mp_time.rlim_set |= 1u << arg[1];
	}
	return 0;
}

int64_t
lx_getrlimit(struct mproc *mp, const uint64_t *arg)
{
	const uint64_t a[4] = { 0, arg[0], 0, arg[1] };

	return arg[1] ? lx_prlimit64(mp, a) : -EFAULT;
}

int64_t
lx_setrlimit(struct mproc *mp, const uint64_t *arg)
{
	const uint64_t a[4] = { 0, arg[0], arg[1], 0 };

	return arg[1] ? lx_prlimit64(mp, a) : -EFAULT;
}
