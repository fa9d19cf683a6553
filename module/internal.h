/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bproc.ko: the VMADump engine's declarations, and the headers of the
 * subsystems its files use.
 *
 * Every .c of the module has its own .h (module/stats.h, dev/notify.h,
 * module/ghost_table.h, ...), which says what the file offers; a file
 * includes the headers of what it uses.  Each subsystem offers
 * bproc_<x>_init() and bproc_<x>_exit(); module/main.c calls them in order
 * and unwinds in reverse.  Every non-static symbol of the module starts
 * with bproc_.
 */
#ifndef BPROC_INTERNAL_H
#define BPROC_INTERNAL_H

#include <linux/types.h>

#include "bprocfs.h"
#include "crc.h"
#include "nodes.h"
#include "stats.h"
#include "sysfs.h"
#include "vmad_libs.h"

struct bproc_dump_req;
struct file;
struct bproc_undump_req;

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

#endif /* BPROC_INTERNAL_H */
