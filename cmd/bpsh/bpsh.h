/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bpsh's shared types, its state, and the calls each file offers the
 * others.  What bpsh does is main.c's top comment.
 *
 *   main.c    the command line: usage, options, node selection, run()
 *   output.c  buffers; relaying output: whole lines, prefixes, -s turns
 *   job.c     starting a node's child: its pipes, fds and exec
 *   input.c   copying bpsh's stdin into several children's pipes
 *   loop.c    the poll loop: start reports, output, stdin, reaping,
 *             signals
 */
#ifndef BPROC_BPSH_H
#define BPROC_BPSH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <sys/bproc.h>

/* Exit status of bpsh's own failures, a failed start or a signal (ssh's). */
#define BPSH_FAIL 255

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The streams bpsh relays: index 0 is fd 1 (stdout), index 1 is fd 2. */
#define NSTREAMS 2

/* A growable byte buffer. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

/* -s: output held until its node's turn, in order, as runs per fd. */
struct seg {
	int fd;
	size_t len;
};

/* One output pipe of a child. */
struct stream {
	int fd; /* read end; -1 at EOF (or never opened) */
	char *line; /* -L: the partial line, o.bufsize bytes */
	size_t len;
};

/* One node of the command line: its child and what came of it. */
struct job {
	int node;
	int rank; /* index in the node list: $BPROC_RANK */
	pid_t pid; /* 0: no child */
	int startfd; /* the child's errno, or EOF once CMD runs; -1 read */
	int err; /* errno of a failed start */
	int status; /* wait status */
	bool reaped;
	bool done; /* reported */
	struct stream s[NSTREAMS];
	int infd; /* write end of its stdin pipe (bpsh copies); -1 */
	size_t inoff; /* how much of in.buf it has been given */
	struct buf held; /* -s */
	struct seg *segs;
	size_t nsegs;
};

enum {
	STDIN_NULL, /* -n, -N: /dev/null */
	STDIN_SHARED, /* one child: bpsh's own stdin */
	STDIN_COPIED, /* several: a pipe each, bpsh copies */
};

/* ---- state ------------------------------------------------------- */

/*
 * Set by main.c from the command line, before the first child starts,
 * and only read after that.
 */
struct options {
	bool stdin_null; /* -n */
	bool no_io; /* -N */
	bool linebuf; /* -L, -p */
	bool prefix; /* -p */
	bool seq; /* -s, -d */
	bool divider; /* -d */
	bool timing; /* -t */
	size_t bufsize; /* -b */
};
extern struct options o; /* main.c */
extern int stdin_mode; /* STDIN_*; main.c */
/* -I, -O, -E: files the node opens for the process (fds 0, 1, 2). */
extern struct bproc_io_t redir[3]; /* main.c */
extern int nredir;
extern bool relay; /* the children write into pipes bpsh reads; main.c */

/* The nodes, in command-line order (main.c's run() makes them). */
extern struct job *jobs;
extern int njobs;

/* STDIN_COPIED: bpsh's stdin, read into buf while a child can take it. */
struct stdin_copy {
	int fd; /* 0, or -1 at EOF */
	char *buf; /* o.bufsize bytes */
	size_t len;
};
extern struct stdin_copy in; /* input.c */

/* Changed as the loop runs. */
extern int current; /* -s: the job whose output is relayed now; output.c */
extern bool out_dead[NSTREAMS]; /* a write to bpsh's fd 1 or 2 failed */
extern bool own_failure; /* bpsh itself failed: exit 255; main.c */
/* The signal mask bpsh started with, the children's (loop.c). */
extern sigset_t old_mask;

/* ---- output.c ---------------------------------------------------- */

void *xrealloc(void *p, size_t n);
void buf_add(struct buf *b, const void *data, size_t len);
void emit(struct job *j, int fd, const char *data, size_t len);
void emit_lines(struct job *j, int fd, const char *data, size_t len);
void say(struct job *j, const char *msg);
void say_error(struct job *j);
void divider(const struct job *j);
void begin_turn(struct job *j);

/* ---- job.c ------------------------------------------------------- */

void start(struct job *j, const char *path, char **argv);

/* ---- input.c ----------------------------------------------------- */

void in_read(void);
void in_write(struct job *j);
void in_close(struct job *j);
void in_compact(void);

/* ---- loop.c ------------------------------------------------------ */

int setup_signals(void);
int loop(int sfd);
void check_done(struct job *j);
int job_code(const struct job *j);

#endif /* BPROC_BPSH_H */
