/* SPDX-License-Identifier: GPL-2.0 */
/* sysfs/sysfs.c: /sys/bproc. */
#ifndef BPROC_SYSFS_H
#define BPROC_SYSFS_H

#include <linux/init.h>

struct kobject;
struct kset;

/* /sys/bproc itself. */
extern struct kobject *bproc_kobj;
/* /sys/bproc/nodes: the kset every node's kobject joins (kobj.kset). */
extern struct kset *bproc_nodes_kset;

int bproc_sysfs_init(void);
void bproc_sysfs_exit(void);

#endif /* BPROC_SYSFS_H */
