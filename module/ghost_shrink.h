/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module/ghost_shrink.c: what a process gives up when it becomes a ghost.
 */
#ifndef BPROC_GHOST_SHRINK_H
#define BPROC_GHOST_SHRINK_H

struct file;

/* Release @n files (references the caller gives away) now, not at exit. */
void bproc_ghost_fput_now(struct file **files, unsigned int n);
/* Close descriptor @fd of the caller, releasing its file now. */
void bproc_ghost_close_fd(unsigned int fd);
/* Close every descriptor but 0, 1 and 2: the process lost them by moving. */
void bproc_ghost_close_fds(void);
/*
 * Give back the caller's address space: keep one page of the command line,
 * map one page of code (module/arch.h).  Returns the code page's address,
 * or a negative errno.
 */
long bproc_ghost_shrink(void);

#endif /* BPROC_GHOST_SHRINK_H */
