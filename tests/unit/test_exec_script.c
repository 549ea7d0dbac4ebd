/*
 * Unit tests of lib/libexec/exec_script.c: #! lines read as Linux 6.1's
 * binfmt_script reads them (the interpreter, one optional argument with
 * its inner spaces kept, the 256-byte buffer and its cut-off rule), and
 * the interpreter's argv (interp, [arg,] path, argv[1..]).
 */
#include "host_prefix.h"

#include <ax/errno.h>
#include <stdint.h>
#include <string.h>

#include "libexec.h"
#include "guard_page.h"
#include "unit.h"

static struct exec_script s;

/* Parse the string text (without its NUL, as a file's bytes). */
static int
parse(const char *text)
{
	size_t len = ax_strlen(text);
	char *copy = guard_page_alloc(len); /* a read past len kills the test */

	ax_memcpy(copy, text, len);
	ax_memset(&s, 0x5a, sizeof s);
	return exec_script_parse(copy, len, &s);
}

TEST(exec_script_plain, "#!/bin/sh with and without a newline, blanks around the name")
{
	CHECK_EQ_INT(parse("#!/bin/sh\necho hi\n"), 1);
	CHECK_EQ_STR(s.interp, "/bin/sh");
	CHECK_EQ_INT(s.has_arg, false);
	CHECK_EQ_INT(parse("#!/bin/sh"), 1);
	CHECK_EQ_STR(s.interp, "/bin/sh");
	CHECK_EQ_INT(parse("#! \t/bin/busybox  \t\nx"), 1);
	CHECK_EQ_STR(s.interp, "/bin/busybox");
	CHECK_EQ_INT(s.has_arg, false);
}

TEST(exec_script_argument, "one optional argument: the rest of the line, inner spaces kept")
{
	CHECK_EQ_INT(parse("#!/bin/busybox sh\n"), 1);
	CHECK_EQ_STR(s.interp, "/bin/busybox");
	CHECK_EQ_INT(s.has_arg, true);
	CHECK_EQ_STR(s.arg, "sh");
	CHECK_EQ_INT(parse("#!/usr/bin/env  -S a b \t\n"), 1);
	CHECK_EQ_STR(s.interp, "/usr/bin/env");
	CHECK_EQ_STR(s.arg, "-S a b");
	CHECK_EQ_INT(parse("#!/bin/sh\t-e\r\n"), 1); /* \r is not a blank: it stays */
	CHECK_EQ_STR(s.arg, "-e\r");
}

TEST(exec_script_not_script, "files not starting with #! are not scripts (0)")
{
	CHECK_EQ_INT(parse(""), 0);
	CHECK_EQ_INT(parse("#"), 0);
	CHECK_EQ_INT(parse("# !/bin/sh\n"), 0);
	CHECK_EQ_INT(parse("\x7f"
			   "ELF"),
		     0);
}

TEST(exec_script_no_interpreter,
     "#! with nothing, or only blanks, before the newline is -ENOEXEC; a lone #! names \"\"")
{
	/* Linux reads the zeros after a short file as an empty name: its open is ENOENT. */
	CHECK_EQ_INT(parse("#!"), 1);
	CHECK_EQ_STR(s.interp, "");
	CHECK_EQ_INT(parse("#!\n/bin/sh"), -ENOEXEC);
	CHECK_EQ_INT(parse("#!   \t \n"), -ENOEXEC);
}

TEST(exec_script_long_line,
     "no newline in 256 bytes: a name that may be cut off is -ENOEXEC, a complete one is kept")
{
	static char text[400];

	ax_memset(text, 0, sizeof text);
	ax_memcpy(text, "#!/", 3);
	ax_memset(text + 3, 'a', 300);
	CHECK_EQ_INT(parse(text), -ENOEXEC);

	ax_memcpy(text, "#!/bin/sh ", 10); /* the name ends; the argument is cut off */
	CHECK_EQ_INT(parse(text), 1);
	CHECK_EQ_STR(s.interp, "/bin/sh");
	CHECK_EQ_INT(ax_strlen(s.arg), 255 - 10);

	ax_memset(text, ' ', sizeof text - 1); /* only blanks */
	ax_memcpy(text, "#!", 2);
	CHECK_EQ_INT(parse(text), -ENOEXEC);
}

TEST(exec_script_argv_rewrite,
     "the interpreter's argv: interp, [arg,] the script's path, then argv[1..]; E2BIG when full")
{
	static const char argv[] = "script\0one\0two";
	char out[64];
	size_t len;
	int argc;

	CHECK_EQ_INT(parse("#!/bin/busybox sh\n"), 1);
	CHECK_EQ_INT(exec_script_argv(&s, "/tmp/x.sh", argv, sizeof argv, 3, out, sizeof out, &len,
				      &argc),
		     0);
	CHECK_EQ_INT(argc, 5);
	CHECK_EQ_INT(len, sizeof("/bin/busybox\0sh\0/tmp/x.sh\0one\0two"));
	CHECK(ax_memcmp(out, "/bin/busybox\0sh\0/tmp/x.sh\0one\0two", len) == 0);

	CHECK_EQ_INT(parse("#!/bin/sh\n"), 1);
	CHECK_EQ_INT(exec_script_argv(&s, "/x", argv, sizeof argv, 3, out, sizeof out, &len, &argc),
		     0);
	CHECK_EQ_INT(argc, 4);
	CHECK(ax_memcmp(out, "/bin/sh\0/x\0one\0two", len) == 0);

	/* An empty argv (argc 0): nothing to drop. */
	CHECK_EQ_INT(exec_script_argv(&s, "/x", "", 0, 0, out, sizeof out, &len, &argc), 0);
	CHECK_EQ_INT(argc, 2);
	CHECK_EQ_INT(len, sizeof("/bin/sh\0/x"));

	for (size_t cap = 0; cap < sizeof("/bin/sh\0/x\0one\0two"); cap++)
		CHECK_EQ_INT(
			exec_script_argv(&s, "/x", argv, sizeof argv, 3, out, cap, &len, &argc),
			-E2BIG);
}
