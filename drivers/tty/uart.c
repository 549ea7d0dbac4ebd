/*
 * The 16550 UART (see uart.h).  Registers are at the base port plus:
 * 0 receive/transmit (divisor low with DLAB), 1 interrupt enable (divisor
 * high with DLAB), 2 interrupt identification (read) / FIFO control
 * (write), 3 line control, 4 modem control, 5 line status, 6 modem status,
 * 7 scratch.
 */
#include "uart.h"
#include <libsys.h>

#define REG_DATA 0
#define REG_IER  1
#define REG_IIR  2
#define REG_FCR  2
#define REG_LCR  3
#define REG_MCR  4
#define REG_LSR  5
#define REG_MSR  6
#define REG_SCR  7
#define REG_DLL  0
#define REG_DLM  1

#define IIR_NONE    0x01 /* no interrupt pending */
#define IIR_CAUSE   0x0e
#define IIR_MSI     0x00
#define IIR_THRI    0x02
#define IIR_RDI     0x04
#define IIR_RLSI    0x06
#define IIR_TIMEOUT 0x0c /* data waited in the FIFO below the trigger level */
#define IIR_FIFOS   0xc0

#define FCR_ENABLE 0x01 /* without the clear bits, and trigger level 1 */
#define LCR_DLAB   0x80
#define MCR_DTR    0x01
#define MCR_RTS    0x02
#define MCR_OUT2   0x08 /* routes the interrupt to the PIC on a PC */

#define UART_CLOCK     115200 /* the divisor's base */
#define FIFO_SIZE      16
#define SERVICE_ROUNDS 256 /* a stuck chip must not hold the driver for ever */

static int
rd(struct uart *u, int reg, uint8_t *v)
{
	return sys_inb(u->u_port + (uint32_t)reg, v);
}

static int
wr(struct uart *u, int reg, uint8_t v)
{
	return sys_outb(u->u_port + (uint32_t)reg, v);
}

/* A 16550 keeps what is written to its scratch register; a bare bus does not. */
static int
probe(struct uart *u)
{
	uint8_t v = 0;
	int r;

	if ((r = wr(u, REG_SCR, 0x5a)) < 0 || (r = rd(u, REG_SCR, &v)) < 0)
		return r;
	if (v != 0x5a || wr(u, REG_SCR, 0xa5) < 0 || rd(u, REG_SCR, &v) < 0 || v != 0xa5)
		return -ENODEV;
	return 0;
}

/*
 * Switching the FIFOs on clears them, so only when no byte waits.  They
 * are worth it: 16 bytes per transmit interrupt instead of one.  A chip
 * without them (an 8250) ignores the write, and IIR says so.
 */
static int
fifo_on_if_empty(struct uart *u)
{
	uint8_t lsr, iir;
	int r;

	if ((r = rd(u, REG_LSR, &lsr)) < 0 || (lsr & UART_LSR_DR))
		return r;
	if ((r = wr(u, REG_FCR, FCR_ENABLE)) < 0 || (r = rd(u, REG_IIR, &iir)) < 0)
		return r;
	u->u_fifo = (iir & IIR_FIFOS) == IIR_FIFOS;
	return 0;
}

int
uart_init(struct uart *u, uint32_t port, int irq)
{
	uint8_t iir;
	int r;

	*u = (struct uart){ .u_port = port, .u_irq = irq, .u_hook = -1 };
	if ((r = probe(u)) < 0 || (r = wr(u, REG_IER, 0)) < 0 || (r = rd(u, REG_IIR, &iir)) < 0)
		return r;
	u->u_fifo = (iir & IIR_FIFOS) == IIR_FIFOS;
	if (!u->u_fifo && (r = fifo_on_if_empty(u)) < 0)
		return r;
	/* Same enable bit, no clear bits: what waits in the FIFO stays. */
	if (u->u_fifo && (r = wr(u, REG_FCR, FCR_ENABLE)) < 0)
		return r;
	if ((r = wr(u, REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2)) < 0)
		return r;
	return sys_irqsetpolicy(irq, IRQ_REENABLE, irq, &u->u_hook);
}

