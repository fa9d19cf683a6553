// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster's file service for the nodes (cmd/bpmaster/files.c): which
 * paths the remote-file list serves, and FILE_STAT, FILE_READ and
 * FILE_LIST on real files in a temporary tree, made with the rights of
 * the user who asks.  The rights cases need root (CI runs as root); as
 * another user they are skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "bpmaster/bpmaster.h"

struct master M;

/* The last reply, re-decoded from its bytes as a node would see it. */
static unsigned char wire[BPWIRE_MAX];
static struct bpwire_msg rep;
static int replies;

int slave_send(struct slave *s, const struct bpwire_msg *m)
{
	ssize_t n = bpwire_encode(m, wire, sizeof(wire), NULL);

	(void)s;
	assert_true(n > 0);
	assert_int_equal(bpwire_decode(wire, (size_t)n, &rep, NULL), 0);
	replies++;
	return 0;
}

static char top[64], listf[96];

static void put_file(const char *rel, const char *text, mode_t mode)
{
	char p[256];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", top, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int setup(void **state)
{
	char p[256];
	FILE *f;

	(void)state;
	strcpy(top, "/tmp/bpfiles.XXXXXX");
	assert_non_null(mkdtemp(top));
	assert_int_equal(chmod(top, 0755), 0);
	snprintf(p, sizeof(p), "%s/lib", top);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/lib/private", top);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/etc", top);
	assert_int_equal(mkdir(p, 0755), 0);
	put_file("lib/libz.so.1", "zlib bytes", 0644);
	put_file("lib/secret", "root only", 0600);
	put_file("lib/private/inside", "hidden", 0644);
	put_file("etc/shadow", "not served", 0644);
	put_file("etc/motd", "one file served", 0644);
	snprintf(p, sizeof(p), "%s/lib/libz.so", top);
	assert_int_equal(symlink("libz.so.1", p), 0);
	snprintf(p, sizeof(p), "%s/lib/escape", top);
	assert_int_equal(symlink("../etc", p), 0);
	snprintf(listf, sizeof(listf), "%s.list", top);
	f = fopen(listf, "w");
	assert_non_null(f);
	fprintf(f, "%s/lib/\n%s/etc/motd\n", top, top);
	fclose(f);
	files_list_path = listf;
	return 0;
}

