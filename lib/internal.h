/* SPDX-License-Identifier: LGPL-2.1-only */
/* libbproc internals: not installed, not exported (see libbproc.sym). */
#ifndef BPROC_LIB_INTERNAL_H
#define BPROC_LIB_INTERNAL_H

#include <stddef.h>

#define BPROC_CONTROL_DEV	"/dev/bproc/control"

/* The process's descriptor of /dev/bproc/control, opened on first use. */
int bproc_control_fd(void);

/* Drop the cached descriptor without closing it (after a restore). */
void bproc_control_forget(void);

/*
 * bproc_vmaundump() with BPROC_IOC_VMAUNDUMP flags (BPROC_UNDUMP_CLOSEFDS):
 * for bpslave, which links libbproc.a.
 */
int bproc_vmaundump_flags(int fd, int flags);

/*
 * The real node behind the caller's @node (node map, BPROC_NODE_SELF):
 * 0 with *@real set, or -1/ENODEV.  (lib/nodes.c)
 */
int bproc_lib_resolve(int node, int *real);

/* ---- files under /sys/bproc and /proc/bproc (lib/files.c) ---- */

/*
 * The roots of bproc's files: /sys/bproc and /proc/bproc, or, as a hook for
 * tests only, $BPROC_SYSFS and $BPROC_PROCFS (read once, ignored in setuid
 * and setgid programs).
 */
const char *bproc_lib_sysfs(void);
const char *bproc_lib_procfs(void);

/*
 * Read the file @root/@rel (at most @size - 1 bytes, NUL-terminated, one
 * trailing newline removed).  Returns the length, or -1 with errno; ENOENT
 * becomes ENOSYS when @root itself is missing (bproc not loaded).
 */
int bproc_lib_read(const char *root, const char *rel, char *buf, size_t size);

/*
 * Write @text to @root/@rel in one write() (no O_CREAT).  Returns 0, or -1
 * with the errno of open() or write() (ENOENT -> ENOSYS as above).
 */
int bproc_lib_write(const char *root, const char *rel, const char *text);

/* ---- nodes (lib/nodes.c, lib/nodespec.c) ---- */

struct bproc_node_set_t;
struct bproc_node_info_t;
struct sockaddr;

/* The bproc 4 bproc_nodeaddr(): <sys/bproc.h> links to it under BPROC_API_4. */
int bproc4_nodeaddr(int node, struct sockaddr *s, int *size);

/*
 * The nodespec grammar (Documentation/man/libbproc.3) over an in-memory set:
 * no file is read.  @out receives the selected entries of @in (and @master,
 * or a stand-in, for "master").  On failure @out is an empty set and errno is
 * EINVAL (syntax), ENODEV (a node number out of range) or ENOMEM.  @out may
 * be @in.
 */
int bproc_lib_nodespec(struct bproc_node_set_t *out,
		       const struct bproc_node_set_t *in, const char *str,
		       const struct bproc_node_info_t *master);

/* How long bproc_nodereboot() and friends wait for the node to go down. */
extern int bproc_lib_wait_ms;

#endif
