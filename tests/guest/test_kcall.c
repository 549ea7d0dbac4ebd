/*
 * Kernel-call scenarios: the call mask, unknown calls, misuse of SYSTEM.
 */
#include "guest.h"

TEST(kcall, mask_denied, "a kernel call outside the caller's call mask fails with EPERM")
{
	endpoint_t r = find("restricted");
	message m;

	EXPECT_EQ(peer_call(r, PEER_PROBE, 0, 0, &m), 0);
	EXPECT_EQ((int64_t)m.m_u64.v[2], -EPERM); /* setalarm */
	EXPECT_EQ((int64_t)m.m_u64.v[3], -EPERM); /* devio */
	EXPECT_EQ((int64_t)m.m_u64.v[4], -EPERM); /* abort: the system is still up */
}

TEST(kcall, unknown, "unknown kernel-call numbers fail with ENOSYS; SYSTEM only answers SENDREC")
{
	message m;

	memset(&m, 0, sizeof(m));
	EXPECT_EQ(kernel_call(KCALL_BASE + KCALL_COUNT - 1, &m), -ENOSYS);
	EXPECT_EQ(kernel_call(KCALL_BASE + 1000, &m), -ENOSYS);
	EXPECT_EQ(kernel_call(0x123, &m), -ENOSYS);
	EXPECT_EQ(kernel_call(-1, &m), -ENOSYS);
	EXPECT_EQ(m.m_source, SYSTEM);
	m.m_type = KCALL_GETINFO;
	EXPECT_EQ(ipc_send(SYSTEM, &m), -EINVAL);
	EXPECT_EQ(ipc_notify(SYSTEM), -EINVAL);
	memset(&m, 0, sizeof(m));
	m.m_sys_getinfo.what = 77;
	EXPECT_EQ(kernel_call(KCALL_GETINFO, &m), -EINVAL);
	EXPECT_EQ(sys_times(endpoint_make(NR_SLOTS + 1, 0), NULL), -EINVAL);
	EXPECT_EQ(sys_devio(99, 0x70, &(uint32_t){ 0 }), -EINVAL);
	EXPECT_EQ(sys_devio(DIO_IN_WORD, 0x71, &(uint32_t){ 0 }), -EINVAL); /* misaligned */
	EXPECT_EQ(sys_devio(DIO_IN_BYTE, 0x3f8, &(uint32_t){ 0 }), -EPERM); /* not ours */
}
