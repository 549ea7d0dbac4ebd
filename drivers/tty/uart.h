/*
 * The 16550 UART of a PC serial port (COM1 at 0x3f8, IRQ 4; COM2 at 0x2f8,
 * IRQ 3), through the DEVIO and IRQCTL kernel calls.
 *
 * uart_init finds the chip, switches its FIFOs on unless a received byte
 * waits (switching them clears them, and with them that input; the next
 * start will try again), raises DTR, RTS and OUT2 and attaches to the
 * interrupt line.  The
 * interrupt sources are then switched on and off with uart_set_ier:
 * receive (and line status) while the terminal's receiver is on, transmit
 * while there is output.  uart_service answers an interrupt: it runs
 * until the chip has nothing pending (the ISA line is edge-triggered: a
 * cause left pending would never interrupt again), handing each received
 * byte to `rx` and filling the transmitter from `tx`.
 */
#ifndef TTY_UART_H
#define TTY_UART_H

#include <ax/types.h>
#include <ax/termios.h>

#define UART_IER_RDI  0x01 /* received data available */
#define UART_IER_THRI 0x02 /* transmitter empty */
#define UART_IER_RLSI 0x04 /* receiver line status: errors, break */

#define UART_LSR_DR   0x01
#define UART_LSR_OE   0x02 /* overrun */
#define UART_LSR_PE   0x04 /* parity error */
#define UART_LSR_FE   0x08 /* framing error */
#define UART_LSR_BI   0x10 /* break */
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

struct uart {
	uint32_t u_port; /* base I/O port */
	int u_irq;
	int u_hook;    /* the kernel's id of our interrupt hook */
	bool u_fifo;   /* FIFOs on: 16 bytes per transmit interrupt */
	uint8_t u_ier; /* what the interrupt enable register holds */
};

struct uart_client {
	void (*rx)(uint8_t c, uint8_t lsr);     /* lsr: the errors seen with it */
	size_t (*tx)(uint8_t *buf, size_t max); /* bytes to send, 0: none */
	void (*line_status)(uint8_t lsr);       /* overrun, break, ... */
};

int uart_init(struct uart *u, uint32_t port, int irq);
/* Speed, character size, stop bits and parity from c_cflag. */
int uart_set_line(struct uart *u, uint32_t cflag);
int uart_set_ier(struct uart *u, uint8_t ier);
int uart_service(struct uart *u, const struct uart_client *client);
/* Send what `client->tx` has now, if the transmitter is empty. */
int uart_kick(struct uart *u, const struct uart_client *client);

#endif
