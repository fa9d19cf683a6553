// SPDX-License-Identifier: GPL-2.0
/*
 * Starting the children: one per node, each with its pipes (the start
 * report, -L/-p/-s output, a copy of bpsh's stdin), its fds, $BPROC_RANK
 * and the exec that moves it to its node.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "bpsh.h"

/* The placement flags of bproc_execmove(), and the ghost's stdin. */
#define EXECMOVE_FLAGS (BPROC_DUMP_EXEC | BPROC_DUMP_OTHER)

/* In the child: never returns.  Tells the parent errno through @sfd. */
static void child(struct job *j, const char *path, char **argv, int sfd,
		  int out[NSTREAMS], int infd)
{
	char rank[16];
	int err, fd, i;

	if (infd >= 0 && dup2(infd, STDIN_FILENO) < 0)
		goto fail;
	if (stdin_mode == STDIN_NULL) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
			goto fail;
		if (fd != STDIN_FILENO)
			close(fd);
	}
	if (o.no_io) {
		fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
		    dup2(fd, STDERR_FILENO) < 0)
			goto fail;
		if (fd > STDERR_FILENO)
			close(fd);
	}
	for (i = 0; relay && i < NSTREAMS; i++)
		if (dup2(out[i], i + 1) < 0)
			goto fail;
	snprintf(rank, sizeof(rank), "%d", j->rank);
	if (setenv("BPROC_RANK", rank, 1) < 0)
		goto fail;
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (nredir)
		_bproc_execmove_io(j->node, redir, nredir,
				   EXECMOVE_FLAGS | (stdin_mode == STDIN_NULL ? 0 : BPROC_MOVE_STDIN),
				   path, argv, environ);
	else if (j->node == BPROC_NODE_MASTER)
		execv(path, argv);
	else if (stdin_mode == STDIN_NULL)
		_bproc_execmove(j->node, EXECMOVE_FLAGS, path, argv, environ);
	else
		_bproc_execmove(j->node, EXECMOVE_FLAGS | BPROC_MOVE_STDIN,
				path, argv, environ);
fail:
	err = errno;
	if (write(sfd, &err, sizeof(err)) != sizeof(err))
		_exit(BPSH_FAIL);
	_exit(BPSH_FAIL);
}

/* Start @j's child.  A failure to start is @j->err, not a return value. */
void start(struct job *j, const char *path, char **argv)
{
	int sp[2], p[NSTREAMS][2], out[NSTREAMS], ip[2] = { -1, -1 }, i;

	for (i = 0; i < NSTREAMS; i++) {
		p[i][0] = -1;
		p[i][1] = -1;
	}
	if (pipe2(sp, O_CLOEXEC) < 0) {
		j->err = errno;
		return;
	}
	if (stdin_mode == STDIN_COPIED && pipe2(ip, O_CLOEXEC) < 0) {
		j->err = errno;
		goto out;
	}
	for (i = 0; relay && i < NSTREAMS; i++) {
		if (pipe2(p[i], O_CLOEXEC) < 0) {
			j->err = errno;
			goto out;
		}
	}
	for (i = 0; i < NSTREAMS; i++)
		out[i] = p[i][1];
	j->pid = fork();
	if (j->pid < 0) {
		j->err = errno;
		j->pid = 0;
		goto out;
	}
	if (j->pid == 0)
		child(j, path, argv, sp[1], out, ip[0]);
	j->startfd = sp[0];
	sp[0] = -1;
	if (ip[1] >= 0) {
		/* bpsh writes only what poll() says fits */
		fcntl(ip[1], F_SETFL, O_NONBLOCK);
		j->infd = ip[1];
		ip[1] = -1;
	}
	for (i = 0; i < NSTREAMS; i++) {
		j->s[i].fd = p[i][0];
		p[i][0] = -1;
	}
out:
	if (sp[0] >= 0)
		close(sp[0]);
	close(sp[1]);
	for (i = 0; i < 2; i++)
		if (ip[i] >= 0)
			close(ip[i]);
	for (i = 0; i < NSTREAMS; i++) {
		if (p[i][0] >= 0)
			close(p[i][0]);
		if (p[i][1] >= 0)
			close(p[i][1]);
	}
}
