// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/bproc: the module's sysfs tree.
 *
 *   /sys/bproc/version       release of the module (BPROC_VERSION_STRING)
 *   /sys/bproc/protocol      daemon protocol it speaks, "MAJOR.MINOR"
 *   /sys/bproc/numnodes      nodes in the table (bproc_cluster_group, nodes.c)
 *   /sys/bproc/master_addr   the master's address on the cluster network
 *   /sys/bproc/stats/<class> object counts (bproc_stats_group, module/stats.c)
 *   /sys/bproc/nodes/        a kset: one kobject per node, N/
 *
 * One value per file, every file documented in
 * Documentation/ABI/testing/sysfs-bproc.
 *
 * Nodes: a node's kobject gets kobj.kset = bproc_nodes_kset before
 * kobject_init_and_add(&node->kobj, &node_ktype, NULL, "%d", nr), with a
 * ktype that has a .release freeing the node and .default_groups for its
 * files, and the caller sends KOBJ_ADD itself (samples/kobject/kset-example.c).
 * bproc_sysfs_exit() unregisters the kset, so every node kobject must have
 * been put by then.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "nodes.h"
#include "stats.h"
#include "sysfs.h"

struct kobject *bproc_kobj;
struct kset *bproc_nodes_kset;

/* ------------------------------------------------------------------ */
/* /sys/bproc/{version,protocol}                                      */
/* ------------------------------------------------------------------ */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", BPROC_VERSION_STRING);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t protocol_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u.%u\n", BPROC_PROTO_MAJOR, BPROC_PROTO_MINOR);
}

static struct kobj_attribute protocol_attr = __ATTR_RO(protocol);

static struct attribute *bproc_attrs[] = {
	&version_attr.attr,
	&protocol_attr.attr,
	NULL
};

static const struct attribute_group bproc_attr_group = {
	.attrs = bproc_attrs,
};

static const struct attribute_group *bproc_groups[] = {
	&bproc_attr_group,
	&bproc_cluster_group,
	&bproc_stats_group,
	NULL
};

/* ------------------------------------------------------------------ */
/* init / exit                                                        */
/* ------------------------------------------------------------------ */

int __init bproc_sysfs_init(void)
{
	int err;

	bproc_kobj = kobject_create_and_add("bproc", NULL);
	if (!bproc_kobj)
		return -ENOMEM;

	err = sysfs_create_groups(bproc_kobj, bproc_groups);
	if (err)
		goto out_put_kobj;

	bproc_nodes_kset = kset_create_and_add("nodes", NULL, bproc_kobj);
	if (!bproc_nodes_kset) {
		err = -ENOMEM;
		goto out_remove_groups;
	}
	return 0;

out_remove_groups:
	sysfs_remove_groups(bproc_kobj, bproc_groups);
out_put_kobj:
	kobject_put(bproc_kobj);
	bproc_kobj = NULL;
	return err;
}

void bproc_sysfs_exit(void)
{
	kset_unregister(bproc_nodes_kset);
	bproc_nodes_kset = NULL;
	sysfs_remove_groups(bproc_kobj, bproc_groups);
	kobject_put(bproc_kobj);
	bproc_kobj = NULL;
}
