/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * <sys/bproc.h> - libbproc, the Beowulf Distributed Process Space library.
 *
 * A thin library over bproc's files (/sys/bproc, /proc/bproc) and the
 * ioctls of /dev/bproc/control.  Programs written for the original library
 * compile against this header and link with -lbproc unchanged.  Calls follow
 * the system-call convention: -1 with errno set on failure.
 */
#ifndef _SYS_BPROC_H
#define _SYS_BPROC_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Special node numbers. */
#define BPROC_NODE_MASTER	(-1)
#define BPROC_NODE_SELF		(-2)
#define BPROC_NODE_NONE		(-3)
#define BPROC_NODE_ANY		(-4)

/* Architectures, as the original's bproc_version_t.arch. */
#define BPROC_ARCH_X86		1
#define BPROC_ARCH_ALPHA	2
#define BPROC_ARCH_PPC		3
#define BPROC_ARCH_X86_64	4
#define BPROC_ARCH_PPC64	5

/*
 * struct bproc_version_t - what bproc_version() reports (layout of bproc 4)
 * @bproc_magic:    the bytes 'B', 'P', 'r'.
 * @arch:           BPROC_ARCH_* of the running kernel module.
 * @magic:          the daemon/kernel protocol, (major << 16) | minor.
 * @version_string: the module's release, e.g. "5.0.0", NUL-terminated.
 */
struct bproc_version_t {
	char bproc_magic[3];
	uint8_t arch;
	uint32_t magic;
	char version_string[24];
};

/*
 * bproc_version() - the version of the loaded bproc module.
 * Returns 0, or -1 with errno: ENOSYS when bproc is not loaded (no
 * /dev/bproc/control), or the error of open/ioctl.
 */
int bproc_version(struct bproc_version_t *vers);

/* VMADump flags: which read-only file mappings travel as data (as the original). */
#define VMAD_DUMP_LIBS		0x1	/* files on the remote-file list (/proc/bproc/libraries) */
#define VMAD_DUMP_EXEC		0x2	/* the executable */
#define VMAD_DUMP_OTHER		0x4	/* any other file */
#define VMAD_DUMP_ALL		(VMAD_DUMP_LIBS | VMAD_DUMP_EXEC | VMAD_DUMP_OTHER)
#define BPROC_DUMP_LIBS		VMAD_DUMP_LIBS
#define BPROC_DUMP_EXEC		VMAD_DUMP_EXEC
#define BPROC_DUMP_OTHER	VMAD_DUMP_OTHER
#define BPROC_DUMP_ALL		VMAD_DUMP_ALL

/*
 * bproc_vmadump() - write the calling process's image to fd.
 * Returns the bytes written; returns 0 in a process restored from the image;
 * -1 with errno on failure (EINVAL bad flags, EBUSY multi-threaded or traced,
 * ENOSYS bproc not loaded, or the write's errno).
 */
int bproc_vmadump(int fd, int flags);

/*
 * bproc_vmaundump() - replace the calling process with the image read from
 * fd, like exec.  Returns only on failure: -1 with errno, the caller intact.
 */
int bproc_vmaundump(int fd);

/* The bproc 4 names of the same calls. */
int bproc_dump(int fd, int flags);
int bproc_undump(int fd);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_BPROC_H */
