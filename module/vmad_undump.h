/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMADump undump, inside: one restore in progress and what its files share
 * (vmad_undump.c: checks and the ioctl; vmad_undump_files.c: the
 * referenced files; vmad_undump_apply.c: after the point of no return;
 * vmad_arch_x86.c: registers and FPU).  The undump's interface is
 * module/internal.h.
 */
#ifndef BPROC_VMAD_UNDUMP_H
#define BPROC_VMAD_UNDUMP_H

#include <linux/bproc.h>
#include <linux/types.h>

#include "vmad_check.h"

struct cred;
struct file;

/*
 * struct undump - one restore in progress
 * @img:       the validated prefix (points into @prefix).
 * @files:     per area: the opened, fingerprinted file of a FILE area.
 * @exe:       the new exe file (write access denied), or NULL: keep the
 *             caller's.
 * @cred:      the image's credentials, or NULL: keep the caller's.
 * @src:       the descriptor page data is read from.
 * @bounce:    one chunk of page data.
 * @xbuf:      the XSAVE buffer at this kernel's size.
 * @keep_vdso, @keep_vvar: the caller's [vdso]/[vvar] are at the image's
 *             addresses and stay mapped.
 * @may_set_exe: the caller (not the image's credentials) may set the exe
 *             file.
 * @no_kill:   a failure after the point of no return does not kill the
 *             caller: it repairs itself (a ghost, bproc_vmad_undump_file()).
 */
struct undump {
	struct bproc_undump_req req;
	u8 *prefix;
	struct bproc_vmad_image img;
	struct vmad_regs regs;
	struct vmad_thread thread;
	struct vmad_signals sig;
	struct vmad_mm mm;
	struct vmad_cred cred_rec;
	struct vmad_proc proc;
	struct vmad_area vdso, vvar;
	bool keep_vdso, keep_vvar;
	bool may_set_exe;
	bool no_kill;
	struct file **files;
	struct file *exe;
	struct cred *cred;
	struct file *src;
	u8 *bounce;
	u8 *xbuf;
	size_t xbuf_size;
};

/* The bounce buffer: one chunk of page data at most. */
#define UNDUMP_CHUNK_MAX	(VMAD_CHUNK_PAGES_MAX * VMAD_PAGE_SIZE)

/* vmad_undump.c: the log line of a bad image */
void bproc_vmad_undump_bad_image(const struct bproc_vmad_err *err, int ret);

/* vmad_undump_files.c: the referenced files */
int bproc_vmad_undump_open_files(struct undump *u);
void bproc_vmad_undump_open_exe(struct undump *u);
void bproc_vmad_undump_close_fds(void);

/* vmad_undump_apply.c: after the point of no return */
/* Read exactly @len bytes from the image's descriptor. */
int bproc_vmad_undump_read(struct undump *u, void *buf, size_t len);
int bproc_vmad_undump_apply(struct undump *u, long *ax);

/* vmad_arch_x86.c: the XSAVE state, the registers and the FPU */
int bproc_vmad_undump_check_xstate(struct undump *u);
long bproc_vmad_undump_set_regs(struct undump *u);
int bproc_vmad_undump_set_fpu(struct undump *u);

#endif /* BPROC_VMAD_UNDUMP_H */
