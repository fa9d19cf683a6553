/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * bproc - VMADump process images: the binary format.
 *
 * A VMADump image is what bproc_vmadump() writes, /proc/bproc/<pid>/image
 * reads and the undump ioctl restores.  It travels over files, pipes and
 * sockets, between nodes, and may be kept on disk (checkpoint/restart), so
 * the receiving kernel treats it as untrusted input: common/vmad_check.c
 * validates every byte of it before anything is applied.  The format is
 * documented in Documentation/image-format.md; this header is its exact
 * definition, field by field.
 *
 * Same rules as <linux/bproc.h>: fixed-width types only, natural alignment,
 * explicit padding, no enums, bitfields or longs; "reserved" fields are zero
 * on write and rejected (-EINVAL) when not zero; every struct's size is
 * pinned (the VMAD_*_SIZE constants at the end: BUILD_BUG_ON in the kernel,
 * _Static_assert in user space).  All fields are little-endian (the byte
 * order of the only architecture, x86-64).
 *
 * Layout of an image:
 *
 *   offset 0     struct vmad_header                      (48 bytes)
 *   48           records, each: struct vmad_record (16 bytes), payload,
 *                zero padding to a multiple of 8 bytes; the types in this
 *                order, each exactly once:
 *                  VMAD_REC_REGS     struct vmad_regs
 *                  VMAD_REC_XSTATE   the uabi XSAVE buffer (NT_X86_XSTATE)
 *                  VMAD_REC_THREAD   struct vmad_thread
 *                  VMAD_REC_SIGNALS  struct vmad_signals
 *                  VMAD_REC_MM       struct vmad_mm, vmad_auxv[nr_auxv]
 *                  VMAD_REC_CRED     struct vmad_cred, __u32 groups[ngroups]
 *                  VMAD_REC_PROC     struct vmad_proc
 *                  VMAD_REC_AREAS    struct vmad_area[]
 *                  VMAD_REC_STRINGS  struct vmad_strings, __u32 offsets[],
 *                                    the string bytes
 *                  VMAD_REC_END      struct vmad_seal
 *   prefix_size  page data: struct vmad_chunk + nr_pages pages, repeated,
 *                then struct vmad_end.
 *
 * Everything before prefix_size is the "prefix": it is read whole and
 * validated before the restore reaches its point of no return.  Page data is
 * streamed after it and checked chunk by chunk.
 *
 * Checksums are CRC-32C (Castagnoli; the iSCSI/ext4 CRC: reflected,
 * polynomial 0x82f63b78, initial value and final xor 0xffffffff;
 * CRC-32C("123456789") = 0xe3069283).  They catch corruption, not malice:
 * whoever writes an image can compute them, so the field checks, not the
 * checksums, are what make a hostile image harmless.
 *
 * Format version history (VMAD_VERSION):
 *  1  the format described here.
 */
#ifndef _UAPI_LINUX_BPROC_IMAGE_H
#define _UAPI_LINUX_BPROC_IMAGE_H

#include <linux/types.h>

/* ------------------------------------------------------------------ */
/* Dump flags (bproc_vmadump(), the undump ioctl; as the original)    */
/* ------------------------------------------------------------------ */

/*
 * A read-only file mapping is sent as a reference to the file unless the
 * flag of its class is set, in which case its data is sent.  The executable
 * is class EXEC, a file on the remote-file list (/proc/bproc/libraries) is
 * class LIBS, any other file is class OTHER.  Writable and anonymous areas
 * are always sent as data.  VMAD_DUMP_ALL makes a self-contained image.
 */
#define VMAD_DUMP_LIBS		0x1
#define VMAD_DUMP_EXEC		0x2
#define VMAD_DUMP_OTHER		0x4
#define VMAD_DUMP_ALL		(VMAD_DUMP_LIBS | VMAD_DUMP_EXEC | VMAD_DUMP_OTHER)

