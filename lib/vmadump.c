// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: bproc_vmadump() / bproc_dump(), the calling process's image
 * written to a descriptor by the BPROC_IOC_VMADUMP ioctl.
 *
 * The ioctl returns 1 in the process that dumped (the byte count is in the
 * request) and 0 in a process restored from the image, whose registers are
 * those of this very ioctl with 0 as its result; so, like fork(), the call
 * returns twice: the byte count here, 0 there.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "internal.h"

int bproc_vmadump(int fd, int flags)
{
	struct bproc_dump_req req;
	int cfd, ret;

	if (fd < 0) {
		errno = EBADF;
		return -1;
	}
	if (flags & ~VMAD_DUMP_ALL) {
		errno = EINVAL;
		return -1;
	}
	cfd = bproc_control_fd();
	if (cfd < 0)
		return -1;

	memset(&req, 0, sizeof(req));
	req.fd = fd;
	req.flags = (__u32)flags;
	ret = ioctl(cfd, BPROC_IOC_VMADUMP, &req);
	if (ret < 0)
		return -1;
	if (ret == 0) {
		/*
		 * The restored process: descriptors do not travel, so the
		 * cached control descriptor number means nothing here (under
		 * bprestart it is the image).  Forget it, without closing.
		 */
		bproc_control_forget();
		return 0;
	}
	if (req.written > INT_MAX) {
		/* the image was written; its size does not fit the API */
		errno = EOVERFLOW;
		return -1;
	}
	return (int)req.written;
}

int bproc_dump(int fd, int flags)
{
	return bproc_vmadump(fd, flags);
}
