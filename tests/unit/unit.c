/*
 * The runner for the unit tests of one binary (see unit.h).
 *
 *	test_foo            run every test
 *	test_foo NAME...    run only the named tests
 *	test_foo -l         list the tests and what each shows
 *
 * Each test runs in a forked child with a 10-second alarm.  The child's
 * stdout is pointed at stderr, and a failing CHECK writes its reason down a
 * pipe and exits, so only this process writes to stdout: exactly one line
 * per test, "PASS unit.<name>" or "FAIL unit.<name>: <reason>", and
 * nothing else (the harness counts these lines).  The exit status is 0 if
 * every test passed, 1 otherwise.
 *
 * Unlike the test files, this one is built against the host's C library.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#define TIME_LIMIT 10 /* seconds per test */
#define REASON_MAX 1024

/* Bounds of the "unit_tests" section, provided by the linker. */
extern const struct unit_test *const __start_unit_tests[];
extern const struct unit_test *const __stop_unit_tests[];

static int reason_fd = -1; /* in a child: where unit_fail() writes */

void
unit_fail(const char *file, int line, const char *fmt, ...)
{
	char reason[REASON_MAX];
	va_list ap;

	int n = snprintf(reason, sizeof reason, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(reason + n, sizeof reason - (size_t)n, fmt, ap);
	va_end(ap);
	if (write(reason_fd, reason, strlen(reason)) < 0)
		perror("unit: write");
	_exit(1);
}

void
unit_pass(void)
{
	_exit(0);
}

void
unit_check_int(const char *file, int line, const char *expr, long long got, long long want)
{
	if (got != want)
		unit_fail(file, line, "%s is %lld (%#llx), expected %lld (%#llx)", expr, got,
			  (unsigned long long)got, want, (unsigned long long)want);
}

/* Writes s as a C string literal into out[size], truncating if needed. */
static void
quote(char *out, size_t size, const char *s)
{
	size_t n = 0;

	if (s == NULL) {
		snprintf(out, size, "NULL");
		return;
	}
	n += (size_t)snprintf(out + n, size - n, "\"");
	for (; *s != '\0' && n + 8 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\%c", c);
		else if (c >= ' ' && c <= '~')
			n += (size_t)snprintf(out + n, size - n, "%c", c);
		else
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", c);
	}
	snprintf(out + n, size - n, *s == '\0' ? "\"" : "...");
}

void
unit_check_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
	char g[REASON_MAX / 3], w[REASON_MAX / 3];

	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		return;
	if (got == NULL && want == NULL)
		return;
	quote(g, sizeof g, got);
	quote(w, sizeof w, want);
	unit_fail(file, line, "%s is %s, expected %s", expr, g, w);
}

static void
run_child(const struct unit_test *t, int fd)
{
	reason_fd = fd;
	dup2(STDERR_FILENO, STDOUT_FILENO);
	alarm(TIME_LIMIT);
	t->t_fn();
	_exit(0);
}

/* Reads the child's reason until it closes the pipe; one line only. */
static void
read_reason(int fd, char *reason, size_t size)
{
	size_t n = 0;
	ssize_t r;
	char drain[256];

	while (n + 1 < size && (r = read(fd, reason + n, size - 1 - n)) > 0)
		n += (size_t)r;
	while (read(fd, drain, sizeof drain) > 0)
		;
	reason[n] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (reason[i] == '\n' || reason[i] == '\r')
			reason[i] = ' ';
	}
}

/* Turns a child's exit status and reason into "" (passed) or a reason. */
static void
judge(int status, char *reason, size_t size)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		snprintf(reason, size, "timed out after %d s", TIME_LIMIT);
	else if (WIFSIGNALED(status))
		snprintf(reason, size, "crashed with signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0 && reason[0] == '\0')
		snprintf(reason, size, "exited with status %d", WEXITSTATUS(status));
	else if (WEXITSTATUS(status) == 0)
		reason[0] = '\0';
}

/* Forks a child running t; returns its pid and the pipe's read end, or -1. */
static pid_t
start_child(const struct unit_test *t, int *read_fd)
{
	int fds[2];

	if (pipe(fds) < 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		run_child(t, fds[1]);
	}
	close(fds[1]);
	if (pid < 0)
		close(fds[0]);
	*read_fd = fds[0];
	return pid;
}

/* Runs one test in a child and prints its line; returns true if it passed. */
static bool
run_test(const struct unit_test *t)
{
	char reason[REASON_MAX] = "";
	int fd, status;
	pid_t pid = start_child(t, &fd);

	if (pid < 0) {
		snprintf(reason, sizeof reason, "could not start: %s", strerror(errno));
	} else {
		read_reason(fd, reason, sizeof reason);
		close(fd);
		if (waitpid(pid, &status, 0) == pid)
			judge(status, reason, sizeof reason);
		else
			snprintf(reason, sizeof reason, "waitpid: %s", strerror(errno));
	}
	if (reason[0] == '\0')
		printf("PASS unit.%s\n", t->t_name);
	else
		printf("FAIL unit.%s: %s\n", t->t_name, reason);
	fflush(stdout);
	return reason[0] == '\0';
}

static bool
selected(const struct unit_test *t, int argc, char **argv)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], t->t_name) == 0)
			return true;
	}
	return false;
}

static int
by_line(const void *a, const void *b)
{
	const struct unit_test *const *x = a, *const *y = b;

	return (*x)->t_line - (*y)->t_line;
}

/*
 * The linker section holds the tests in whatever order the compiler
 * emitted them; sort a copy by line so they run in the order written.
 */
static size_t
sorted_tests(const struct unit_test ***out)
{
	size_t n = (size_t)(__stop_unit_tests - __start_unit_tests);
	const struct unit_test **tests = calloc(n + 1, sizeof *tests);

	if (tests == NULL) {
		perror("unit: calloc");
		exit(1);
	}
	memcpy(tests, __start_unit_tests, n * sizeof *tests);
	qsort(tests, n, sizeof *tests, by_line);
	*out = tests;
	return n;
}

int
main(int argc, char **argv)
{
	const struct unit_test **tests;
	size_t n = sorted_tests(&tests);
	bool all_passed = true;

	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (size_t i = 0; i < n; i++)
			printf("%s: %s\n", tests[i]->t_name, tests[i]->t_sentence);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (selected(tests[i], argc, argv) && !run_test(tests[i]))
			all_passed = false;
	}
	free(tests);
	return all_passed ? 0 : 1;
}