/* The bproc 4 names of the same flags. */
#define BPROC_DUMP_LIBS		VMAD_DUMP_LIBS
#define BPROC_DUMP_EXEC		VMAD_DUMP_EXEC
#define BPROC_DUMP_OTHER	VMAD_DUMP_OTHER
#define BPROC_DUMP_ALL		VMAD_DUMP_ALL

/* ------------------------------------------------------------------ */
/* Constants and limits                                               */
/* ------------------------------------------------------------------ */

/* struct vmad_header.magic: "\177VMADUMP", in the spirit of ELF's. */
#define VMAD_MAGIC		"\177VMADUMP"
#define VMAD_MAGIC_LEN		8

/* The format version this header describes (struct vmad_header.version). */
#define VMAD_VERSION		1

/* struct vmad_header.arch: ELF machine numbers.  Only x86-64 exists. */
#define VMAD_ARCH_X86_64	62	/* EM_X86_64 */

/* struct vmad_header.page_size on x86-64. */
#define VMAD_PAGE_SIZE		4096
#define VMAD_PAGE_SHIFT		12

/*
 * Every address in an image is below this: TASK_SIZE_MAX of x86-64 with
 * 4-level paging, (1 << 47) - 4096.  An area ends at or below it.  A process
 * that mapped above it (5-level paging with an explicit hint) cannot be
 * dumped.
 */
#define VMAD_TASK_SIZE_MAX	0x00007ffffffff000ULL

/* Limits; each is checked by the validator.  Over a limit is -E2BIG. */
#define VMAD_AREAS_MAX		65536	/* memory areas (vm.max_map_count is 65530) */
#define VMAD_GROUPS_MAX		65536	/* supplementary groups (NGROUPS_MAX) */
#define VMAD_AUXV_MAX		64	/* auxv pairs, the closing AT_NULL included */
#define VMAD_XSTATE_MIN		576	/* legacy area (512) + XSAVE header (64) */
#define VMAD_XSTATE_MAX		65536	/* XSAVE buffer bytes */
#define VMAD_PATH_MAX		4096	/* path bytes, the NUL included (PATH_MAX) */
#define VMAD_STRINGS_MAX	(VMAD_AREAS_MAX + 2) /* one per area, cwd, exe */
#define VMAD_STRTAB_MAX		(4 << 20)	/* bytes of string data */
#define VMAD_RSEQ_LEN_MIN	32	/* sizeof(struct rseq) in 6.1 */
#define VMAD_RSEQ_LEN_MAX	1024	/* later kernels may extend struct rseq */
#define VMAD_CHUNK_PAGES_MAX	256	/* pages in one chunk of page data (1 MiB) */
#define VMAD_PREFIX_MAX		(8 << 20)	/* header + records, bytes */

#define VMAD_NSIG		64	/* signal actions in struct vmad_signals */
#define VMAD_RLIM_NLIMITS	16	/* rlimits in struct vmad_proc (RLIM_NLIMITS) */
#define VMAD_COMM_LEN		16	/* TASK_COMM_LEN */

/* "No string": a string reference that refers to nothing. */
#define VMAD_NO_STRING		0xffffffffU

/* ------------------------------------------------------------------ */
/* The header                                                         */
/* ------------------------------------------------------------------ */

/*
 * struct vmad_header - the first 48 bytes of every image
 * @magic:       VMAD_MAGIC (8 bytes, no terminator).  Else -ENOEXEC.
 * @version:     VMAD_VERSION of the writer.  A reader accepts 1 up to its
 *               own VMAD_VERSION; a newer one is -EOPNOTSUPP, 0 -EINVAL.
 * @arch:        VMAD_ARCH_X86_64.  Else -ENOEXEC.
 * @page_size:   VMAD_PAGE_SIZE.  Else -ENOEXEC.
 * @dump_flags:  the VMAD_DUMP_* flags the image was made with; no other bit.
 * @prefix_size: bytes from offset 0 to the end of the VMAD_REC_END record,
 *               i.e. where page data starts; a multiple of 8 and at most
 *               VMAD_PREFIX_MAX (else -E2BIG).  A reader reads these 48
 *               bytes, checks them, then reads prefix_size - 48 more.
 * @reserved:    zero.
 * @crc:         CRC-32C of bytes 0..43 of this header.
 *
 * The header's layout is the same in every format version (later versions
 * may give a reserved field a meaning, nothing moves), so the magic and the
 * checksum are checked before the version: a corrupted version field reads
 * as corruption (-EBADMSG), not as a newer format.
 */