static uint32_t
baud_of(uint32_t cflag)
{
	static const struct {
		uint32_t code, baud;
	} speeds[] = {
		{ B1200, 1200 },   { B2400, 2400 },   { B4800, 4800 },   { B9600, 9600 },
		{ B19200, 19200 }, { B38400, 38400 }, { B57600, 57600 }, { B115200, 115200 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(speeds); i++)
		if ((cflag & CBAUD) == speeds[i].code)
			return speeds[i].baud;
	return 0;
}

int
uart_set_line(struct uart *u, uint32_t cflag)
{
	uint32_t baud = baud_of(cflag), divisor;
	uint8_t lcr = (uint8_t)((cflag & CSIZE) >> 4); /* CS5..CS8 are 0..3, as in LCR */
	int r;

	if (baud == 0)
		return -EINVAL;
	if (cflag & CSTOPB)
		lcr |= 0x04;
	if (cflag & PARENB)
		lcr |= (cflag & PARODD) ? 0x08 : 0x18;
	divisor = UART_CLOCK / baud;
	if ((r = wr(u, REG_LCR, LCR_DLAB)) < 0 || (r = wr(u, REG_DLL, divisor & 0xff)) < 0 ||
	    (r = wr(u, REG_DLM, (divisor >> 8) & 0xff)) < 0)
		return r;
	return wr(u, REG_LCR, lcr);
}

int
uart_set_ier(struct uart *u, uint8_t ier)
{
	int r;

	if (ier == u->u_ier)
		return 0;
	if ((r = wr(u, REG_IER, ier)) == 0)
		u->u_ier = ier;
	return r;
}

/* Fill the transmitter if it is empty; the bytes sent (0: none to send). */
static int
tx_fill(struct uart *u, const struct uart_client *client)
{
	uint8_t lsr, buf[FIFO_SIZE];
	size_t n;
	int r;

	if ((r = rd(u, REG_LSR, &lsr)) < 0)
		return r;
	if (!(lsr & UART_LSR_THRE))
		return 1; /* still busy: its interrupt will come */
	n = client->tx(buf, u->u_fifo ? FIFO_SIZE : 1);
	for (size_t i = 0; i < n; i++)
		if ((r = wr(u, REG_DATA, buf[i])) < 0)
			return r;
	return (int)n;
}

int
uart_kick(struct uart *u, const struct uart_client *client)
{
	int n;

	if (u->u_ier & UART_IER_THRI)
		return 0; /* the interrupt keeps it going */
	if ((n = tx_fill(u, client)) <= 0)
		return n;
	/* Its interrupt says when there is room for more. */
	return uart_set_ier(u, u->u_ier | UART_IER_THRI);
}

static int
rx_drain(struct uart *u, const struct uart_client *client)
{
	uint8_t lsr, c;
	int r;

	for (int i = 0; i < SERVICE_ROUNDS; i++) {
		if ((r = rd(u, REG_LSR, &lsr)) < 0)
			return r;
		if (lsr & (UART_LSR_OE | UART_LSR_BI))
			client->line_status(lsr);
		if (!(lsr & UART_LSR_DR))
			return 0;
		if ((r = rd(u, REG_DATA, &c)) < 0)
			return r;
		client->rx(c, lsr & (UART_LSR_PE | UART_LSR_FE | UART_LSR_BI));
	}
	return 0;
}

int
uart_service(struct uart *u, const struct uart_client *client)
{
	uint8_t iir, msr;
	int r = 0;

	for (int i = 0; i < SERVICE_ROUNDS && r >= 0; i++) {
		if ((r = rd(u, REG_IIR, &iir)) < 0 || (iir & IIR_NONE))
			break;
		switch (iir & IIR_CAUSE) {
		case IIR_RLSI:
		case IIR_RDI:
		case IIR_TIMEOUT:
			r = rx_drain(u, client);
			break;
		case IIR_THRI:
			if ((r = tx_fill(u, client)) == 0)
				r = uart_set_ier(u, u->u_ier & ~UART_IER_THRI);
			break;
		case IIR_MSI:
			r = rd(u, REG_MSR, &msr);
			break;
		}
	}
	return r < 0 ? r : 0;
}
