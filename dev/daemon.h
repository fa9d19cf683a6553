/* SPDX-License-Identifier: GPL-2.0 */
/* dev/daemon.c: /dev/bproc/master and /dev/bproc/slave, and their protocol. */
#ifndef BPROC_DEV_DAEMON_H
#define BPROC_DEV_DAEMON_H

int bproc_daemon_init(void);
void bproc_daemon_exit(void);

#endif /* BPROC_DEV_DAEMON_H */