struct vmad_header {
	__u8  magic[VMAD_MAGIC_LEN];
	__u32 version;
	__u32 arch;
	__u32 page_size;
	__u32 dump_flags;
	__u64 prefix_size;
	__u32 reserved[3];
	__u32 crc;
};

/* ------------------------------------------------------------------ */
/* Records                                                            */
/* ------------------------------------------------------------------ */

/* struct vmad_record.type, in the order the records appear. */
#define VMAD_REC_REGS		1
#define VMAD_REC_XSTATE		2
#define VMAD_REC_THREAD		3
#define VMAD_REC_SIGNALS	4
#define VMAD_REC_MM		5
#define VMAD_REC_CRED		6
#define VMAD_REC_PROC		7
#define VMAD_REC_AREAS		8
#define VMAD_REC_STRINGS	9
#define VMAD_REC_END		10
#define VMAD_REC_NR		10	/* the highest type */

/*
 * struct vmad_record - the header of every record
 * @type:     VMAD_REC_*; version 1 has every type exactly once, in
 *            increasing order, from 1 to VMAD_REC_END.
 * @size:     bytes of payload following this header, padding excluded.  Each
 *            type has its own bounds (below).  The payload is followed by
 *            zero bytes up to the next multiple of 8, so the next record
 *            starts 8-aligned.
 * @reserved: zero.
 * @crc:      CRC-32C of the first 12 bytes of this header, then the payload
 *            (not the padding, which must be zero).
 */
struct vmad_record {
	__u32 type;
	__u32 size;
	__u32 reserved;
	__u32 crc;
};

/*
 * VMAD_REC_REGS: struct vmad_regs - general registers
 *
 * The layout of x86-64's struct user_regs_struct (<sys/user.h>, the
 * NT_PRSTATUS regset), every field 64 bits, as the task will resume.  For a
 * task stopped in a system call the dumper has already applied the restart
 * rules (Documentation/kernel-notes.md); @ax is what the restored task sees
 * as the result of its last system call, @orig_ax is informational (the
 * restore sets -1).
 * @fs_base and @gs_base are the thread's TLS bases (ARCH_SET_FS/GS).
 * Checked: @ip, @fs_base, @gs_base < VMAD_TASK_SIZE_MAX; @cs == 0x33
 * (__USER_CS) and @ss == 0x2b (__USER_DS), i.e. a 64-bit task; @ds, @es,
 * @fs, @gs are 0 or a selector with RPL 3 (at most 0xffff); @flags has no
 * bit above bit 21 (the highest EFLAGS bit, ID).
 */
struct vmad_regs {
	__u64 r15;
	__u64 r14;
	__u64 r13;
	__u64 r12;
	__u64 bp;
	__u64 bx;
	__u64 r11;
	__u64 r10;
	__u64 r9;
	__u64 r8;
	__u64 ax;
	__u64 cx;
	__u64 dx;
	__u64 si;
	__u64 di;
	__u64 orig_ax;
	__u64 ip;
	__u64 cs;
	__u64 flags;
	__u64 sp;
	__u64 ss;
	__u64 fs_base;
	__u64 gs_base;
	__u64 ds;
	__u64 es;
	__u64 fs;
	__u64 gs;
};

#define VMAD_USER_CS		0x33
#define VMAD_USER_DS		0x2b

