/* SPDX-License-Identifier: GPL-2.0 */
/* module/nodes.c: the node table, /sys/bproc/nodes/N/. */
#ifndef BPROC_NODES_H
#define BPROC_NODES_H

#include <linux/init.h>
#include <linux/types.h>

struct attribute_group;

struct bproc_node_entry;

/* /sys/bproc/{numnodes,master_addr}: sysfs/sysfs.c adds it to /sys/bproc. */
extern const struct attribute_group bproc_cluster_group;

int bproc_nodes_set_size(const void *owner, bool master, int numnodes,
			 int self, __be32 master_addr, u64 *mirror_gen);
int bproc_nodes_apply(const void *owner, u64 mirror_gen,
		      const struct bproc_node_entry *entries, u32 count,
		      bool owner_ok);
void bproc_nodes_owner_gone(const void *owner, u64 mirror_gen);
int bproc_nodes_self(void);
int bproc_node_access(int nr);
/* BPROC_STATUS_* of node @nr, or -ENODEV. */
int bproc_node_status(int nr);
int bproc_nodes_init(void);
void bproc_nodes_exit(void);

#endif /* BPROC_NODES_H */
