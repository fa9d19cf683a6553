/* SPDX-License-Identifier: GPL-2.0 */
/* module/exit_notes.c: on a slave, ends of processes in the node's namespace. */
#ifndef BPROC_EXIT_NOTES_H
#define BPROC_EXIT_NOTES_H

#include <linux/init.h>

int bproc_exit_notes_init(void);
void bproc_exit_notes_exit(void);
/* Ends noted so far are with bpslave before anything the caller sends next. */
void bproc_exit_notes_flush(void);

#endif /* BPROC_EXIT_NOTES_H */
