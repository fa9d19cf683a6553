/* SPDX-License-Identifier: GPL-2.0 */
/* module/bprocfs.c: the file system "bproc", mounted on /proc/bproc. */
#ifndef BPROC_BPROCFS_H
#define BPROC_BPROCFS_H

#include <linux/init.h>
#include <linux/types.h>

struct pid;
struct seq_file;

int bproc_fs_init(void);
void bproc_fs_exit(void);
/*
 * For a show function of /proc/bproc/processes (opened by bprocfs.c): may
 * the reader see process @pid, and under which number (*@nr, its PID in the
 * reader's PID namespace)?  Follows the reader's /proc hidepid= and gid=.
 * Does not sleep (may be called under a spinlock).
 */
bool bproc_fs_process_visible(struct seq_file *m, struct pid *pid, pid_t *nr);

#endif /* BPROC_BPROCFS_H */
