/* SPDX-License-Identifier: GPL-2.0 */
/* dev/control.c: /dev/bproc/control, libbproc's ioctls. */
#ifndef BPROC_DEV_CONTROL_H
#define BPROC_DEV_CONTROL_H

int bproc_control_init(void);
void bproc_control_exit(void);

#endif /* BPROC_DEV_CONTROL_H */
