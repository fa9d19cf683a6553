/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - TAP output for the helper programs the qemu tests run in the VMs
 * (tests/kernel/helpers/).  One program is one translation unit: include it
 * once.  The shell test relays the lines into its own TAP (test_relay in
 * tests/lib/tap.sh), so a failure names the helper's check.
 *
 *   ok(cond, name)                  one test
 *   ok_diag(cond, name, fmt, ...)   one test; fmt explains a failure
 *   is_int(got, want, name)         got == want
 *   is_str(got, want, name)         equal strings (NULL is no string)
 *   is_errno(ret, err, name)        a call that must fail: -1 with errno err
 *   is_ret(ret, want, name)         a call that must return want
 *   ok_call(ret, name)              a call that must succeed (ret >= 0)
 *   skip(name, why)                 one skipped test
 *   diag(fmt, ...)                  a "# ..." line
 *   done_testing()                  the plan; 0 if every test passed, else 1
 *
 * Built with the tree's flags (-D_GNU_SOURCE: strerrorname_np).
 * A failure's explanation goes on "#   " lines under its "not ok" line.
 * Output is flushed after every line: helpers fork, move and exit.
 */
#ifndef BPROC_TESTS_TAP_H
#define BPROC_TESTS_TAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_run;
static int tap_failed;

__attribute__((format(printf, 1, 2)))
static inline void diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

__attribute__((format(printf, 3, 0)))
static inline void tap_vresult(bool cond, const char *name, const char *fmt, va_list ap)
{
	tap_run++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_run, name);
	if (!cond) {
		tap_failed++;
		if (fmt && *fmt) {
			fputs("#   ", stdout);
			vprintf(fmt, ap);
			putchar('\n');
		}
	}
	fflush(stdout);
}

__attribute__((format(printf, 3, 4)))
static inline bool ok_diag(bool cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vresult(cond, name, fmt, ap);
	va_end(ap);
	return cond;
}

static inline bool ok(bool cond, const char *name)
{
	return ok_diag(cond, name, "%s", "");
}

static inline bool is_int(long got, long want, const char *name)
{
	return ok_diag(got == want, name, "got %ld, want %ld", got, want);
}

static inline bool is_str(const char *got, const char *want, const char *name)
{
	return ok_diag(got && want && !strcmp(got, want), name, "got '%s', want '%s'",
		       got ? got : "(none)", want ? want : "(none)");
}

/* @ret came from a call that must fail with @err. */
static inline bool is_errno(long ret, int err, const char *name)
{
	int e = errno;

	if (ret == -1)
		return ok_diag(e == err, name, "errno %d (%s), want %s", e,
			       strerrorname_np(e), strerrorname_np(err));
	return ok_diag(false, name, "returned %ld, want -1/%s", ret, strerrorname_np(err));
}

/* @ret came from a call that must return @want. */
static inline bool is_ret(long ret, long want, const char *name)
{
	int e = errno;

	if (ret == -1 && want != -1)
		return ok_diag(false, name, "-1/%s, want %ld", strerrorname_np(e), want);
	return ok_diag(ret == want, name, "returned %ld, want %ld", ret, want);
}

/* @ret came from a call that must succeed. */
static inline bool ok_call(long ret, const char *name)
{
	int e = errno;

	return ok_diag(ret >= 0, name, "-1/%s", strerrorname_np(e));
}

static inline void skip(const char *name, const char *why)
{
	tap_run++;
	printf("ok %d - %s # SKIP %s\n", tap_run, name, why);
	fflush(stdout);
}

static inline int done_testing(void)
{
	printf("1..%d\n", tap_run);
	if (tap_failed)
		diag("%d of %d tests failed", tap_failed, tap_run);
	fflush(stdout);
	return tap_failed ? 1 : 0;
}

#endif /* BPROC_TESTS_TAP_H */
