// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32C for VMADump: the faster of the kernel's two implementations on
 * this machine.
 *
 * crc32c() (libcrc32c) goes through the crypto API to the highest-priority
 * "crc32c" driver: crc32c-intel where the CPU has SSE4.2.  On hardware (and
 * under KVM) that is by far the fastest.  Under an emulator such as qemu TCG
 * the crc32 and pclmulqdq instructions are emulated one helper call at a
 * time, and the table-driven __crc32c_le() of lib/crc32.c (slice-by-8) is
 * several times faster (TCG, 64 MiB: about 100 MiB/s against 590 MiB/s);
 * there the checksum was most of a dump's and an undump's time.
 *
 * So, as the raid6 and xor code pick their routines, module init times both
 * on the same buffer and keeps the faster.  Both compute the same CRC (this
 * is checked; on a mismatch crc32c() is kept), so the choice changes speed
 * only, never an image.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/types.h>

#include "bproc_compat.h"
#include "crc.h"

#define BPROC_CRC_CAL_BYTES	(64 * 1024)
#define BPROC_CRC_CAL_ROUNDS	5

static bool bproc_crc_table __read_mostly;

u32 bproc_kcrc32c(u32 crc, const void *p, size_t len)
{
	if (bproc_crc_table)
		return __crc32c_le(crc, p, len);
	return crc32c(crc, p, (unsigned int)len);
}

void bproc_crc_init(void)
{
	u64 t, best_lib = U64_MAX, best_table = U64_MAX;
	u32 crc_lib = 0, crc_table = 0;
	u8 *buf;
	int i;

	buf = kmalloc(BPROC_CRC_CAL_BYTES, GFP_KERNEL);
	if (!buf)
		return;	/* keep crc32c() */
	for (i = 0; i < BPROC_CRC_CAL_BYTES; i++)
		buf[i] = i * 131 + (i >> 8);
	for (i = 0; i < BPROC_CRC_CAL_ROUNDS; i++) {
		t = ktime_get_ns();
		crc_lib = crc32c(~0U, buf, BPROC_CRC_CAL_BYTES);
		best_lib = min(best_lib, ktime_get_ns() - t);
		t = ktime_get_ns();
		crc_table = __crc32c_le(~0U, buf, BPROC_CRC_CAL_BYTES);
		best_table = min(best_table, ktime_get_ns() - t);
	}
	kfree(buf);
	bproc_crc_table = crc_lib == crc_table && best_table < best_lib;
	pr_info("crc32c: %s (%llu ns per 64 KiB; %s %llu ns)\n",
		bproc_crc_table ? "table-driven" : "crc32c()",
		bproc_crc_table ? best_table : best_lib,
		bproc_crc_table ? "crc32c()" : "table-driven",
		bproc_crc_table ? best_lib : best_table);
}
