/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bproc.ko: declarations shared between the subsystems of the module.
 *
 * Each subsystem offers bproc_<x>_init() and bproc_<x>_exit(); module/main.c
 * calls them in order and unwinds in reverse.  Every non-static symbol of
 * the module starts with bproc_.  The subsystems below are declared here;
 * the devices (dev/), the daemon messages and the ghosts have one header
 * per file (dev/daemon.h, dev/notify.h, module/ghost_table.h, ...).
 */
#ifndef BPROC_INTERNAL_H
#define BPROC_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/list.h>
#include <linux/init.h>
#include <linux/types.h>

struct attribute_group;
struct kobject;
struct kset;
struct bproc_dump_req;
struct bproc_undump_req;

/* ------------------------------------------------------------------ */
/* module/stats.c: object accounting                                  */
/* ------------------------------------------------------------------ */

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

/* ------------------------------------------------------------------ */
/* sysfs/sysfs.c: /sys/bproc                                          */
/* ------------------------------------------------------------------ */

/* /sys/bproc itself. */
extern struct kobject *bproc_kobj;
/* /sys/bproc/nodes: the kset every node's kobject joins (kobj.kset). */
extern struct kset *bproc_nodes_kset;

int bproc_sysfs_init(void);
void bproc_sysfs_exit(void);

/* ------------------------------------------------------------------ */
/* module/nodes.c: the node table, /sys/bproc/nodes/N/                */
/* ------------------------------------------------------------------ */

struct bproc_node_entry;

/* /sys/bproc/{numnodes,master_addr}: sysfs/sysfs.c adds it to /sys/bproc. */
extern const struct attribute_group bproc_cluster_group;

int bproc_nodes_set_size(const void *owner, bool master, int numnodes,
			 int self, __be32 master_addr);
bool bproc_nodes_owned_by(const void *owner);
int bproc_nodes_apply(const void *owner, const struct bproc_node_entry *entries,
		      u32 count, bool owner_ok);
void bproc_nodes_owner_gone(const void *owner);
int bproc_nodes_self(void);
int bproc_node_access(int nr);
/* BPROC_STATUS_* of node @nr, or -ENODEV. */
int bproc_node_status(int nr);
int bproc_nodes_init(void);
void bproc_nodes_exit(void);

/* ------------------------------------------------------------------ */
/* module/bprocfs.c: the file system "bproc", mounted on /proc/bproc  */
/* ------------------------------------------------------------------ */

int bproc_fs_init(void);
void bproc_fs_exit(void);

/* module/vmad_dump.c, module/vmad_undump.c: the VMADump ioctls. */
long bproc_vmad_dump_ioctl(struct bproc_dump_req __user *ureq);
long bproc_vmad_undump_ioctl(struct bproc_undump_req __user *ureq);
/*
 * Restore the image read from @src into the calling task (a ghost whose
 * process comes back).  0 with *@ax the restored process's rax; or a
 * negative errno, with *@lost true if it came after the point of no return:
 * the caller's memory is then in pieces, for it to clear (it is not killed).
 */
int bproc_vmad_undump_file(struct file *src, u32 flags, long *ax, bool *lost);

/* ------------------------------------------------------------------ */
/* module/vmad_dump.c: the dump engine                                */
/* ------------------------------------------------------------------ */

struct bproc_vmad_dumper;
struct task_struct;

/*
 * A dump of @task (current when @self, else a stopped task) with the
 * VMAD_DUMP_* @flags: checks what must be refused, builds the prefix.
 * Then bproc_vmad_dumper_next() hands out the image piece by piece (0 at
 * the end, -errno on error); bproc_vmad_dumper_free() releases it all.
 */
struct bproc_vmad_dumper *bproc_vmad_dumper_create(struct task_struct *task,
						   u32 flags, bool self);
ssize_t bproc_vmad_dumper_next(struct bproc_vmad_dumper *d, const void **p);
void bproc_vmad_dumper_free(struct bproc_vmad_dumper *d);

/* ------------------------------------------------------------------ */
/* module/crc.c: CRC-32C, the faster implementation on this machine   */
/* ------------------------------------------------------------------ */

/* Times crc32c() against __crc32c_le() and keeps the faster (no failure). */
void bproc_crc_init(void);

/* ------------------------------------------------------------------ */
/* module/vmad_libs.c: the remote-file list, /proc/bproc/libraries    */
/* ------------------------------------------------------------------ */

/* Is @path on the remote-file list (exactly, or under a "dir/" entry)? */
bool bproc_vmad_is_lib(const char *path);
/* The file operations of /proc/bproc/libraries (bprocfs.c makes the inode). */
extern const struct file_operations bproc_vmad_libs_fops;
int bproc_vmad_libs_init(void);
void bproc_vmad_libs_exit(void);

#endif /* BPROC_INTERNAL_H */
