// SPDX-License-Identifier: GPL-2.0
/*
 * What bpmaster and bpslave share (bpdaemon.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "bpdaemon.h"

/* ------------------------------------------------------------------ */
/* Logging                                                            */
/* ------------------------------------------------------------------ */

static const char *bpd_name = "bproc";
static bool bpd_stderr = true;
bool bpd_verbose;

void bpd_log_init(const char *name, bool foreground, int facility)
{
	bpd_name = name;
	bpd_stderr = foreground;
	if (!foreground)
		openlog(name, LOG_PID | LOG_NDELAY, facility);
}

void bpd_log(int level, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (level >= LOG_DEBUG && !bpd_verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!bpd_stderr) {
		syslog(level, "%s", line);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	fprintf(stderr, "%02d:%02d:%02d.%03ld %s[%d]: %s\n", tm.tm_hour,
		tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000, bpd_name, getpid(),
		line);
}

uint64_t bpd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------ */
/* The kernel's daemon device                                         */
/* ------------------------------------------------------------------ */

struct bpd_counts bpd_counts;
volatile sig_atomic_t bpd_counts_wanted;

void bpd_counts_log(void)
{
	const struct bpd_counts *k = &bpd_counts;

	bpd_counts_wanted = 0;
	bpd_info("counts: kernel messages in %" PRIu64 " out %" PRIu64
		 ", frames in %" PRIu64 " out %" PRIu64 ", bytes in %" PRIu64
		 " out %" PRIu64, k->kmsg_in, k->kmsg_out, k->frames_in,
		 k->frames_out, k->bytes_in, k->bytes_out);
}

int bpd_kdev_write(int fd, const void *msg, size_t len)
{
	ssize_t n = write(fd, msg, len);

	if (n < 0)
		return -errno;
	bpd_counts.kmsg_out++;
	return (size_t)n == len ? 0 : -EIO;
}

ssize_t bpd_kdev_read(int fd, void *buf)
{
	ssize_t n;

	do
		n = read(fd, buf, BPROC_MSG_MAX);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n < sizeof(struct bproc_msg_hdr))
		return -EIO;
	bpd_counts.kmsg_in++;
	return n;
}

int bpd_kdev_open(const char *path)
{
	struct bproc_msg_hello hello, reply;
	int fd, err;
	ssize_t n;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		if (err == -EBUSY)
			bpd_err("%s is busy: another daemon holds it", path);
		else if (err == -ENOENT)
			bpd_err("%s: no such device (is bproc.ko loaded?)", path);
		else
			bpd_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	memset(&hello, 0, sizeof(hello));
	hello.hdr.len = sizeof(hello);
	hello.hdr.type = BPROC_MSG_HELLO;
	hello.hdr.id = 1;
	hello.major = BPROC_PROTO_MAJOR;
	hello.minor = BPROC_PROTO_MINOR;
	err = bpd_kdev_write(fd, &hello, sizeof(hello));
	if (err) {
		bpd_err("%s: HELLO refused: %s (module and daemon from different releases?)",
			path, strerror(-err));
		goto fail;
	}
	n = read(fd, &reply, sizeof(reply));
	if (n != sizeof(reply) || reply.hdr.type != BPROC_MSG_HELLO) {
		err = n < 0 ? -errno : -EPROTO;
		bpd_err("%s: no HELLO from the kernel", path);
		goto fail;
	}
	bpd_debug("%s: kernel speaks protocol %u.%u", path, reply.major,
		  reply.minor);
	return fd;
fail:
	close(fd);
	return err;
}

int bpd_kdev_nodes(int fd, int numnodes, int self, uint32_t master_addr)
{
	struct bproc_msg_nodes m;

	memset(&m, 0, sizeof(m));
	m.hdr.len = sizeof(m);
	m.hdr.type = BPROC_MSG_NODES;
	m.hdr.src = self;
	m.hdr.dst = self;
	m.numnodes = numnodes;
	m.self = self;
	m.master_addr = master_addr;
	return bpd_kdev_write(fd, &m, sizeof(m));
}