/*
 * VMAD_REC_XSTATE: the FPU and extended register state
 *
 * The payload is the user-ABI XSAVE buffer exactly as regset_get() of
 * NT_X86_XSTATE produces it (standard, non-compacted format), and its length
 * is the record's @size: VMAD_XSTATE_MIN <= size <= VMAD_XSTATE_MAX.  Its
 * 64-byte XSAVE header at offset 512 is checked as the kernel's
 * fpu_copy_uabi_to_guest_fpstate() will check it: XCOMP_BV (offset 520) zero,
 * the 48 reserved bytes (offset 528) zero, and when XSTATE_BV (offset 512)
 * has x87, SSE or AVX, no MXCSR bit above 15.  Whether the receiving CPU
 * supports every feature in XSTATE_BV is for the restore to check (it knows
 * the CPU); the validator hands it XSTATE_BV.
 */
#define VMAD_XSTATE_HDR_OFFSET	512
#define VMAD_XSTATE_MXCSR_OFFSET 24

/*
 * VMAD_REC_THREAD: struct vmad_thread - per-thread kernel state
 * @rseq:            address of the registered struct rseq, or 0.  Aligned
 *                   to 32 bytes; @rseq + @rseq_len <= VMAD_TASK_SIZE_MAX.
 * @rseq_len:        its registered length: VMAD_RSEQ_LEN_MIN..._MAX; 0 when
 *                   @rseq is 0.
 * @rseq_sig:        the signature registered with it; 0 when @rseq is 0.
 * @robust_list:     head of the robust futex list (set_robust_list()), or 0.
 * @clear_child_tid: the CLONE_CHILD_CLEARTID / set_tid_address() address,
 *                   or 0.
 * @ss_sp:           sigaltstack base (0 when disabled).
 * @ss_size:         sigaltstack size (0 when disabled); @ss_sp + @ss_size
 *                   <= VMAD_TASK_SIZE_MAX.
 * @ss_flags:        the stored sigaltstack mode: 0, SS_ONSTACK (1) or
 *                   SS_DISABLE (2), optionally with SS_AUTODISARM (1 << 31).
 * @reserved:        zero.
 * All addresses < VMAD_TASK_SIZE_MAX.
 */
struct vmad_thread {
	__u64 rseq;
	__u32 rseq_len;
	__u32 rseq_sig;
	__u64 robust_list;
	__u64 clear_child_tid;
	__u64 ss_sp;
	__u64 ss_size;
	__u32 ss_flags;
	__u32 reserved;
};

#define VMAD_SS_ONSTACK		1
#define VMAD_SS_DISABLE		2
#define VMAD_SS_AUTODISARM	(1U << 31)

/*
 * VMAD_REC_SIGNALS: struct vmad_signals - signal actions and mask
 * @action:  action[n - 1] is the action of signal n (1..64), as the kernel's
 *           struct k_sigaction:
 *   @handler:  0 (SIG_DFL), 1 (SIG_IGN) or an address < VMAD_TASK_SIZE_MAX.
 *   @flags:    SA_* bits the kernel keeps (UAPI_SA_FLAGS: SA_NOCLDSTOP,
 *              SA_NOCLDWAIT, SA_SIGINFO, SA_EXPOSE_TAGBITS, SA_RESTORER,
 *              SA_ONSTACK, SA_RESTART, SA_NODEFER, SA_RESETHAND); no other.
 *   @restorer: 0 or an address < VMAD_TASK_SIZE_MAX.
 *   @mask:     signals blocked while the handler runs; bit n - 1 is signal
 *              n.  Never SIGKILL or SIGSTOP.
 *   The actions of SIGKILL (9) and SIGSTOP (19) are all zero.
 * @blocked: the thread's blocked mask, same encoding, never SIGKILL/SIGSTOP.
 * @reserved: zero.
 * Pending signals are not part of the image.
 */
struct vmad_sigaction {
	__u64 handler;
	__u64 flags;
	__u64 restorer;
	__u64 mask;
};

