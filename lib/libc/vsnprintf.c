/*
 * The one formatter of the kernel and the system processes: vsnprintf and
 * snprintf into a buffer, and vformat into a sink, which printf (printf.c)
 * uses with the environment's console.
 *
 * C99 semantics without floating point: the flags "-0# +", a width and a
 * precision (either may be "*"), the length modifiers hh h l ll z t j and
 * the conversions d i u x X o p s c %.  %p prints "0x" and the address in
 * hex (also for NULL), %s of NULL prints "(null)".  %n is not supported;
 * an unknown conversion is copied to the output as it was written.
 *
 * Output goes through struct out, which counts every character.  Without
 * a sink it stores only what fits, so the result is always terminated
 * (when size > 0) and the return value is the length the whole output
 * would have had; with a sink it hands the buffer to the sink each time it
 * is full and once at the end, so nothing is cut.
 *
 * One conversion is read in two steps: parse_spec() fills a struct spec
 * from the flags, width, precision and length, then conv_table[] picks the
 * function that fetches the argument and prints it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define F_LEFT  0x01 /* '-': pad on the right */
#define F_ZERO  0x02 /* '0': pad numbers with zeros */
#define F_ALT   0x04 /* '#': 0x prefix, leading octal 0 */
#define F_SPACE 0x08 /* ' ': space before a positive number */
#define F_PLUS  0x10 /* '+': sign before a positive number */

#define NO_PREC   (-1)
#define MAX_FIELD (1 << 20) /* widths and precisions are capped here */

enum length {
	LEN_INT,
	LEN_CHAR,
	LEN_SHORT,
	LEN_LONG,
	LEN_LLONG,
	LEN_SIZE,
	LEN_PTRDIFF,
	LEN_INTMAX
};

struct out {
	char *o_buf;
	size_t o_size;
	size_t o_len;        /* characters produced so far, stored or not */
	size_t o_fill;       /* characters in o_buf */
	format_sink *o_sink; /* NULL: keep what fits, drop the rest */
	void *o_ctx;         /* the sink's first argument */
};

struct spec {
	unsigned s_flags;
	int s_width;
	int s_prec; /* NO_PREC when none was given */
	enum length s_len;
	char s_conv;
};

/* A sink's buffer is emptied when full; a string's keeps room for the '\0'. */
static void
out_char(struct out *o, char c)
{
	if (o->o_sink != NULL && o->o_fill == o->o_size) {
		o->o_sink(o->o_ctx, o->o_buf, o->o_fill);
		o->o_fill = 0;
	}
	if (o->o_fill + (o->o_sink == NULL) < o->o_size)
		o->o_buf[o->o_fill++] = c;
	o->o_len++;
}

static void
out_repeat(struct out *o, char c, int n)
{
	for (int i = 0; i < n; i++)
		out_char(o, c);
}

static void
out_text(struct out *o, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out_char(o, s[i]);
}

/* ---- parsing one conversion ------------------------------------------- */

static unsigned
flag_bit(char c)
{
	switch (c) {
	case '-':
		return F_LEFT;
	case '0':
		return F_ZERO;
	case '#':
		return F_ALT;
	case ' ':
		return F_SPACE;
	case '+':
		return F_PLUS;
	default:
		return 0;
	}
}

/* A decimal number at *fmt, capped at MAX_FIELD; advances *fmt past it. */
static int
parse_number(const char **fmt)
{
	int n = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		if (n < MAX_FIELD)
			n = n * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return n < MAX_FIELD ? n : MAX_FIELD;
}

/* A negative "*" width means the '-' flag and its absolute value. */
static void
parse_width(const char **fmt, struct spec *sp, va_list *ap)
{
	if (**fmt != '*') {
		sp->s_width = parse_number(fmt);
		return;
	}
	(*fmt)++;
	int w = va_arg(*ap, int);
	if (w < 0) {
		sp->s_flags |= F_LEFT;
		w = w < -MAX_FIELD ? MAX_FIELD : -w;
	}
	sp->s_width = w < MAX_FIELD ? w : MAX_FIELD;
}

