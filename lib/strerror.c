// SPDX-License-Identifier: LGPL-2.1-only
/*
 * libbproc: bproc_strerror(), the text of an errno value as bproc's calls
 * mean it.  Several standard errno values carry a bproc-specific meaning
 * (the original library had codes of its own, BE_*; this one uses errno
 * values throughout); the rest fall back to strerror().
 */
#include <errno.h>
#include <string.h>

#include <sys/bproc.h>

const char *bproc_strerror(int err)
{
	if (err < 0)
		err = -err;	/* a kernel-style -errno works too */
	switch (err) {
	case ENODEV:
		return "no such node";
	case EHOSTDOWN:
		return "node is down";
	case ENOTCONN:
		return "bpmaster is not running";
	case ENOSYS:
		return "bproc is not loaded";
	case EROFS:
		return "node state can only be changed on the master";
	case ESTALE:
		return "a file the image refers to has changed since the dump";
	case ENOEXEC:
		return "not a VMADump image for this machine";
	case EBADMSG:
		return "VMADump image is damaged (checksum mismatch)";
	default:
		return strerror(err);
	}
}