struct vmad_signals {
	struct vmad_sigaction action[VMAD_NSIG];
	__u64 blocked;
	__u64 reserved;
};

#define VMAD_SA_FLAGS		0xdc000807ULL	/* UAPI_SA_FLAGS of x86-64 */
#define VMAD_SIGKILL		9
#define VMAD_SIGSTOP		19

/*
 * VMAD_REC_MM: struct vmad_mm - the memory layout the kernel keeps in mm_struct
 * @start_code .. @env_end: as in mm_struct (and prctl(PR_SET_MM_MAP)); each
 *              < VMAD_TASK_SIZE_MAX, and start_code <= end_code,
 *              start_data <= end_data, start_brk <= brk,
 *              arg_start <= arg_end, env_start <= env_end.
 * @nr_auxv:    number of struct vmad_auxv pairs that follow: 1..VMAD_AUXV_MAX.
 *              The last pair is (AT_NULL, 0), and only the last has type 0.
 *              Pairs whose value is an address (AT_PHDR, AT_BASE, AT_ENTRY,
 *              AT_PLATFORM, AT_RANDOM, AT_EXECFN, AT_BASE_PLATFORM,
 *              AT_SYSINFO_EHDR) have a value < VMAD_TASK_SIZE_MAX.
 * @reserved:   zero.
 * Record size: sizeof(struct vmad_mm) + nr_auxv * sizeof(struct vmad_auxv).
 */
struct vmad_mm {
	__u64 start_code;
	__u64 end_code;
	__u64 start_data;
	__u64 end_data;
	__u64 start_brk;
	__u64 brk;
	__u64 start_stack;
	__u64 arg_start;
	__u64 arg_end;
	__u64 env_start;
	__u64 env_end;
	__u32 nr_auxv;
	__u32 reserved;
};

struct vmad_auxv {
	__u64 type;
	__u64 value;
};

/*
 * VMAD_REC_CRED: struct vmad_cred - credentials
 * @uid .. @fsgid: ids as seen from the initial user namespace; never
 *                 0xffffffff (the invalid id).  The restore applies them only
 *                 when the restoring caller may (root); otherwise the
 *                 restored process keeps the caller's.
 * @ngroups:       number of supplementary groups that follow:
 *                 0..VMAD_GROUPS_MAX, in ascending order as the kernel keeps
 *                 them, none 0xffffffff.
 * @reserved:      zero.
 * Record size: sizeof(struct vmad_cred) + ngroups * 4.
 * Capabilities are not part of the image.
 */
struct vmad_cred {
	__u32 uid;
	__u32 euid;
	__u32 suid;
	__u32 fsuid;
	__u32 gid;
	__u32 egid;
	__u32 sgid;
	__u32 fsgid;
	__u32 ngroups;
	__u32 reserved;
};

#define VMAD_INVALID_ID		0xffffffffU

/*
 * VMAD_REC_PROC: struct vmad_proc - the rest of the process context
 * @rlim:        the rlimits, indexed by RLIMIT_* (0..15); cur <= max;
 *               RLIM_INFINITY is ~0ULL.
 * @comm:        the task's name: NUL-terminated within its 16 bytes and
 *               NUL-padded after the terminator (may be empty).
 * @cwd:         string index of the working directory (absolute path).
 * @exe:         string index of the executable (absolute path), or
 *               VMAD_NO_STRING when the process has none.
 * @umask:       0..0777.
 * @nice:        -20..19.
 * @personality: PER_LINUX (0) with any of the personality flags in
 *               VMAD_PERSONALITY_FLAGS; nothing else.
 * @flags:       VMAD_PROC_*.
 */
struct vmad_rlimit {
	__u64 cur;
	__u64 max;
};

struct vmad_proc {
	struct vmad_rlimit rlim[VMAD_RLIM_NLIMITS];
	char  comm[VMAD_COMM_LEN];
	__u32 cwd;
	__u32 exe;
	__u32 umask;
	__s32 nice;
	__u32 personality;
	__u32 flags;
};

