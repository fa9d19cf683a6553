// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: the remote-file list of VMADump, /proc/bproc/libraries
 * (Documentation/ABI/testing/procfs-bproc): bproc_libadd(), bproc_libdel(),
 * bproc_libclear() write one command each; bproc_liblist() reads the list.
 *
 * /proc/bproc is a file system that has to be mounted; while it is not,
 * /proc/bproc/libraries is missing and the calls fail with ENOSYS, as when
 * bproc is not loaded at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/bproc.h>

#include "internal.h"

#define LIBRARIES	"libraries"

static int lib_command(char op, const char *path)
{
	size_t len;
	char *cmd;
	int r, err;

	if (!path) {
		errno = EFAULT;
		return -1;
	}
	len = strlen(path);
	if (len == 0 || strchr(path, '\n')) {
		errno = EINVAL;
		return -1;
	}
	cmd = malloc(len + 2);
	if (!cmd) {
		errno = ENOMEM;
		return -1;
	}
	cmd[0] = op;
	memcpy(cmd + 1, path, len + 1);
	r = bproc_lib_write(bproc_lib_procfs(), LIBRARIES, cmd);
	err = errno;
	free(cmd);
	if (r < 0 && err == ENOENT)
		err = ENOSYS;	/* /proc/bproc not mounted */
	errno = err;
	return r;
}

int bproc_libadd(const char *path)
{
	return lib_command('+', path);
}

int bproc_libdel(const char *path)
{
	return lib_command('-', path);
}

int bproc_libclear(void)
{
	int r = bproc_lib_write(bproc_lib_procfs(), LIBRARIES, "clear");

	if (r < 0 && errno == ENOENT)
		errno = ENOSYS;
	return r;
}

/* The whole file, NUL-terminated, in *@text; its length, or -1. */
static ssize_t read_all(char **text)
{
	char path[PATH_MAX];
	size_t len = 0, alloc = 4096;
	char *buf, *tmp;
	ssize_t n;
	int fd, err;

	n = snprintf(path, sizeof(path), "%s/%s", bproc_lib_procfs(), LIBRARIES);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			errno = ENOSYS;
		return -1;
	}
	buf = malloc(alloc);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		if (alloc - len < 2) {
			tmp = alloc > SIZE_MAX / 2 ? NULL : realloc(buf, alloc * 2);
			if (!tmp) {
				err = ENOMEM;
				goto fail;
			}
			buf = tmp;
			alloc *= 2;
		}
		n = read(fd, buf + len, alloc - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*text = buf;
	return (ssize_t)len;
fail:
	close(fd);
	free(buf);
	errno = err;
	return -1;
}

int bproc_liblist(char ***list)
{
	char *text, *p, *nl, **v;
	int count = 0, i = 0;
	ssize_t len;

	if (!list) {
		errno = EFAULT;
		return -1;
	}
	len = read_all(&text);
	if (len < 0)
		return -1;
	for (p = text; *p; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (nl > p)
			count++;
		if (!*nl)
			break;
	}
	v = calloc((size_t)count + 1, sizeof(*v));
	if (!v)
		goto nomem;
	for (p = text; *p && i < count; p = nl + 1) {
		nl = strchrnul(p, '\n');
		if (nl > p) {
			v[i] = strndup(p, (size_t)(nl - p));
			if (!v[i])
				goto nomem;
			i++;
		}
		if (!*nl)
			break;
	}
	free(text);
	*list = v;
	return count;
nomem:
	if (v)
		while (i > 0)
			free(v[--i]);
	free(v);
	free(text);
	errno = ENOMEM;
	return -1;
}
