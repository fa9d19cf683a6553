/* SPDX-License-Identifier: GPL-2.0 */
/* module/execmove.c: a move at the new program's first instruction. */
#ifndef BPROC_EXECMOVE_H
#define BPROC_EXECMOVE_H

#include <linux/bproc.h>
#include <linux/init.h>

long bproc_execmove_ioctl(struct bproc_move_req __user *ureq);
int bproc_execmove_init(void);
void bproc_execmove_exit(void);

#endif /* BPROC_EXECMOVE_H */
