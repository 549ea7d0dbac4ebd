/*
 * Character classes for the kernel and the system processes: the "C"
 * locale only, ASCII only.  Static inline, so nothing to link.  Like the
 * standard ones they take an int holding an unsigned char value (or EOF);
 * anything outside ASCII belongs to no class.
 */
#ifndef AX_LIBC_CTYPE_H
#define AX_LIBC_CTYPE_H

static inline int
isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int
islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline int
isalpha(int c)
{
	return isupper(c) || islower(c);
}

static inline int
isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

static inline int
isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Space, and \t \n \v \f \r. */
static inline int
isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int
isprint(int c)
{
	return c >= ' ' && c <= '~';
}

static inline int
toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}

static inline int
tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

#endif