/* A negative "*" precision counts as none. */
static void
parse_precision(const char **fmt, struct spec *sp, va_list *ap)
{
	sp->s_prec = NO_PREC;
	if (**fmt != '.')
		return;
	(*fmt)++;
	if (**fmt != '*') {
		sp->s_prec = parse_number(fmt);
		return;
	}
	(*fmt)++;
	int p = va_arg(*ap, int);
	if (p >= 0)
		sp->s_prec = p < MAX_FIELD ? p : MAX_FIELD;
}

static void
parse_length(const char **fmt, struct spec *sp)
{
	const char *f = *fmt;

	sp->s_len = LEN_INT;
	switch (*f) {
	case 'h':
		sp->s_len = f[1] == 'h' ? LEN_CHAR : LEN_SHORT;
		break;
	case 'l':
		sp->s_len = f[1] == 'l' ? LEN_LLONG : LEN_LONG;
		break;
	case 'z':
		sp->s_len = LEN_SIZE;
		break;
	case 't':
		sp->s_len = LEN_PTRDIFF;
		break;
	case 'j':
		sp->s_len = LEN_INTMAX;
		break;
	default:
		return;
	}
	f += (sp->s_len == LEN_CHAR || sp->s_len == LEN_LLONG) ? 2 : 1;
	*fmt = f;
}

/* Reads what follows a '%' up to the conversion character; *fmt ends on it. */
static void
parse_spec(const char **fmt, struct spec *sp, va_list *ap)
{
	unsigned bit;

	sp->s_flags = 0;
	while ((bit = flag_bit(**fmt)) != 0) {
		sp->s_flags |= bit;
		(*fmt)++;
	}
	parse_width(fmt, sp, ap);
	parse_precision(fmt, sp, ap);
	parse_length(fmt, sp);
	sp->s_conv = **fmt;
}

/* ---- fetching integer arguments --------------------------------------- */

static intmax_t
fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return (intmax_t)va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uintmax_t
fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	case LEN_PTRDIFF:
		return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case LEN_INTMAX:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* ---- printing a number ------------------------------------------------ */

/*
 * Digits of v in the given base, least significant first, into buf (room
 * for 64 bits in octal).  Returns how many; 0 for the value 0, since
 * whether 0 prints a digit depends on the precision.
 */
static int
to_digits(uintmax_t v, unsigned base, bool upper, char *buf)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	while (v != 0) {
		buf[n++] = digits[v % base];
		v /= base;
	}
	return n;
}

/*
 * Prints prefix, then the ndigits digits in rdigits (reversed) widened by
 * zeros to min_digits, all padded to the width.  Zero padding ('0' without
 * a precision) goes between the prefix and the digits, space padding
 * outside both.
 */
static void
print_number(struct out *o, const struct spec *sp, const char *prefix, const char *rdigits,
	     int ndigits, int min_digits)
{
	int plen = (int)strlen(prefix);
	int zeros = min_digits > ndigits ? min_digits - ndigits : 0;
	int pad = sp->s_width - plen - zeros - ndigits;

	if (pad < 0)
		pad = 0;
	if ((sp->s_flags & F_ZERO) && !(sp->s_flags & F_LEFT) && sp->s_prec == NO_PREC) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->s_flags & F_LEFT))
		out_repeat(o, ' ', pad);
	out_text(o, prefix, (size_t)plen);
	out_repeat(o, '0', zeros);
	while (ndigits > 0)
		out_char(o, rdigits[--ndigits]);
	if (sp->s_flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

/*
 * The precision default is 1 (so 0 prints "0"); "%.0d" of 0 prints
 * nothing.  For '#' with 'o', the precision grows just enough to make the
 * first digit a zero.
 */
static void
print_unsigned(struct out *o, const struct spec *sp, uintmax_t v, unsigned base, const char *prefix)
{
	char digits[24];
	int n = to_digits(v, base, sp->s_conv == 'X', digits);
	int min_digits = sp->s_prec == NO_PREC ? 1 : sp->s_prec;

	if (base == 8 && (sp->s_flags & F_ALT) && min_digits <= n)
		min_digits = n + 1;
	print_number(o, sp, prefix, digits, n, min_digits);
}

static void
conv_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	intmax_t v = fetch_signed(sp->s_len, ap);
	uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
	const char *sign = "";

	if (v < 0)
		sign = "-";
	else if (sp->s_flags & F_PLUS)
		sign = "+";
	else if (sp->s_flags & F_SPACE)
		sign = " ";
	print_unsigned(o, sp, mag, 10, sign);
}

