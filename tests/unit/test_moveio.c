// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of a move's descriptor entries (common/moveio_check.c, used by
 * bproc.ko, the wire codec and libbproc): what a FILE and a SOCKET entry
 * may hold, descriptors once each, and the reason given for each refusal.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "moveio_check.h"

static void file_entry(struct bproc_move_io *e, int fd, const char *name)
{
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->type = BPROC_MOVE_IO_FILE;
	e->oflags = O_WRONLY | O_CREAT | O_TRUNC;
	e->mode = 0640;
	e->offset = 12;
	strcpy(e->name, name);
}

static void socket_entry(struct bproc_move_io *e, int fd)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(7000) };

	sin.sin_addr.s_addr = htonl(0x0a4d0001);
	memset(e, 0, sizeof(*e));
	e->fd = fd;
	e->type = BPROC_MOVE_IO_SOCKET;
	memcpy(e->addr, &sin, sizeof(sin));
}

/* One entry alone: 0, or -EINVAL with a reason containing @why. */
static void expect_one(const struct bproc_move_io *e, const char *why)
{
	const char *got = NULL;
	unsigned int seen = 0;
	int r = bproc_move_io_check(e, &seen, &got);

	if (!why) {
		assert_int_equal(r, 0);
		assert_int_equal(seen, 1u << e->fd);
		return;
	}
	assert_int_equal(r, -EINVAL);
	assert_non_null(got);
	if (!strstr(got, why))
		print_message("reason '%s', expected '%s'\n", got, why);
	assert_non_null(strstr(got, why));
	/* Without a place for the reason it says the same. */
	seen = 0;
	assert_int_equal(bproc_move_io_check(e, &seen, NULL), -EINVAL);
}

static void test_file_entry_accepted(void **state)
{
	struct bproc_move_io e;
	static const unsigned int ok_flags[] = {
		O_RDONLY, O_WRONLY, O_RDWR,
		O_WRONLY | O_CREAT | O_EXCL, O_WRONLY | O_APPEND | O_SYNC,
		O_RDONLY | O_NOCTTY | O_NOFOLLOW, O_RDWR | O_DSYNC,
	};

	(void)state;
	file_entry(&e, 1, "/tmp/out");
	expect_one(&e, NULL);
	for (size_t i = 0; i < sizeof(ok_flags) / sizeof(ok_flags[0]); i++) {
		file_entry(&e, 2, "/x");
		e.oflags = ok_flags[i];
		e.mode = (ok_flags[i] & O_CREAT) ? 07777 : 0;
		expect_one(&e, NULL);
	}
	/* A name that fills the field but for its NUL. */
	file_entry(&e, 0, "/");
	memset(e.name + 1, 'n', sizeof(e.name) - 2);
	expect_one(&e, NULL);
	/* Offset 0, no mode: a plain read. */
	file_entry(&e, 0, "/etc/hosts");
	e.oflags = O_RDONLY;
	e.mode = 0;
	e.offset = 0;
	expect_one(&e, NULL);
}

static void test_file_entry_bad_open_flags(void **state)
{
	struct bproc_move_io e;
	static const unsigned int bad[] = {
		O_ACCMODE, O_WRONLY | O_DIRECTORY, O_RDONLY | O_CLOEXEC,
		O_RDONLY | O_PATH, O_WRONLY | O_NONBLOCK, O_RDONLY | 0x80000000u,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		file_entry(&e, 1, "/tmp/out");
		e.oflags = bad[i];
		e.mode = 0;
		expect_one(&e, "open flags");
	}
}

static void test_file_entry_mode_only_with_creat(void **state)
{
	struct bproc_move_io e;

	(void)state;
	file_entry(&e, 1, "/tmp/out");
	e.mode = 010000;
	expect_one(&e, "file mode");
	file_entry(&e, 1, "/tmp/out");
	e.oflags = O_WRONLY | O_TRUNC;	/* no O_CREAT */
	expect_one(&e, "file mode");
	e.mode = 0;
	expect_one(&e, NULL);
}

static void test_file_entry_offset_and_address(void **state)
{
	struct bproc_move_io e;

	(void)state;
	file_entry(&e, 1, "/tmp/out");
	e.offset = -1;
	expect_one(&e, "offset or address");
	file_entry(&e, 1, "/tmp/out");
	e.addr[15] = 1;
	expect_one(&e, "offset or address");
}

