/*
 * Time and interrupts: alarms from CLOCK, and a hardware interrupt (the CMOS
 * real-time clock's periodic interrupt, IRQ 8) reaching its driver as a
 * NOTIFY from HARDWARE.
 */
#include "guest.h"

#define RTC_INDEX     0x70
#define RTC_DATA      0x71
#define RTC_NMI_OFF   0x80
#define RTC_A         0x0a
#define RTC_B         0x0b
#define RTC_C         0x0c
#define RTC_B_PIE     0x40
#define RTC_IRQ       8
#define RTC_NOTIFY_ID 5

TEST(clock, alarm, "an alarm arrives as one NOTIFY from CLOCK, no earlier than asked")
{
	message m;
	uint64_t status, start, prev_left = 99;

	start = uptime();
	EXPECT_EQ(sys_setalarm(50, false, &prev_left), 0);
	EXPECT_EQ(prev_left, 0);
	EXPECT_EQ(sys_setalarm(5, false, &prev_left), 0); /* replaces the first */
	EXPECT(prev_left > 0 && prev_left <= 50, "prev_left %llu", (unsigned long long)prev_left);
	EXPECT_EQ(ipc_receive(CLOCK, &m, &status), 0);
	EXPECT(ipc_status_is_notify(status), "alarm is not a notification");
	EXPECT_EQ(m.m_source, CLOCK);
	EXPECT(uptime() - start >= 5, "woke after %llu ticks",
	       (unsigned long long)(uptime() - start));
	EXPECT(m.m_notify.timestamp >= start + 5, "timestamp %llu",
	       (unsigned long long)m.m_notify.timestamp);

	/* Cancelled alarms never fire: only the later one arrives. */
	EXPECT_EQ(sys_setalarm(3, false, NULL), 0);
	EXPECT_EQ(sys_setalarm(0, false, &prev_left), 0);
	EXPECT(prev_left > 0, "cancel did not report the pending alarm");
	start = uptime();
	EXPECT_EQ(sys_setalarm(start + 8, true, NULL), 0); /* absolute */
	EXPECT_EQ(ipc_receive(CLOCK, &m, &status), 0);
	EXPECT(uptime() >= start + 8, "cancelled alarm fired");
}

static int
rtc_write(uint8_t reg, uint8_t value)
{
	int r = sys_outb(RTC_INDEX, RTC_NMI_OFF | reg);

	return r < 0 ? r : sys_outb(RTC_DATA, value);
}

static int
rtc_read(uint8_t reg, uint8_t *value)
{
	int r = sys_outb(RTC_INDEX, RTC_NMI_OFF | reg);

	return r < 0 ? r : sys_inb(RTC_DATA, value);
}

TEST(irq, notify, "an interrupt reaches the process attached to its line as a NOTIFY from HARDWARE")
{
	uint8_t a, b, c;
	int hook = 0;
	message m;
	uint64_t status;

	EXPECT_EQ(sys_irqsetpolicy(RTC_IRQ, 0, RTC_NOTIFY_ID, &hook), 0);
	EXPECT(hook > 0, "hook id %d", hook);
	EXPECT_EQ(rtc_read(RTC_A, &a), 0);
	EXPECT_EQ(rtc_write(RTC_A, (a & 0xf0) | 0x06), 0); /* 1024 Hz */
	EXPECT_EQ(rtc_read(RTC_B, &b), 0);
	EXPECT_EQ(rtc_write(RTC_B, b | RTC_B_PIE), 0);
	EXPECT_EQ(rtc_read(RTC_C, &c), 0); /* clear anything old */

	EXPECT_EQ(sys_setalarm(100, false, NULL), 0); /* give up after 1 s */
	EXPECT_EQ(ipc_receive(ANY, &m, &status), 0);
	EXPECT_EQ(m.m_source, HARDWARE);
	EXPECT(ipc_status_is_notify(status), "not a notification");
	EXPECT(m.m_notify.interrupts & (1ull << RTC_NOTIFY_ID), "interrupts %#llx",
	       (unsigned long long)m.m_notify.interrupts);
	EXPECT_EQ(rtc_read(RTC_C, &c), 0); /* acknowledge */
	EXPECT(c & 0x40, "RTC says no periodic interrupt (C=%#x)", c);

	/* The line stays masked until re-enabled; then it fires again. */
	EXPECT_EQ(sys_irqctl(IRQ_ENABLE, hook), 0);
	EXPECT_EQ(ipc_receive(HARDWARE, &m, &status), 0);
	EXPECT_EQ(rtc_read(RTC_C, &c), 0);

	EXPECT_EQ(rtc_write(RTC_B, b & ~RTC_B_PIE), 0);
	EXPECT_EQ(sys_irqctl(IRQ_RMPOLICY, hook), 0);
	EXPECT_EQ(sys_irqctl(IRQ_ENABLE, hook), -EPERM);     /* hook is gone */
	EXPECT_EQ(sys_irqsetpolicy(5, 0, 1, &hook), -EPERM); /* not in our IRQ mask */
	EXPECT_EQ(sys_irqsetpolicy(RTC_IRQ, 0, 64, &hook), -EINVAL);
	sys_setalarm(0, false, NULL);
}
