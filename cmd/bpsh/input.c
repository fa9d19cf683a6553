// SPDX-License-Identifier: GPL-2.0
/*
 * Copying bpsh's stdin to several children (STDIN_COPIED), as bproc 4
 * did: one shared stdin would give each process a random part of it.
 * What is read stays in in.buf until every child still reading has had
 * it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bpsh.h"

struct stdin_copy in = { .fd = -1 };

/* Drop what every child has been given; stop when no child takes more. */
void in_compact(void)
{
	size_t min = in.len;
	bool any = false;
	int i;

	for (i = 0; i < njobs; i++) {
		if (jobs[i].infd < 0)
			continue;
		any = true;
		if (jobs[i].inoff < min)
			min = jobs[i].inoff;
	}
	if (!any)
		in.fd = -1; /* nobody reads: leave the rest of stdin alone */
	if (!min)
		return;
	memmove(in.buf, in.buf + min, in.len - min);
	in.len -= min;
	for (i = 0; i < njobs; i++)
		if (jobs[i].infd >= 0)
			jobs[i].inoff -= min;
}

void in_close(struct job *j)
{
	close(j->infd);
	j->infd = -1;
}

/* At the end of bpsh's stdin, a child that has had everything gets EOF. */
static void in_close_finished(void)
{
	int i;

	for (i = 0; in.fd < 0 && i < njobs; i++)
		if (jobs[i].infd >= 0 && jobs[i].inoff == in.len)
			in_close(&jobs[i]);
}

void in_read(void)
{
	ssize_t n;

	n = read(in.fd, in.buf + in.len, o.bufsize - in.len);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0)
		in.fd = -1;
	else
		in.len += (size_t)n;
	in_close_finished();
}

/* Give @j what it has not had yet. */
void in_write(struct job *j)
{
	ssize_t n;

	n = write(j->infd, in.buf + j->inoff, in.len - j->inoff);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) /* EPIPE: it will read no more */
		in_close(j);
	else
		j->inoff += (size_t)n;
	in_close_finished();
	in_compact();
}