/* UNAME26 .. ADDR_LIMIT_3GB of <linux/personality.h>. */
#define VMAD_PERSONALITY_FLAGS	0x0ffe0000U

#define VMAD_PROC_NO_NEW_PRIVS	0x1	/* prctl(PR_SET_NO_NEW_PRIVS) was set */
#define VMAD_PROC_FLAGS		(VMAD_PROC_NO_NEW_PRIVS)

/*
 * VMAD_REC_AREAS: struct vmad_area[] - the memory areas, one per VMA
 *
 * The record holds 1..VMAD_AREAS_MAX entries (size is a multiple of 48),
 * sorted by address and not overlapping: start < end, both multiples of
 * VMAD_PAGE_SIZE, end <= VMAD_TASK_SIZE_MAX, end <= the next area's start.
 *
 * @start:      first address of the area.
 * @end:        one past the last address.
 * @offset:     for an area with a @path, the file offset mapped at @start:
 *              page-aligned, and @offset + (@end - @start) <=
 *              VMAD_FILE_OFFSET_MAX (the kernel's limit for a mapping of a
 *              regular file); otherwise 0.
 * @file_size:  VMAD_AREA_FILE: the file's size in bytes at dump time
 *              (< 2^63), part of its fingerprint; otherwise 0.
 * @path:       string index of the mapped file's absolute path, or
 *              VMAD_NO_STRING.  Required for VMAD_AREA_FILE; optional
 *              (informational) for a DATA area copied from a file; none for
 *              anonymous, VDSO and VVAR areas.
 * @file_crc:   VMAD_AREA_FILE: the fingerprint's checksum: CRC-32C of the
 *              file's bytes from @offset to the smaller of
 *              @offset + (@end - @start) and @file_size (empty, crc 0, when
 *              @offset >= @file_size).  Otherwise 0.
 * @prot:       VMAD_PROT_* (PROT_READ/WRITE/EXEC values); no other bit.
 * @flags:      VMAD_AREA_F_*; no other bit.
 * @kind:       VMAD_AREA_*: how the contents travel (below).
 * @dump_class: for an area with a @path, the class of its file: exactly one
 *              of VMAD_DUMP_LIBS, VMAD_DUMP_EXEC, VMAD_DUMP_OTHER; otherwise
 *              0.
 * @reserved:   zero.
 *
 * Kinds:
 *  VMAD_AREA_DATA  contents travel as page data (chunks after the prefix);
 *                  pages not sent are zero.  Restored as private anonymous
 *                  memory.  Any @prot; VMAD_AREA_F_GROWSDOWN only without a
 *                  @path.
 *  VMAD_AREA_FILE  a reference: the restore maps @path privately at @offset
 *                  after checking the fingerprint (@file_size, @file_crc).
 *                  Never writable; no VMAD_AREA_F_GROWSDOWN; @dump_class
 *                  is not in the header's dump_flags (else it is sent as
 *                  data).
 *  VMAD_AREA_VDSO  where the task's [vdso] was; no contents (the receiving
 *  VMAD_AREA_VVAR  kernel's own are moved there).  At most one of each; no
 *                  @path, @offset, flags or class.
 */
struct vmad_area {
	__u64 start;
	__u64 end;
	__u64 offset;
	__u64 file_size;
	__u32 path;
	__u32 file_crc;
	__u16 prot;
	__u16 flags;
	__u8  kind;
	__u8  dump_class;
	__u16 reserved;
};

#define VMAD_PROT_READ		0x1
#define VMAD_PROT_WRITE		0x2
#define VMAD_PROT_EXEC		0x4
#define VMAD_PROT_ALL		(VMAD_PROT_READ | VMAD_PROT_WRITE | VMAD_PROT_EXEC)

#define VMAD_AREA_F_GROWSDOWN	0x1	/* a stack (VM_GROWSDOWN) */
#define VMAD_AREA_F_SHARED	0x2	/* was MAP_SHARED; restored private */
#define VMAD_AREA_F_ALL		(VMAD_AREA_F_GROWSDOWN | VMAD_AREA_F_SHARED)

