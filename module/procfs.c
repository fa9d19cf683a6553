// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/bproc: the module's procfs directory.
 *
 * A module cannot add entries under /proc/<pid>/, so bproc's per-process
 * files (the image of a stopped process, where a process runs) will live
 * under /proc/bproc/ instead.  For now the directory is empty; everything
 * later created under bproc_proc_dir goes away with it at exit, because
 * bproc_procfs_exit() removes the whole subtree.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/errno.h>
#include <linux/proc_fs.h>

#include "internal.h"

struct proc_dir_entry *bproc_proc_dir;

int __init bproc_procfs_init(void)
{
	bproc_proc_dir = proc_mkdir("bproc", NULL);
	if (!bproc_proc_dir)
		return -ENOMEM;
	return 0;
}

void bproc_procfs_exit(void)
{
	remove_proc_subtree("bproc", NULL);
	bproc_proc_dir = NULL;
}
