/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What bpmaster and bpslave share: logging, the clock, the kernel's daemon
 * device (/dev/bproc/master or /dev/bproc/slave), and a TCP connection
 * with an output queue that never blocks the daemon's poll loop.
 */
#ifndef BPROC_BPDAEMON_H
#define BPROC_BPDAEMON_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/bproc.h>

#include "bpwire.h"

/* ------------------------------------------------------------------ */
/* Logging                                                            */
/* ------------------------------------------------------------------ */

/*
 * In the foreground (or with no syslog daemon to talk to, as on a diskless
 * slave) log lines go to stderr with a time stamp; else to syslog(3).
 */
void bpd_log_init(const char *name, bool foreground, int facility);
/*
 * Both daemons' signals: SIGTERM and SIGINT run @handler (which only sets a
 * flag) and stay blocked outside ppoll(), as SIGUSR1 does (it asks for the
 * counts below); SIGHUP and SIGPIPE are ignored.
 */
void bpd_signals_init(void (*handler)(int));

/*
 * What a daemon has handled since it started: messages read from and
 * written to its kernel device, frames received and sent on its
 * connections to its peers, and those frames' bytes.  SIGUSR1 (blocked
 * outside ppoll() like SIGTERM) sets @bpd_counts_wanted; the daemon's loop
 * then calls bpd_counts_log(), one "counts: ..." line at LOG_INFO.  The
 * benchmarks read the differences (tests/bench/spawn.sh).
 */
struct bpd_counts {
	uint64_t kmsg_in;
	uint64_t kmsg_out;
	uint64_t frames_in;
	uint64_t frames_out;
	uint64_t bytes_in;
	uint64_t bytes_out;
};
extern struct bpd_counts bpd_counts;
extern volatile sig_atomic_t bpd_counts_wanted;
void bpd_counts_log(void);
void bpd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define bpd_err(...)	bpd_log(3, __VA_ARGS__)		/* LOG_ERR */
#define bpd_warn(...)	bpd_log(4, __VA_ARGS__)		/* LOG_WARNING */
#define bpd_info(...)	bpd_log(6, __VA_ARGS__)		/* LOG_INFO */
#define bpd_debug(...)	bpd_log(7, __VA_ARGS__)		/* LOG_DEBUG */
extern bool bpd_verbose;

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t bpd_now_ms(void);

/* ------------------------------------------------------------------ */
/* The kernel's daemon device                                         */
/* ------------------------------------------------------------------ */

/*
 * Open @path, say HELLO and read the kernel's.  Returns the descriptor
 * (O_CLOEXEC, blocking), or -errno (with a log line: -EBUSY is "another
 * bpmaster holds it").
 */
int bpd_kdev_open(const char *path);

/* Write one whole message; returns 0 or -errno. */
int bpd_kdev_write(int fd, const void *msg, size_t len);

/*
 * Read one message into @buf (BPROC_MSG_MAX bytes).  Returns its length or
 * -errno (-EAGAIN if none and @fd is non-blocking).
 */
ssize_t bpd_kdev_read(int fd, void *buf);

/* BPROC_MSG_NODES: size the kernel's table. */
int bpd_kdev_nodes(int fd, int numnodes, int self, uint32_t master_addr);

/* BPROC_MSG_NODE_SET with @n entries, split into as many messages as needed. */
int bpd_kdev_node_set(int fd, const struct bproc_node_entry *e, size_t n);

/* ------------------------------------------------------------------ */
/* A TCP connection carrying bpwire frames                            */
/* ------------------------------------------------------------------ */

/* Most bytes queued for a peer before it counts as stuck and is dropped. */
#define BPD_OUT_MAX	(4u << 20)

/**
 * struct bpd_conn - one peer
 * @fd:       non-blocking socket.
 * @rx:       frames coming in.
 * @out:      bytes queued to go out; @out_len of them from @out_off.
 * @out_cap:  allocated size of @out.
 * @peer:     "10.77.0.11:1023", for log lines.
 */
struct bpd_conn {
	int fd;
	struct bpwire_rx *rx;
	unsigned char *out;
	size_t out_off;
	size_t out_len;
	size_t out_cap;
	char peer[32];
};

/* Set up @c for socket @fd (made non-blocking).  -ENOMEM on failure. */
int bpd_conn_init(struct bpd_conn *c, int fd);
/* Close the socket and free the buffers. */
void bpd_conn_close(struct bpd_conn *c);

/*
 * Encode @m and queue it, then try to send.  Returns 0, or -errno: the
 * connection is broken (or its peer stuck) and must be closed.
 */
int bpd_conn_send(struct bpd_conn *c, const struct bpwire_msg *m);
/* Send what is queued, as far as the socket takes it.  0 or -errno. */
int bpd_conn_flush(struct bpd_conn *c);
/* Is output waiting (poll for POLLOUT)? */
static inline bool bpd_conn_busy(const struct bpd_conn *c)
{
	return c->out_len > 0;
}

#endif /* BPROC_BPDAEMON_H */