#define VMAD_AREA_DATA		1
#define VMAD_AREA_FILE		2
#define VMAD_AREA_VDSO		3
#define VMAD_AREA_VVAR		4

/* Largest offset + length of a file area (MAX_LFS_FILESIZE) and file size. */
#define VMAD_FILE_OFFSET_MAX	0x7fffffffffffffffULL

/*
 * VMAD_REC_STRINGS: struct vmad_strings - the string table (paths)
 * @nr_strings: number of strings: 0..VMAD_STRINGS_MAX.
 * @data_size:  bytes of string data: 0..VMAD_STRTAB_MAX.
 *
 * Followed by __u32 offsets[nr_strings], then data_size bytes of string
 * data.  Record size: 8 + 4 * nr_strings + data_size.  String i occupies
 * the data bytes [offsets[i], end), where end is offsets[i + 1] (or
 * data_size for the last string); so offsets[0] is 0 and the offsets
 * increase.  Its last byte is its NUL terminator and it has no other NUL;
 * it starts with '/' (absolute) and is at most VMAD_PATH_MAX bytes long,
 * the NUL included.  A string is referenced by its index i; @path, @cwd and
 * @exe fields are indices < nr_strings or VMAD_NO_STRING.
 */
struct vmad_strings {
	__u32 nr_strings;
	__u32 data_size;
};

/*
 * VMAD_REC_END: struct vmad_seal - closes the prefix
 * @prefix_crc: CRC-32C of every byte of the image before this record's
 *              header (the header and all other records with padding).
 *              Each chunk of page data carries it too, which ties page data
 *              to its prefix.
 * @reserved:   zero.
 * The record ends at exactly the header's prefix_size.
 */
struct vmad_seal {
	__u32 prefix_crc;
	__u32 reserved;
};

/* ------------------------------------------------------------------ */
/* Page data                                                          */
/* ------------------------------------------------------------------ */

/* struct vmad_chunk.type / struct vmad_end.type */
#define VMAD_CHUNK_PAGES	1
#define VMAD_CHUNK_END		2

/*
 * struct vmad_chunk - one run of pages of a DATA area, followed by the pages
 * @type:     VMAD_CHUNK_PAGES.
 * @area:     index of a VMAD_AREA_DATA area in the area table.
 * @addr:     address of the first page: page-aligned, within the area.
 * @nr_pages: pages that follow this header: 1..VMAD_CHUNK_PAGES_MAX, all
 *            within the area.
 * @data_crc: CRC-32C of the nr_pages * VMAD_PAGE_SIZE bytes that follow.
 * @seal:     the prefix's vmad_seal.prefix_crc.
 * @crc:      CRC-32C of bytes 0..27 of this header.
 *
 * Chunks come in table order of their areas and by increasing address within
 * an area, never overlapping: a chunk starts at or after the end of the one
 * before.  All-zero pages are not sent.  struct vmad_end follows the last
 * chunk (or the prefix, when no page is sent).
 */
struct vmad_chunk {
	__u32 type;
	__u32 area;
	__u64 addr;
	__u32 nr_pages;
	__u32 data_crc;
	__u32 seal;
	__u32 crc;
};

/*
 * struct vmad_end - the end of an image
 * @type:      VMAD_CHUNK_END.
 * @reserved:  zero.
 * @nr_chunks: number of chunks sent.
 * @nr_pages:  number of pages sent, over all chunks.
 * @seal:      the prefix's vmad_seal.prefix_crc.
 * @crc:       CRC-32C of bytes 0..27 of this trailer.
 * Nothing follows it.
 */
struct vmad_end {
	__u32 type;
	__u32 reserved;
	__u64 nr_chunks;
	__u64 nr_pages;
	__u32 seal;
	__u32 crc;
};

