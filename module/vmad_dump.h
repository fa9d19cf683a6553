/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMADump, the dump side, inside: the dumper and what its files share
 * (vmad_dump.c: the engine; vmad_dump_mm.c: the VMA list;
 * vmad_dump_task.c: the process context; vmad_arch_x86.c: the registers).
 * The dump's interface is module/internal.h.
 */
#ifndef BPROC_VMAD_DUMP_H
#define BPROC_VMAD_DUMP_H

#include <linux/bproc_image.h>
#include <linux/types.h>

struct bproc_vmad_builder;
struct cred;
struct file;
struct mm_struct;
struct path;
struct task_struct;

/* A VMA as copied under mmap_read_lock, then classified. */
struct bproc_vmad_vma {
	unsigned long start;
	unsigned long end;
	unsigned long vm_flags;
	unsigned long pgoff;
	struct file *file;	/* pinned with get_file(), or NULL */
	bool anon;		/* has anonymous (COW) pages: vma->anon_vma */
	u8 kind;		/* VMAD_AREA_* */
	u8 dump_class;
	u16 prot;
	u16 flags;
	u32 path;
	u64 file_size;
	u32 file_crc;
};

enum bproc_vmad_state {
	BPROC_VMAD_S_PREFIX,
	BPROC_VMAD_S_CHUNKS,
	BPROC_VMAD_S_DATA,
	BPROC_VMAD_S_DONE,
};

struct bproc_vmad_dumper {
	struct task_struct *task;
	u32 flags;
	bool self;

	/* not @self: what the reader's rights were checked against */
	struct mm_struct *mm;		/* mmgrab()bed */
	const struct cred *cred;	/* the task's real_cred, a reference */
	int dumpable;
	int err;			/* sticky: the owner changed */

	struct bproc_vmad_vma *vmas;
	u32 nr_vmas;

	/* string table being collected: offsets into @strtab */
	char *strtab;
	size_t strtab_len;
	size_t strtab_cap;
	u32 *stroff;
	u32 nr_strings;
	u32 stroff_cap;

	u8 *prefix;
	size_t prefix_len;
	u32 seal;

	/* page data */
	enum bproc_vmad_state state;
	u32 area;		/* area being read */
	unsigned long next;	/* next address of @area to read */
	u8 *win;		/* VMAD_CHUNK_PAGES_MAX pages */
	unsigned long win_addr;
	u32 win_area;
	u32 win_pages;
	u32 win_pos;
	const u8 *data;		/* pages of the chunk just announced */
	size_t data_len;
	u64 nr_chunks;
	u64 nr_pages;
	struct vmad_chunk chunk;
	struct vmad_end end;
};

/* vmad_dump.c: the string table */
long bproc_vmad_add_string(struct bproc_vmad_dumper *d, const char *s,
			   size_t len);
char *bproc_vmad_d_path(const struct path *path, char *buf);

/* vmad_dump_mm.c: the VMA list */
void bproc_vmad_put_vmas(struct bproc_vmad_dumper *d);
int bproc_vmad_copy_vmas(struct bproc_vmad_dumper *d, struct mm_struct *mm,
			 struct vmad_mm *lay, struct vmad_auxv *auxv);
int bproc_vmad_classify(struct bproc_vmad_dumper *d, struct file *exe,
			char *pathbuf);

/* vmad_dump_task.c: the process context */
void bproc_vmad_get_thread(struct task_struct *t, struct vmad_thread *th);
int bproc_vmad_get_signals(struct task_struct *t, struct vmad_signals *s);
void bproc_vmad_build_cred(struct bproc_vmad_builder *b,
			   const struct cred *cred, int n);
int bproc_vmad_get_proc(struct bproc_vmad_dumper *d, struct vmad_proc *p,
			char *pathbuf, struct file *exe);
struct file *bproc_vmad_exe_file(struct mm_struct *mm);

/* vmad_arch_x86.c: the registers and the XSAVE state */
int bproc_vmad_get_regs(struct bproc_vmad_dumper *d, struct vmad_regs *regs,
			void **xstate);

#endif /* BPROC_VMAD_DUMP_H */
