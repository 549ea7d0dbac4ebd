/*
 * The hello driver's protocol (0x2300-0x23ff), provisional: hello becomes a
 * character device when the character protocol exists (issue 5).
 *
 *   HELLO_OPEN   count one more open; reply: v[0] the count
 *   HELLO_READ   v[0] grant (from the requester), v[1] its size: the
 *                greeting is copied into it; reply: m_type the length
 *   HELLO_CRASH  fault (no reply): for crash-recovery tests and demos
 *   HELLO_HANG   stop answering anything, pings included (no reply)
 */
#ifndef AX_HELLO_H
#define AX_HELLO_H

#define HELLO_BASE	0x2300

enum hello_request {
	HELLO_OPEN = HELLO_BASE,
	HELLO_READ,
	HELLO_CRASH,
	HELLO_HANG,
};

#endif
