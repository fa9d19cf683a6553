/* SPDX-License-Identifier: GPL-2.0 */
/* module/crc.c: CRC-32C, the faster implementation on this machine. */
#ifndef BPROC_CRC_H
#define BPROC_CRC_H

#include <linux/init.h>

/* Times crc32c() against __crc32c_le() and keeps the faster (no failure). */
void bproc_crc_init(void);

#endif /* BPROC_CRC_H */