static int teardown(void **state)
{
	char cmd[200];

	(void)state;
	files_free();
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", top, listf);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* Ask @type for @rel (under top, or top itself for "") as @uid. */
static int ask(uint16_t type, const char *rel, uint32_t uid, uint64_t offset,
	       uint32_t len, const struct bpwire_fver *ver)
{
	static char path[256];
	struct bpwire_msg m;
	struct slave s;

	memset(&s, 0, sizeof(s));
	snprintf(path, sizeof(path), "%s%s%s", top, *rel ? "/" : "", rel);
	bpwire_init(&m, type, 5, 0, BPROC_NODE_MASTER);
	m.u.file_req.uid = uid;
	m.u.file_req.gid = uid;
	m.u.file_req.path = path;
	m.u.file_req.path_len = strlen(path);
	m.u.file_req.offset = offset;
	m.u.file_req.len = len;
	if (ver)
		m.u.file_req.ver = *ver;
	replies = 0;
	assert_true(slave_file(&s, &m));
	assert_int_equal(replies, 1);
	assert_int_equal(rep.hdr.type, type + 1);
	assert_true(rep.hdr.id == 5);
	return rep.hdr.result;
}

static void what_the_list_serves(void **state)
{
	const char *list[] = { "/usr/lib/", "/etc/alternatives/", "/bin", NULL };
#define A(p) files_allowed(list, p, strlen(p))

	(void)state;
	assert_int_equal(A("/usr/lib"), FILES_ALL);
	assert_int_equal(A("/usr/lib/x86_64-linux-gnu/libc.so.6"), FILES_ALL);
	assert_int_equal(A("/bin"), FILES_ALL);
	assert_int_equal(A("/bin/ls"), FILES_NO);	/* a file entry, not a tree */
	assert_int_equal(A("/usr"), FILES_WAY);
	assert_int_equal(A("/etc"), FILES_WAY);
	assert_int_equal(A("/"), FILES_WAY);
	assert_int_equal(A("/usr/lib64"), FILES_NO);
	assert_int_equal(A("/usr/li"), FILES_NO);
	assert_int_equal(A("/etc/shadow"), FILES_NO);
	assert_int_equal(A("/etc/alternativesX"), FILES_NO);
	assert_int_equal(files_allowed(NULL, "/", 1), FILES_NO);
#undef A
}

static void stat_read_and_list_as_root(void **state)
{
	struct bpwire_fver ver, old;
	uint32_t off = 0;
	uint64_t ino;
	uint8_t type, nl;
	const char *name;
	bool saw_libz = false, saw_secret = false;

	(void)state;
	if (geteuid())
		skip();
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/libz.so.1", 0, 0, 0, NULL), 0);
	assert_true(S_ISREG(rep.u.file_rep.mode));
	assert_true(rep.u.file_rep.ver.size == 10);
	ver = rep.u.file_rep.ver;
	assert_int_equal(ask(BPWIRE_FILE_READ, "lib/libz.so.1", 0, 5, 100, &ver), 0);
	assert_int_equal(rep.u.file_rep.len, 5);
	assert_memory_equal(rep.u.file_rep.data, "bytes", 5);
	/* A symlink is told, not followed. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/libz.so", 0, 0, 0, NULL), 0);
	assert_true(S_ISLNK(rep.u.file_rep.mode));
	assert_int_equal(rep.u.file_rep.len, 9);
	assert_memory_equal(rep.u.file_rep.data, "libz.so.1", 9);
	/* Nor is one on the way: the node resolves it, and asks again. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/escape/shadow", 0, 0, 0, NULL), -ELOOP);
	/* Outside the list: not there. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "etc/shadow", 0, 0, 0, NULL), -ENOENT);
	assert_int_equal(ask(BPWIRE_FILE_STAT, "etc/motd", 0, 0, 0, NULL), 0);
	/* The way to it is listed with the served names only. */
	assert_int_equal(ask(BPWIRE_FILE_LIST, "etc", 0, 0, 0, NULL), 0);
	assert_true(bpwire_fentry_next(&rep.u.file_rep, &off, &ino, &type, &name, &nl));
	assert_true(nl == 4 && !memcmp(name, "motd", 4));
	assert_false(bpwire_fentry_next(&rep.u.file_rep, &off, &ino, &type, &name, &nl));
	assert_int_equal(ask(BPWIRE_FILE_READ, "etc", 0, 0, 10, &ver), -ENOENT);
	/* A tree is listed whole, root's file included. */
	off = 0;
	assert_int_equal(ask(BPWIRE_FILE_LIST, "lib", 0, 0, 0, NULL), 0);
	while (bpwire_fentry_next(&rep.u.file_rep, &off, &ino, &type, &name, &nl)) {
		saw_libz |= nl == 9 && !memcmp(name, "libz.so.1", 9);
		saw_secret |= nl == 6 && !memcmp(name, "secret", 6);
	}
	assert_true(saw_libz && saw_secret);
	/* A file changed since: ESTALE, with what it is now. */
	old = ver;
	put_file("lib/libz.so.1", "zlib bytes, version 2", 0644);
	assert_int_equal(ask(BPWIRE_FILE_READ, "lib/libz.so.1", 0, 0, 100, &old), -ESTALE);
	assert_true(rep.u.file_rep.ver.size == 21);
	/* Not a plain file: no bytes. */
	assert_int_equal(ask(BPWIRE_FILE_READ, "lib/private", 0, 0, 10, &old), -EISDIR);
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/none", 0, 0, 0, NULL), -ENOENT);
}

static void a_user_gets_only_what_it_may_read_here(void **state)
{
	struct bpwire_fver ver;

	(void)state;
	if (geteuid())
		skip();
	/* root's 0600 file: its attributes, as ls would show, but no bytes. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/secret", 0, 0, 0, NULL), 0);
	ver = rep.u.file_rep.ver;
	assert_int_equal(ask(BPWIRE_FILE_READ, "lib/secret", 0, 0, 100, &ver), 0);
	assert_int_equal(rep.u.file_rep.len, 9);
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/secret", 65534, 0, 0, NULL), 0);
	assert_int_equal(ask(BPWIRE_FILE_READ, "lib/secret", 65534, 0, 100, &ver), -EACCES);
	/* A directory it may not search is not crossed, nor listed. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/private/inside", 65534, 0, 0, NULL),
			 -EACCES);
	assert_int_equal(ask(BPWIRE_FILE_LIST, "lib/private", 65534, 0, 0, NULL), -EACCES);
	/* And root's rights are back after each request. */
	assert_int_equal(ask(BPWIRE_FILE_STAT, "lib/private/inside", 0, 0, 0, NULL), 0);
	assert_int_equal(access("/proc/self/status", R_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_the_list_serves),
		cmocka_unit_test(stat_read_and_list_as_root),
		cmocka_unit_test(a_user_gets_only_what_it_may_read_here),
	};

	return cmocka_run_group_tests_name("bpmaster_files", tests, setup, teardown);
}
