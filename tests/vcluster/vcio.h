/* SPDX-License-Identifier: GPL-2.0 */
/* Small blocking I/O helpers shared by vcagent and vcrun. */
#ifndef VC_IO_H
#define VC_IO_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "agentproto.h"

/* Write all of buf; 0 or -1 (errno). */
static inline int vc_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly len bytes; 1 done, 0 clean EOF before the first byte, -1 error. */
static inline int vc_read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {
			if (got == 0)
				return 0;
			errno = EPROTO;
			return -1;
		}
		got += (size_t)n;
	}
	return 1;
}

static inline int vc_send_frame(int fd, uint8_t type, const void *data, uint32_t len)
{
	struct vca_frame f = { .type = type, .len = len };

	if (vc_write_all(fd, &f, sizeof(f)) < 0)
		return -1;
	return len ? vc_write_all(fd, data, len) : 0;
}

#endif
