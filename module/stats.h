/* SPDX-License-Identifier: GPL-2.0 */
/* module/stats.c: object accounting, /sys/bproc/stats. */
#ifndef BPROC_STATS_H
#define BPROC_STATS_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/init.h>

struct attribute_group;

/*
 * The classes of objects bproc counts.  The distribution kernel has no
 * KMEMLEAK, so every object of a class is counted when it is allocated and
 * uncounted when it is freed; /sys/bproc/stats/<name> shows the count and
 * module exit reports any class that is not back to zero.
 *
 * Adding a class: one line here, its line in bproc_stat_attrs[] (stats.c)
 * and its stanza in Documentation/ABI/testing/sysfs-bproc.
 */
enum bproc_stat {
	BPROC_STAT_SESSIONS,	/* open /dev/bproc/{master,slave} files */
	BPROC_STAT_MESSAGES,	/* kernel->daemon messages, queued or not */
	BPROC_STAT_DUMPS,	/* VMADump dumps in progress (ioctl or /proc) */
	BPROC_STAT_NODES,	/* nodes in the node table */
	BPROC_STAT_GHOSTS,	/* ghosts of remote processes (and moves in flight) */
	BPROC_STAT_NR
};

extern atomic_long_t bproc_stats[BPROC_STAT_NR];

static inline void bproc_stat_inc(enum bproc_stat stat)
{
	atomic_long_inc(&bproc_stats[stat]);
}

/* A counter going below zero means an object was freed twice. */
static inline void bproc_stat_dec(enum bproc_stat stat)
{
	WARN_ON_ONCE(atomic_long_dec_return(&bproc_stats[stat]) < 0);
}

static inline long bproc_stat_read(enum bproc_stat stat)
{
	return atomic_long_read(&bproc_stats[stat]);
}

/* /sys/bproc/stats: sysfs/sysfs.c adds it to /sys/bproc. */
extern const struct attribute_group bproc_stats_group;

int bproc_stats_init(void);
void bproc_stats_exit(void);

#endif /* BPROC_STATS_H */
