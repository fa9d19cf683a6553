// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: access to /dev/bproc/control, the device that carries every
 * ioctl of the library.  One descriptor per process, opened on first use
 * with O_CLOEXEC so that it does not leak into exec'd programs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "internal.h"

static int control_fd = -1;

int bproc_control_fd(void)
{
	int fd;

	fd = __atomic_load_n(&control_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		return fd;

	fd = open(BPROC_CONTROL_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			errno = ENOSYS;	/* bproc is not loaded */
		return -1;
	}

	/* Another thread may have won the race: keep one descriptor. */
	int expected = -1;
	if (!__atomic_compare_exchange_n(&control_fd, &expected, fd, 0,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

void bproc_control_forget(void)
{
	__atomic_store_n(&control_fd, -1, __ATOMIC_RELEASE);
}

int bproc_version(struct bproc_version_t *vers)
{
	struct bproc_version kv;
	int fd;

	if (!vers) {
		errno = EFAULT;
		return -1;
	}
	fd = bproc_control_fd();
	if (fd < 0)
		return -1;

	memset(&kv, 0, sizeof(kv));
	if (ioctl(fd, BPROC_IOC_VERSION, &kv) < 0)
		return -1;

	memset(vers, 0, sizeof(*vers));
	memcpy(vers->bproc_magic, "BPr", 3);
	vers->arch = BPROC_ARCH_X86_64;
	vers->magic = ((uint32_t)kv.proto_major << 16) | kv.proto_minor;
	_Static_assert(sizeof(vers->version_string) == sizeof(kv.release), "release size");
	memcpy(vers->version_string, kv.release, sizeof(kv.release));
	vers->version_string[sizeof(vers->version_string) - 1] = '\0';
	return 0;
}
