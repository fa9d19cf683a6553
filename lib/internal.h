/* SPDX-License-Identifier: LGPL-2.1-only */
/* libbproc internals: not installed, not exported (see libbproc.sym). */
#ifndef BPROC_LIB_INTERNAL_H
#define BPROC_LIB_INTERNAL_H

#define BPROC_CONTROL_DEV	"/dev/bproc/control"

/* The process's descriptor of /dev/bproc/control, opened on first use. */
int bproc_control_fd(void);

/* Drop the cached descriptor without closing it (after a restore). */
void bproc_control_forget(void);

#endif