int bpd_kdev_node_set(int fd, const struct bproc_node_entry *e, size_t n)
{
	/* One message's worth, reused: each daemon is a single thread. */
	static union {
		struct bproc_msg_node_set m;
		unsigned char bytes[BPROC_MSG_MAX];
	} buf;
	const size_t per = (BPROC_MSG_MAX - sizeof(buf.m)) / sizeof(*e);
	struct bproc_msg_node_set *m = &buf.m;
	size_t done = 0;
	int err = 0;

	while (done < n && !err) {
		size_t k = n - done < per ? n - done : per;

		memset(m, 0, sizeof(*m));
		m->hdr.len = sizeof(*m) + k * sizeof(*e);
		m->hdr.type = BPROC_MSG_NODE_SET;
		m->count = k;
		memcpy(m->entries, e + done, k * sizeof(*e));
		err = bpd_kdev_write(fd, m, m->hdr.len);
		done += k;
	}
	return err;
}

/* ------------------------------------------------------------------ */
/* Connections                                                        */
/* ------------------------------------------------------------------ */

int bpd_conn_init(struct bpd_conn *c, int fd)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->rx = malloc(sizeof(*c->rx));
	if (!c->rx)
		return -ENOMEM;
	bpwire_rx_init(c->rx);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (getpeername(fd, (struct sockaddr *)&sin, &len) == 0 &&
	    sin.sin_family == AF_INET) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &sin.sin_addr, a, sizeof(a));
		snprintf(c->peer, sizeof(c->peer), "%s:%u", a,
			 ntohs(sin.sin_port));
	} else {
		snprintf(c->peer, sizeof(c->peer), "fd %d", fd);
	}
	return 0;
}

void bpd_conn_close(struct bpd_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->rx);
	c->rx = NULL;
	free(c->out);
	c->out = NULL;
	c->out_off = c->out_len = c->out_cap = 0;
}

int bpd_conn_flush(struct bpd_conn *c)
{
	while (c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len,
				 MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		c->out_off += n;
		c->out_len -= n;
	}
	c->out_off = 0;
	return 0;
}

int bpd_conn_send(struct bpd_conn *c, const struct bpwire_msg *m)
{
	const char *why = NULL;
	ssize_t n;

	if (c->out_len + BPWIRE_MAX > BPD_OUT_MAX)
		return -ENOBUFS;
	if (c->out_off + c->out_len + BPWIRE_MAX > c->out_cap) {
		size_t cap;
		unsigned char *p;

		/*
		 * Compact only when that moves no more bytes than it frees:
		 * each queued byte is then moved at most once (amortized).
		 * Compacting whenever the tail was short moved the whole
		 * queue (up to a megabyte) for every 64 KiB frame added
		 * while a slave's socket was full: most of bpmaster's CPU
		 * time in a move.  Otherwise the buffer grows, to at most
		 * twice BPD_OUT_MAX.
		 */
		if (c->out_off && c->out_off >= c->out_len) {
			memmove(c->out, c->out + c->out_off, c->out_len);
			c->out_off = 0;
		}
		if (c->out_off + c->out_len + BPWIRE_MAX > c->out_cap) {
			cap = c->out_cap * 2;	/* few reallocs */
			if (cap < c->out_off + c->out_len + BPWIRE_MAX)
				cap = c->out_off + c->out_len + BPWIRE_MAX;
			if (cap > 2 * BPD_OUT_MAX + BPWIRE_MAX)
				cap = 2 * BPD_OUT_MAX + BPWIRE_MAX;
			p = realloc(c->out, cap);
			if (!p)
				return -ENOMEM;
			c->out = p;
			c->out_cap = cap;
		}
	}
	n = bpwire_encode(m, c->out + c->out_off + c->out_len,
			  c->out_cap - c->out_off - c->out_len, &why);
	if (n < 0) {
		/* Our own bug: never send what the peer would refuse. */
		bpd_err("%s: cannot encode %s: %s", c->peer,
			bpwire_type_name(m->hdr.type), why ? why : "?");
		return (int)n;
	}
	c->out_len += n;
	bpd_counts.frames_out++;
	bpd_counts.bytes_out += (uint64_t)n;
	return bpd_conn_flush(c);
}

static void on_usr1(int sig)
{
	(void)sig;
	bpd_counts_wanted = 1;
}

void bpd_signals_init(void (*handler)(int))
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
}