static void
conv_unsigned(struct out *o, const struct spec *sp, va_list *ap)
{
	print_unsigned(o, sp, fetch_unsigned(sp->s_len, ap), 10, "");
}

static void
conv_octal(struct out *o, const struct spec *sp, va_list *ap)
{
	print_unsigned(o, sp, fetch_unsigned(sp->s_len, ap), 8, "");
}

/* '#' adds 0x or 0X, but not to a zero. */
static void
conv_hex(struct out *o, const struct spec *sp, va_list *ap)
{
	uintmax_t v = fetch_unsigned(sp->s_len, ap);
	const char *prefix = "";

	if ((sp->s_flags & F_ALT) && v != 0)
		prefix = sp->s_conv == 'X' ? "0X" : "0x";
	print_unsigned(o, sp, v, 16, prefix);
}

static void
conv_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);

	print_unsigned(o, sp, v, 16, "0x");
}

/* ---- characters and strings ------------------------------------------- */

static void
print_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	int pad = sp->s_width > (int)n ? sp->s_width - (int)n : 0;

	if (!(sp->s_flags & F_LEFT))
		out_repeat(o, ' ', pad);
	out_text(o, s, n);
	if (sp->s_flags & F_LEFT)
		out_repeat(o, ' ', pad);
}

static void
conv_char(struct out *o, const struct spec *sp, va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	print_padded(o, sp, &c, 1);
}

/* The precision limits how many characters are read from the string. */
static void
conv_string(struct out *o, const struct spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);

	if (s == NULL)
		s = "(null)";
	size_t max = sp->s_prec == NO_PREC ? SIZE_MAX : (size_t)sp->s_prec;
	print_padded(o, sp, s, strnlen(s, max));
}

static void
conv_percent(struct out *o, const struct spec *sp, va_list *ap)
{
	(void)sp;
	(void)ap;
	out_char(o, '%');
}

typedef void conv_fn(struct out *o, const struct spec *sp, va_list *ap);

/* clang-format off */
static conv_fn *const conv_table[128] = {
	['d'] = conv_signed,
	['i'] = conv_signed,
	['u'] = conv_unsigned,
	['o'] = conv_octal,
	['x'] = conv_hex,
	['X'] = conv_hex,
	['p'] = conv_pointer,
	['c'] = conv_char,
	['s'] = conv_string,
	['%'] = conv_percent,
};
/* clang-format on */

/* ---- the format loop -------------------------------------------------- */

/*
 * One conversion, fmt pointing at its '%'.  Returns where the format
 * continues.  An unknown or unfinished conversion is copied out verbatim.
 */
static const char *
format_one(struct out *o, const char *fmt, va_list *ap)
{
	const char *start = fmt;
	struct spec sp;

	fmt++;
	parse_spec(&fmt, &sp, ap);
	unsigned char c = (unsigned char)sp.s_conv;
	conv_fn *fn = c < 128 ? conv_table[c] : NULL;
	if (fn == NULL) {
		if (*fmt != '\0')
			fmt++;
		out_text(o, start, (size_t)(fmt - start));
		return fmt;
	}
	fn(o, &sp, ap);
	return fmt + 1;
}

static void
format_all(struct out *o, const char *fmt, va_list ap)
{
	va_list args;

	va_copy(args, ap);
	while (*fmt != '\0') {
		if (*fmt == '%')
			fmt = format_one(o, fmt, &args);
		else
			out_char(o, *fmt++);
	}
	va_end(args);
}

int
vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .o_buf = buf, .o_size = size };

	format_all(&o, fmt, ap);
	if (size > 0)
		buf[o.o_fill] = '\0';
	return (int)o.o_len;
}

/*
 * The output in pieces of at most FORMAT_CHUNK characters, each given to
 * sink(ctx, ...) once: output that fits one piece reaches the sink whole.
 */
int
vformat(format_sink *sink, void *ctx, const char *fmt, va_list ap)
{
	char buf[FORMAT_CHUNK];
	struct out o = { .o_buf = buf, .o_size = sizeof(buf), .o_sink = sink, .o_ctx = ctx };

	format_all(&o, fmt, ap);
	if (o.o_fill > 0)
		sink(ctx, buf, o.o_fill);
	return (int)o.o_len;
}

int
snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
