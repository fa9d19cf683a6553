/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * What code in common/ may use, in the kernel and in user space alike.
 *
 * Code under common/ is compiled twice: into bproc.ko (kernel C, no libc)
 * and into user-space programs and libraries (C11).  It includes this header
 * and nothing else from either side, so it can only use: the kernel's
 * fixed-width types (u8 .. u64, s32, s64, bool, size_t), offsetof,
 * static_assert, ARRAY_SIZE, memcpy, memset, memcmp, strlen, strnlen, the
 * errno values, the open flags O_* (<linux/bproc.h>'s BPROC_MOVE_IO_OFLAGS
 * is made of them), AF_INET, and bproc_crc32c().
 *
 * bproc_crc32c(crc, p, len) has the kernel's crc32c() semantics: it
 * continues a raw CRC-32C register (no initial or final inversion), so
 * callers start with ~0 and invert the result (see vmad_crc() in
 * vmad_check.c).  In the kernel it is bproc_kcrc32c() (module/crc.c): the
 * faster on this machine of crc32c() from libcrc32c (accelerated with SSE4.2
 * where present) and the table-driven __crc32c_le(), chosen at module load;
 * in user space common/crc32c.c provides it.
 */
#ifndef BPROC_COMPAT_H
#define BPROC_COMPAT_H

#ifdef __KERNEL__

#include <linux/build_bug.h>
#include <linux/crc32c.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/kernel.h>
#include <linux/socket.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/types.h>

/*
 * crc32c() takes an unsigned int length; common/ never passes more than
 * VMAD_PREFIX_MAX bytes at once.
 */
u32 bproc_kcrc32c(u32 crc, const void *p, size_t len);
#define bproc_crc32c(crc, p, len) bproc_kcrc32c((crc), (p), (len))

#else /* !__KERNEL__ */

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

u32 bproc_crc32c(u32 crc, const void *p, size_t len);

#endif /* __KERNEL__ */

/* The format is little-endian and read in host order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "bproc images are little-endian; this code reads them in host order"
#endif

#endif /* BPROC_COMPAT_H */
