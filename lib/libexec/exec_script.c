/*
 * `#!` scripts (libexec.h), read as Linux 6.1's binfmt_script reads them:
 * the first EXEC_SCRIPT_BUF bytes of the file (zeros past its end); the
 * line ends at the first newline, or -- if the buffer holds none -- at
 * the buffer's end, but only if the interpreter's name ends before it
 * (else the name may be cut off: -ENOEXEC).  Spaces and tabs around the
 * name are skipped; whatever follows the name on the line, trailing blanks
 * trimmed, is the one optional argument (spaces inside it stay: Linux does
 * not split it).  The interpreter gets interp, [arg,] the script's path,
 * and the caller's argv[1..].
 */
#include "libexec.h"
#include <ax/errno.h>
#include <string.h>

static bool
spacetab(char c)
{
	return c == ' ' || c == '\t';
}

static bool
terminator(char c)
{
	return c == ' ' || c == '\t' || c == '\0';
}

/* The first character in [p, end) that is not a space or tab, or NULL. */
static const char *
next_non_spacetab(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!spacetab(*p))
			return p;
	return NULL;
}

/* The first space, tab or NUL in [p, end), or NULL. */
static const char *
next_terminator(const char *p, const char *end)
{
	for (; p < end; p++)
		if (terminator(*p))
			return p;
	return NULL;
}

/* Copy [from, to) into out as a string (out holds EXEC_SCRIPT_BUF bytes). */
static void
copy_span(char *out, const char *from, const char *to)
{
	size_t n = (size_t)(to - from);

	memcpy(out, from, n);
	out[n] = '\0';
}

int
exec_script_parse(const void *file, size_t len, struct exec_script *out)
{
	char buf[EXEC_SCRIPT_BUF];
	const char *buf_end = buf + sizeof(buf) - 1, *end, *name, *sep, *arg = NULL;

	if (len > sizeof(buf))
		len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, file, len);
	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	end = memchr(buf, '\n', sizeof(buf));
	if (!end) {
		if (!(end = next_non_spacetab(buf + 2, buf_end)))
			return -ENOEXEC; /* only blanks */
		if (!next_terminator(end, buf_end))
			return -ENOEXEC; /* the name may be cut off */
		end = buf_end;
	}
	while (end > buf + 2 && spacetab(end[-1]))
		end--;
	name = next_non_spacetab(buf + 2, end);
	if (!name || name == end)
		return -ENOEXEC; /* no interpreter */
	sep = next_terminator(name, end);
	if (sep && *sep != '\0')
		arg = next_non_spacetab(sep, end);
	/*
	 * The name ends at its terminator, the argument at the line's end; a
	 * NUL inside either ends it early, as in Linux's buffer.
	 */
	copy_span(out->interp, name, sep && sep < end ? sep : end);
	out->has_arg = arg != NULL;
	if (arg)
		copy_span(out->arg, arg, end);
	else
		out->arg[0] = '\0';
	return 1;
}

int
exec_script_argv(const struct exec_script *s, const char *path, const char *argv, size_t argv_len,
		 int argc, char *out, size_t cap, size_t *out_len, int *out_argc)
{
	const char *words[3] = { s->interp, s->has_arg ? s->arg : NULL, path };
	size_t n = 0, first = argc > 0 ? strlen(argv) + 1 : 0;
	int count = 0;

	for (int i = 0; i < 3; i++) {
		size_t len;

		if (!words[i])
			continue;
		len = strlen(words[i]) + 1;
		if (len > cap - n)
			return -E2BIG;
		memcpy(out + n, words[i], len);
		n += len;
		count++;
	}
	if (argv_len - first > cap - n)
		return -E2BIG;
	memcpy(out + n, argv + first, argv_len - first);
	*out_len = n + argv_len - first;
	*out_argc = count + (argc > 0 ? argc - 1 : 0);
	return 0;
}
