/* SPDX-License-Identifier: GPL-2.0 */
/* module/bprocfs.c: the file system "bproc", mounted on /proc/bproc. */
#ifndef BPROC_BPROCFS_H
#define BPROC_BPROCFS_H

#include <linux/init.h>

int bproc_fs_init(void);
void bproc_fs_exit(void);

#endif /* BPROC_BPROCFS_H */