/* ------------------------------------------------------------------ */
/* Size pins                                                          */
/* ------------------------------------------------------------------ */
#define VMAD_HEADER_SIZE	48
#define VMAD_RECORD_SIZE	16
#define VMAD_REGS_SIZE		216
#define VMAD_THREAD_SIZE	56
#define VMAD_SIGACTION_SIZE	32
#define VMAD_SIGNALS_SIZE	2064
#define VMAD_MM_SIZE		96
#define VMAD_AUXV_SIZE		16
#define VMAD_CRED_SIZE		40
#define VMAD_RLIMIT_SIZE	16
#define VMAD_PROC_SIZE		296
#define VMAD_AREA_SIZE		48
#define VMAD_STRINGS_SIZE	8
#define VMAD_SEAL_SIZE		8
#define VMAD_CHUNK_SIZE		32
#define VMAD_END_SIZE		32

/* The largest prefix the limits allow: every record at its largest. */
#define VMAD_PREFIX_WORST						\
	(VMAD_HEADER_SIZE + VMAD_REC_NR * (VMAD_RECORD_SIZE + 7) +	\
	 VMAD_REGS_SIZE + VMAD_XSTATE_MAX + VMAD_THREAD_SIZE +		\
	 VMAD_SIGNALS_SIZE + VMAD_MM_SIZE + VMAD_AUXV_MAX * VMAD_AUXV_SIZE + \
	 VMAD_CRED_SIZE + VMAD_GROUPS_MAX * 4 + VMAD_PROC_SIZE +	\
	 VMAD_AREAS_MAX * VMAD_AREA_SIZE + VMAD_STRINGS_SIZE +		\
	 VMAD_STRINGS_MAX * 4 + VMAD_STRTAB_MAX + VMAD_SEAL_SIZE)

#ifndef __KERNEL__
_Static_assert(sizeof(struct vmad_header) == VMAD_HEADER_SIZE, "vmad_header size");
_Static_assert(sizeof(struct vmad_record) == VMAD_RECORD_SIZE, "vmad_record size");
_Static_assert(sizeof(struct vmad_regs) == VMAD_REGS_SIZE, "vmad_regs size");
_Static_assert(sizeof(struct vmad_thread) == VMAD_THREAD_SIZE, "vmad_thread size");
_Static_assert(sizeof(struct vmad_sigaction) == VMAD_SIGACTION_SIZE, "vmad_sigaction size");
_Static_assert(sizeof(struct vmad_signals) == VMAD_SIGNALS_SIZE, "vmad_signals size");
_Static_assert(sizeof(struct vmad_mm) == VMAD_MM_SIZE, "vmad_mm size");
_Static_assert(sizeof(struct vmad_auxv) == VMAD_AUXV_SIZE, "vmad_auxv size");
_Static_assert(sizeof(struct vmad_cred) == VMAD_CRED_SIZE, "vmad_cred size");
_Static_assert(sizeof(struct vmad_rlimit) == VMAD_RLIMIT_SIZE, "vmad_rlimit size");
_Static_assert(sizeof(struct vmad_proc) == VMAD_PROC_SIZE, "vmad_proc size");
_Static_assert(sizeof(struct vmad_area) == VMAD_AREA_SIZE, "vmad_area size");
_Static_assert(sizeof(struct vmad_strings) == VMAD_STRINGS_SIZE, "vmad_strings size");
_Static_assert(sizeof(struct vmad_seal) == VMAD_SEAL_SIZE, "vmad_seal size");
_Static_assert(sizeof(struct vmad_chunk) == VMAD_CHUNK_SIZE, "vmad_chunk size");
_Static_assert(sizeof(struct vmad_end) == VMAD_END_SIZE, "vmad_end size");
_Static_assert(VMAD_PREFIX_WORST <= VMAD_PREFIX_MAX, "VMAD_PREFIX_MAX too small");
#endif

#endif /* _UAPI_LINUX_BPROC_IMAGE_H */
