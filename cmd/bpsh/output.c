// SPDX-License-Identifier: GPL-2.0
/*
 * bpsh's output: growable buffers, and relaying what the children write
 * (through pipes, under -L, -p and -s) to bpsh's own fds 1 and 2.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/bproc.h>

#include "bpsh.h"

/* -d: "NODE<TAB>" and this many dashes before each node's output. */
#define DIVIDER_DASHES 69

/* "%3d: " of any int, with its NUL. */
#define PREFIX_MAX 16

int current;
bool out_dead[NSTREAMS];
static struct buf outbuf; /* prefixed lines being assembled */

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "bpsh: out of memory\n");
		exit(BPSH_FAIL);
	}
	return p;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = b->cap ? b->cap : 256;
		while (b->cap < b->len + len)
			b->cap *= 2;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

/* Write all of @data to bpsh's fd @fd (1 or 2); after a failure, nothing. */
static void put(int fd, const char *data, size_t len)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len && !out_dead[fd - 1]) {
		n = write(fd, data, len);
		if (n > 0) {
			data += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) { /* an inherited O_NONBLOCK */
			poll(&pfd, 1, -1);
			continue;
		}
		/*
		 * The reader went away (EPIPE) or the write failed: the
		 * main loop closes this stream's pipes, so the remote
		 * processes see EPIPE as they would writing here directly.
		 */
		if (n < 0 && errno != EPIPE) {
			fprintf(stderr, "bpsh: cannot write to fd %d: %s\n", fd,
				strerror(errno));
			own_failure = true;
		}
		out_dead[fd - 1] = true;
	}
}

/* -s: keep @data for @j's turn. */
static void hold(struct job *j, int fd, const char *data, size_t len)
{
	if (!j->nsegs || j->segs[j->nsegs - 1].fd != fd) {
		j->segs = xrealloc(j->segs, (j->nsegs + 1) * sizeof(*j->segs));
		j->segs[j->nsegs].fd = fd;
		j->segs[j->nsegs].len = 0;
		j->nsegs++;
	}
	j->segs[j->nsegs - 1].len += len;
	buf_add(&j->held, data, len);
}

/* Output of @j for bpsh's fd @fd: relayed now, or held until its turn. */
void emit(struct job *j, int fd, const char *data, size_t len)
{
	if (!len)
		return;
	if (o.seq && j != &jobs[current])
		hold(j, fd, data, len);
	else
		put(fd, data, len);
}

/* A message about @j on stderr (not prefixed), in @j's place under -s. */
void say(struct job *j, const char *msg)
{
	emit(j, STDERR_FILENO, msg, strlen(msg));
}

/* "NODE: message" for a node that did not start. */
void say_error(struct job *j)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%d: %s\n", j->node, bproc_strerror(j->err));
	say(j, msg);
}

/*
 * Lines of @j, [@data, @data + @len): whole lines, except at EOF or when a
 * line fills the buffer; with -p each piece gets the prefix and, if it has
 * none, a newline.
 */
void emit_lines(struct job *j, int fd, const char *data, size_t len)
{
	char prefix[PREFIX_MAX];
	const char *nl, *end = data + len;
	int plen;

	if (!o.prefix) {
		emit(j, fd, data, len);
		return;
	}
	plen = snprintf(prefix, sizeof(prefix), "%3d: ", j->node);
	outbuf.len = 0;
	while (data < end) {
		nl = memchr(data, '\n', (size_t)(end - data));
		buf_add(&outbuf, prefix, (size_t)plen);
		if (nl) {
			buf_add(&outbuf, data, (size_t)(nl + 1 - data));
			data = nl + 1;
		} else {
			buf_add(&outbuf, data, (size_t)(end - data));
			buf_add(&outbuf, "\n", 1);
			data = end;
		}
	}
	emit(j, fd, outbuf.p, outbuf.len);
}

/* -d: the divider before @j's output (always on stdout). */
void divider(const struct job *j)
{
	char line[PREFIX_MAX + DIVIDER_DASHES + 1];
	int n;

	n = snprintf(line, sizeof(line), "%d\t", j->node);
	memset(line + n, '-', DIVIDER_DASHES);
	line[n + DIVIDER_DASHES] = '\n';
	put(STDOUT_FILENO, line, (size_t)n + DIVIDER_DASHES + 1);
}

/* -s: @j's turn has come: its divider, then what it has said so far. */
void begin_turn(struct job *j)
{
	size_t i, off = 0;

	if (o.divider)
		divider(j);
	for (i = 0; i < j->nsegs; i++) {
		put(j->segs[i].fd, j->held.p + off, j->segs[i].len);
		off += j->segs[i].len;
	}
	free(j->segs);
	j->segs = NULL;
	j->nsegs = 0;
	free(j->held.p);
	memset(&j->held, 0, sizeof(j->held));
}
