// SPDX-License-Identifier: GPL-2.0
/*
 * Object accounting.
 *
 * The distribution kernel bproc runs on has no KMEMLEAK, so the module
 * counts its own objects: whoever allocates an object of a counted class
 * calls bproc_stat_inc(), whoever frees it bproc_stat_dec() (internal.h).
 * Each counter is a read-only file, /sys/bproc/stats/<class>, so a test can
 * compare the counts before and after it runs; at module exit every object
 * must be gone, and a class that is not back to zero is reported as a leak.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/atomic.h>
#include <linux/errno.h>
#include <linux/kobject.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

#include "stats.h"

atomic_long_t bproc_stats[BPROC_STAT_NR];

static ssize_t bproc_stat_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf);

#define BPROC_STAT_ATTR(id, name)					\
	[BPROC_STAT_##id] = __ATTR(name, 0444, bproc_stat_show, NULL)

/* One file per class, indexed by enum bproc_stat; its name is the class's. */
static struct kobj_attribute bproc_stat_attrs[BPROC_STAT_NR] = {
	BPROC_STAT_ATTR(SESSIONS, sessions),
	BPROC_STAT_ATTR(MESSAGES, messages),
	BPROC_STAT_ATTR(DUMPS, vmad_dumps),
	BPROC_STAT_ATTR(NODES, nodes),
	BPROC_STAT_ATTR(GHOSTS, ghosts),
};

/* Filled in by bproc_stats_init() from bproc_stat_attrs[]. */
static struct attribute *bproc_stats_attrs[BPROC_STAT_NR + 1];

const struct attribute_group bproc_stats_group = {
	.name = "stats",
	.attrs = bproc_stats_attrs,
};

static ssize_t bproc_stat_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	/* A file's index in bproc_stat_attrs[] is its class. */
	return sysfs_emit(buf, "%ld\n", bproc_stat_read(attr - bproc_stat_attrs));
}

int __init bproc_stats_init(void)
{
	int i;

	for (i = 0; i < BPROC_STAT_NR; i++) {
		/* A class in enum bproc_stat without its line above. */
		if (WARN_ON(!bproc_stat_attrs[i].attr.name))
			return -EINVAL;
		bproc_stats_attrs[i] = &bproc_stat_attrs[i].attr;
		atomic_long_set(&bproc_stats[i], 0);
	}
	return 0;
}

/*
 * Called last at module exit (and when module init fails), after every
 * other subsystem has freed its objects: anything still counted leaked.
 */
void bproc_stats_exit(void)
{
	long count;
	int i;

	for (i = 0; i < BPROC_STAT_NR; i++) {
		count = bproc_stat_read(i);
		if (count)
			pr_err("leak: %ld %s still allocated at exit\n",
			       count, bproc_stat_attrs[i].attr.name);
	}
}
