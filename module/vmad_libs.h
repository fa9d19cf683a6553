/* SPDX-License-Identifier: GPL-2.0 */
/* module/vmad_libs.c: the remote-file list, /proc/bproc/libraries. */
#ifndef BPROC_VMAD_LIBS_H
#define BPROC_VMAD_LIBS_H

#include <linux/fs.h>
#include <linux/init.h>
#include <linux/types.h>

/* Is @path on the remote-file list (exactly, or under a "dir/" entry)? */
bool bproc_vmad_is_lib(const char *path);
/* The file operations of /proc/bproc/libraries (bprocfs.c makes the inode). */
extern const struct file_operations bproc_vmad_libs_fops;
int bproc_vmad_libs_init(void);
void bproc_vmad_libs_exit(void);

#endif /* BPROC_VMAD_LIBS_H */
