/*
 * The command protocol between the authority tests (test_authority.c) and
 * the hostile service (hostile.c).  The test spawns a hostile process with
 * exactly the privileges one attack needs, then sends it one command with
 * SENDREC; the hostile tries the attack and reports what the kernel said in
 * m_u64.v[] (its reply passes as the reply to that SENDREC even when its
 * IPC mask is empty).  Commands marked "no reply" end the process, or
 * should.
 */
#ifndef HOSTILE_PROTO_H
#define HOSTILE_PROTO_H

#define HOSTILE_BASE 0x2400

enum hostile_cmd {
	HOSTILE_LEAK = HOSTILE_BASE, /* NOTIFY the requester and queue a NOREPLY SENDA entry
					   to it; reply: v0 notify result, v1 senda result,
					   v2 entry flags, v3 entry result */
	HOSTILE_KILL_SELF,           /* sys_kill(self) (no reply) */
	HOSTILE_IRQ_HOOKS,           /* v0 irq: attach to it with every notify id; reply:
					   v0 attachments that succeeded, v1 distinct hook ids,
					   v2 the first error (0: none) */
	HOSTILE_SENDA_PENDING,       /* v0 dst: queue a NOREPLY SENDA entry to dst (tag
					   HOSTILE_LEAK_TAG); reply: v0 senda result */
	HOSTILE_PLANT,               /* v0 dst: write a valid entry to dst into the SENDA
					   table's memory (tag HOSTILE_PLANT_TAG) without
					   registering it; reply */
	HOSTILE_HUGE_COPY,           /* v0 n, v1 size: grant itself `size` bytes of heap and
					   vsafecopy it n times over itself; reply: v0 result */
	HOSTILE_FORGE,               /* print forged verdicts, a forged kernel line, control
					   bytes and a half line; reply: v0 the print's result */
	HOSTILE_BRK_UNDER,           /* grow the heap a page, put a brk request that shrinks it
					   again inside that page, then grow it again; reply:
					   v0 the shrinking call's result, v1 the break after it,
					   v2 the page's first word after growing again */
};

#define HOSTILE_LEAK_TAG  0x1eaced /* m_type of the leaked messages */
#define HOSTILE_PLANT_TAG 0x91a47  /* m_type of the planted entry */

#endif
