// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: reading and writing bproc's small files, /sys/bproc/... and
 * /proc/bproc/libraries.  Each value is one short line, read or written
 * with one system call, as sysfs wants.
 *
 * The roots can be moved for tests: $BPROC_SYSFS and $BPROC_PROCFS (read
 * once per process) name a directory tree that stands in for /sys/bproc and
 * /proc/bproc, so unit tests can run the node calls against plain files.
 * secure_getenv() ignores them in setuid and setgid programs, which must
 * never be pointed at files of the caller's choosing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static const char *sysfs_root = "/sys/bproc";
static const char *procfs_root = "/proc/bproc";
static pthread_once_t roots_once = PTHREAD_ONCE_INIT;

static void roots_init(void)
{
	const char *s;

	s = secure_getenv("BPROC_SYSFS");
	if (s && *s)
		sysfs_root = s;
	s = secure_getenv("BPROC_PROCFS");
	if (s && *s)
		procfs_root = s;
}

const char *bproc_lib_sysfs(void)
{
	pthread_once(&roots_once, roots_init);
	return sysfs_root;
}

const char *bproc_lib_procfs(void)
{
	pthread_once(&roots_once, roots_init);
	return procfs_root;
}

/* open() of @root/@rel; ENOENT becomes ENOSYS when @root is missing. */
static int open_at_root(const char *root, const char *rel, int flags)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, n;

	n = snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 && errno == ENOENT && stat(root, &st) != 0)
		errno = ENOSYS;
	return fd;
}

int bproc_lib_read(const char *root, const char *rel, char *buf, size_t size)
{
	ssize_t n;
	int fd, err;

	if (size == 0 || size > INT_MAX) {
		errno = EINVAL;
		return -1;
	}
	fd = open_at_root(root, rel, O_RDONLY);
	if (fd < 0)
		return -1;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	err = errno;
	close(fd);
	if (n < 0) {
		errno = err;
		return -1;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return (int)n;
}

int bproc_lib_write(const char *root, const char *rel, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err;

	/* O_TRUNC: a no-op on sysfs, and it keeps a test's plain file exact. */
	fd = open_at_root(root, rel, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	do
		n = write(fd, text, len);
	while (n < 0 && errno == EINTR);
	err = errno;
	if (close(fd) != 0 && n >= 0) {
		/* a plain file's late error; sysfs reports in write() */
		return -1;
	}
	if (n < 0) {
		errno = err;
		return -1;
	}
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}
