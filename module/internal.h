/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bproc.ko: declarations shared between the subsystems of the module.
 *
 * Each subsystem offers bproc_<x>_init() and bproc_<x>_exit(); module/main.c
 * calls them in the order they appear below and unwinds in reverse.  Every
 * non-static symbol of the module starts with bproc_.
 */
#ifndef BPROC_INTERNAL_H
#define BPROC_INTERNAL_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/completion.h>
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
struct pid;
struct seq_file;
/*
 * For a show function of /proc/bproc/processes (opened by bprocfs.c): may
 * the reader see process @pid, and under which number (*@nr, its PID in the
 * reader's PID namespace)?  Follows the reader's /proc hidepid= and gid=.
 * Does not sleep (may be called under a spinlock).
 */
bool bproc_fs_process_visible(struct seq_file *m, struct pid *pid, pid_t *nr);

/* ------------------------------------------------------------------ */
/* dev/daemon.c: /dev/bproc/master and /dev/bproc/slave               */
/* ------------------------------------------------------------------ */

int bproc_daemon_init(void);
void bproc_daemon_exit(void);

/**
 * struct bproc_req - a kernel->bpmaster request waiting for its reply
 * @list:   in the pending list while unanswered; unlinked by whoever
 *          finishes it.
 * @id:     hdr.id of the request, unique for the module's life.
 * @result: the reply's hdr.result once unlinked by an answer.
 * @done:   completed by the answer.
 *
 * Lives on the waiter's stack: bproc_req_start() gives it an id and makes
 * it pending (send the request with that id), bproc_req_wait() waits for
 * the answer or gives up (-ETIMEDOUT, -EINTR; -ECONNRESET when bpmaster
 * goes away).
 */
struct bproc_req {
	struct list_head list;
	u64 id;
	int result;
	struct completion done;
};

void bproc_req_start(struct bproc_req *req);
int bproc_req_wait(struct bproc_req *req, unsigned long timeout, bool killable);

/* bpmaster's session, with a reference (bproc_master_put()), or NULL. */
struct bproc_chan *bproc_master_get(void);
void bproc_master_put(struct bproc_chan *ch);
/*
 * The session of this machine's daemon (bpmaster on the master, bpslave on
 * a slave), with a reference (bproc_master_put()), or NULL.
 */
struct bproc_chan *bproc_daemon_get(void);

/*
 * Ask bpmaster to act on node @node (BPROC_NODE_REQ_* @what with @arg) and
 * wait for its answer: 0 or a negative errno (-ENOTCONN: no bpmaster,
 * -ETIMEDOUT, -EINTR, or bpmaster's own answer).
 */
int bproc_master_node_request(int node, u32 what, u32 arg);
/* Tell bpmaster (if any) that a node's owner changed; best effort. */
void bproc_master_notify_owner(const struct bproc_node_entry *entry);

/* ------------------------------------------------------------------ */
/* dev/control.c: /dev/bproc/control                                  */
/* ------------------------------------------------------------------ */

int bproc_control_init(void);
void bproc_control_exit(void);

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
/*
 * A dump of another task (not @self) pins that task's mm and credentials
 * when it is created: 0 while the task still has both (and the same
 * dumpability), -EACCES once it exec'd or changed credentials, -ESRCH once
 * it exited.  bproc_vmad_dumper_next() checks this itself before any piece.
 */
int bproc_vmad_dumper_check(struct bproc_vmad_dumper *d);
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

/* ------------------------------------------------------------------ */
/* module/ghost.c: moving processes, ghosts                           */
/* ------------------------------------------------------------------ */

struct bproc_move_req;
long bproc_ghost_move_ioctl(struct file *file, struct bproc_move_req __user *ureq);
long bproc_ghost_execmove_ioctl(struct bproc_move_req __user *ureq);
/* bpmaster says: remote process @pid ended with wait status @status. */
void bproc_ghost_exit(int pid, int status);
/* bpmaster brings output of remote process @pid for descriptor @stream. */
int bproc_ghost_io(int pid, u32 stream, const void *data, size_t len);
/* bpmaster says: remote process @pid stopped with @sig. */
void bproc_ghost_stopped(int pid, int sig);
/*
 * BPROC_MSG_CALL: the ghost of @pid makes call @nr (@args; @data, @len:
 * a siginfo) and answers @id.  0, or -EINVAL, -ENOMEM (not answered).
 */
int bproc_ghost_call(int pid, u64 id, u32 nr, const u64 *args,
		     const void *data, size_t len);
/* BPROC_MSG_WHERE: the remote process @pid now runs on @node. */
void bproc_ghost_where(int pid, int node);
/*
 * BPROC_IOC_RETURN: the process @pid, on @node, comes back; its ghost
 * restores the image read from @src (a reference is taken) and answers
 * BPROC_MSG_ARRIVED with @id.  0, or -ESRCH, -EBUSY, -ENOMEM.
 */
int bproc_ghost_return(int pid, int node, u64 id, struct file *src);
/* Where process @pid (initial namespace) runs: a node, or BPROC_NODE_MASTER. */
int bproc_ghost_node(int pid);
struct seq_file;
/* /proc/bproc/processes: "PID NODE" for every remote process. */
int bproc_ghosts_show(struct seq_file *m, void *unused);
/* bpmaster is gone: every ghost ends as killed by SIGKILL. */
void bproc_ghosts_kill_all(void);
int bproc_ghost_init(void);
void bproc_ghost_exit_module(void);

#endif /* BPROC_INTERNAL_H */