static void test_file_entry_name_absolute_nul_padded(void **state)
{
	struct bproc_move_io e;

	(void)state;
	file_entry(&e, 1, "tmp/out");
	expect_one(&e, "absolute");
	file_entry(&e, 1, "");
	expect_one(&e, "absolute");
	file_entry(&e, 1, "/tmp/out");
	e.name[100] = 'x';		/* a byte after the NUL */
	expect_one(&e, "absolute");
	file_entry(&e, 1, "/");
	memset(e.name + 1, 'x', sizeof(e.name) - 1);	/* no NUL at all */
	expect_one(&e, "absolute");
}

static void test_socket_entry_accepted(void **state)
{
	struct bproc_move_io e;

	(void)state;
	socket_entry(&e, 0);
	expect_one(&e, NULL);
	/* Any address (0.0.0.0 too): the node connects to what it is given. */
	memset(e.addr + 4, 0, 4);
	expect_one(&e, NULL);
}

static void test_socket_entry_refused(void **state)
{
	struct bproc_move_io e;
	uint16_t family = AF_INET6;

	(void)state;
	socket_entry(&e, 0);
	memcpy(e.addr, &family, sizeof(family));
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	memset(e.addr + 2, 0, 2);	/* port 0 */
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.addr[8] = 1;			/* sin_zero */
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.name[0] = '/';
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.name[255] = 1;
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.oflags = O_RDONLY | O_APPEND;
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.mode = 0600;
	expect_one(&e, "socket");
	socket_entry(&e, 0);
	e.offset = 1;
	expect_one(&e, "socket");
}

static void test_entry_fd_type_flags(void **state)
{
	struct bproc_move_io e;

	(void)state;
	file_entry(&e, 3, "/tmp/out");
	expect_one(&e, "descriptor not 0..2");
	file_entry(&e, -1, "/tmp/out");
	expect_one(&e, "descriptor not 0..2");
	file_entry(&e, 1, "/tmp/out");
	e.flags = 1;
	expect_one(&e, "descriptor flags");
	file_entry(&e, 1, "/tmp/out");
	e.type = 2;
	expect_one(&e, "unknown descriptor type");
}

static void test_each_fd_once_per_request(void **state)
{
	struct bproc_move_io e[BPROC_MOVE_IO_MAX + 1];
	unsigned int seen = 0;
	const char *why = NULL;

	(void)state;
	file_entry(&e[0], 1, "/tmp/out");
	socket_entry(&e[1], 0);
	file_entry(&e[2], 2, "/tmp/err");
	assert_int_equal(bproc_move_io_check_all(e, 3, &why), 0);
	assert_int_equal(bproc_move_io_check_all(e, 0, &why), 0);
	/* The same fd twice, as the second or the third entry. */
	e[2].fd = 1;
	assert_int_equal(bproc_move_io_check_all(e, 3, &why), -EINVAL);
	assert_non_null(strstr(why, "given twice"));
	assert_int_equal(bproc_move_io_check_all(e, 2, &why), 0);
	/* One by one with the caller's @seen: the same rule. */
	assert_int_equal(bproc_move_io_check(&e[0], &seen, NULL), 0);
	assert_int_equal(bproc_move_io_check(&e[1], &seen, NULL), 0);
	assert_int_equal(bproc_move_io_check(&e[2], &seen, NULL), -EINVAL);
	assert_int_equal(seen, 3);
	/* More than BPROC_MOVE_IO_MAX entries: refused as a whole. */
	e[2].fd = 2;
	file_entry(&e[3], 0, "/x");
	why = NULL;
	assert_int_equal(bproc_move_io_check_all(e, BPROC_MOVE_IO_MAX + 1, &why), -EINVAL);
	assert_non_null(strstr(why, "too many"));
}

static void test_first_bad_entry_gives_the_reason(void **state)
{
	struct bproc_move_io e[2];
	const char *why = NULL;

	(void)state;
	file_entry(&e[0], 1, "relative");
	socket_entry(&e[1], 0);
	e[1].offset = 5;
	assert_int_equal(bproc_move_io_check_all(e, 2, &why), -EINVAL);
	assert_non_null(strstr(why, "absolute"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_entry_accepted),
		cmocka_unit_test(test_file_entry_bad_open_flags),
		cmocka_unit_test(test_file_entry_mode_only_with_creat),
		cmocka_unit_test(test_file_entry_offset_and_address),
		cmocka_unit_test(test_file_entry_name_absolute_nul_padded),
		cmocka_unit_test(test_socket_entry_accepted),
		cmocka_unit_test(test_socket_entry_refused),
		cmocka_unit_test(test_entry_fd_type_flags),
		cmocka_unit_test(test_each_fd_once_per_request),
		cmocka_unit_test(test_first_bad_entry_gives_the_reason),
	};

	return cmocka_run_group_tests_name("moveio", tests, NULL, NULL);
}
