// SPDX-License-Identifier: GPL-2.0
/*
 * fakeslave - a hostile or confused slave daemon, for testing bpmaster.
 *
 *   fakeslave MASTER PORT CASE
 *
 * Connects to bpmaster (from a privileged port unless the case says
 * otherwise), sends what CASE says and reports, on one line, what bpmaster
 * did: "closed" (the connection ended without a word), "refused: REASON"
 * (a REFUSE frame), "welcome NODE" (a WELCOME frame), or "open" (nothing
 * happened within 3 s).  Exit status 0 if it could connect at all.
 *
 * Cases:
 *   garbage       64 KiB of random bytes
 *   oversized     a header announcing a 16 MiB frame, then bytes
 *   short         a header announcing a 20-byte frame (less than a header)
 *   badmagic      a HELLO with the wrong magic
 *   badmajor      a HELLO of protocol major 99
 *   ready-first   READY before HELLO
 *   unprivileged  a valid HELLO from port >= 1024
 *   wrongnode     a valid HELLO asking for node 1000
 *   hello         a valid HELLO by address (replaces this node's real
 *                 bpslave until it reconnects)
 *   truncated     half a HELLO, then close
 *   flood         40 connections from unprivileged ports that never finish
 *                 a HELLO (one byte a second each, of a frame header):
 *                 prints how many bpmaster still holds after 1 s and 8 s
 *                 (issue 19, item 12)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bpwire.h"

static int connect_from(const char *addr, int port, bool privileged)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, p, one = 1;

	inet_pton(AF_INET, addr, &to.sin_addr);
	for (p = privileged ? 1000 : 0; p >= (privileged ? 600 : 0); p--) {
		struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(p) };

		fd = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&me, sizeof(me)) == 0 &&
		    connect(fd, (struct sockaddr *)&to, sizeof(to)) == 0)
			return fd;
		close(fd);
		if (!privileged)
			break;
	}
	return -1;
}

static void send_msg(int fd, struct bpwire_msg *m)
{
	unsigned char buf[BPWIRE_MAX];
	const char *why = NULL;
	ssize_t n = bpwire_encode(m, buf, sizeof(buf), &why);

	if (n < 0) {
		fprintf(stderr, "fakeslave: encode: %s\n", why);
		exit(2);
	}
	if (write(fd, buf, n) != n)
		perror("fakeslave: write");
}

static void hello(int fd, int want)
{
	struct bpwire_msg m;

	bpwire_init(&m, BPWIRE_HELLO, 7, BPROC_NODE_NONE, BPROC_NODE_MASTER);
	m.u.hello.major = BPWIRE_MAJOR;
	m.u.hello.want_node = want;
	m.u.hello.boot_id = 0x1234;
	send_msg(fd, &m);
}

/* What bpmaster does next. */
static void outcome(int fd)
{
	static struct bpwire_rx rx;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct bpwire_msg m;
	const char *why;
	ssize_t n;
	int r;

	bpwire_rx_init(&rx);
	for (;;) {
		if (poll(&p, 1, 3000) != 1) {
			printf("open\n");
			return;
		}
		n = bpwire_rx_read(&rx, fd);
		if (n <= 0) {
			printf("closed\n");
			return;
		}
		while ((r = bpwire_rx_next(&rx, &m, &why)) > 0) {
			if (m.hdr.type == BPWIRE_REFUSE) {
				printf("refused: %.*s\n", (int)m.u.refuse.reason.len,
				       m.u.refuse.reason.str);
				return;
			}
			if (m.hdr.type == BPWIRE_WELCOME) {
				printf("welcome %d\n", m.u.welcome.node);
				return;
			}
		}
		if (r < 0) {
			printf("garbled: %s\n", why);
			return;
		}
	}
}

/* Connections bpmaster still holds: no EOF, no error. */
static int still_open(int *fds, int n)
{
	int open = 0;

	for (int i = 0; i < n; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };
		char c;

		if (fds[i] < 0)
			continue;
		if (poll(&p, 1, 0) == 1 &&
		    recv(fds[i], &c, 1, MSG_DONTWAIT) <= 0) {
			close(fds[i]);
			fds[i] = -1;
			continue;
		}
		open++;
	}
	return open;
}

static int flood(const char *addr, int port)
{
	/* The header of a 60000-byte frame, and then its body, slowly. */
	static const unsigned char hdr[8] = { 0x60, 0xea, 0, 0 };
	int fds[40], n = 40, at1 = 0;

	for (int i = 0; i < n; i++)
		fds[i] = connect_from(addr, port, false);
	for (int t = 0; t < 8; t++) {
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 &&
			    send(fds[i], &hdr[t], 1, MSG_NOSIGNAL) < 0) {
				close(fds[i]);
				fds[i] = -1;
			}
		sleep(1);
		if (t == 0)
			at1 = still_open(fds, n);
	}
	printf("open %d of %d after 1 s, %d after 8 s\n", at1, n,
	       still_open(fds, n));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char buf[BPWIRE_MAX];
	const char *c;
	int fd, rnd;

	if (argc != 4) {
		fprintf(stderr, "usage: fakeslave MASTER PORT CASE\n");
		return 2;
	}
	c = argv[3];
	if (!strcmp(c, "flood"))
		return flood(argv[1], atoi(argv[2]));
	fd = connect_from(argv[1], atoi(argv[2]), strcmp(c, "unprivileged"));
	if (fd < 0) {
		perror("fakeslave: connect");
		return 1;
	}
	if (!strcmp(c, "garbage")) {
		rnd = open("/dev/urandom", O_RDONLY);
		if (rnd < 0 || read(rnd, buf, sizeof(buf)) != sizeof(buf))
			return 2;
		/* A plausible length so bpmaster reads a body, then junk. */
		buf[0] = 0x40;
		buf[1] = 0x00;
		buf[2] = buf[3] = 0;
		if (write(fd, buf, sizeof(buf)) < 0)
			perror("fakeslave: write");
	} else if (!strcmp(c, "oversized") || !strcmp(c, "short")) {
		memset(buf, 0, 4096);
		buf[0] = 0;
		buf[1] = 0;
		buf[2] = 0;
		buf[3] = 1;	/* 16 MiB, little-endian */
		if (!strcmp(c, "short"))
			buf[0] = 20, buf[3] = 0;
		if (write(fd, buf, 4096) < 0)
			perror("fakeslave: write");
	} else if (!strcmp(c, "badmagic")) {
		struct bpwire_msg m;
		ssize_t n;

		bpwire_init(&m, BPWIRE_HELLO, 7, BPROC_NODE_NONE, BPROC_NODE_MASTER);
		m.u.hello.major = BPWIRE_MAJOR;
		m.u.hello.want_node = BPROC_NODE_NONE;
		n = bpwire_encode(&m, buf, sizeof(buf), NULL);
		buf[BPWIRE_HDR_SIZE] ^= 0xff;	/* the magic's first byte */
		if (n < 0 || write(fd, buf, n) != n)
			perror("fakeslave: write");
	} else if (!strcmp(c, "badmajor")) {
		struct bpwire_msg m;
		ssize_t n;

		/* The encoder will not write another major: patch it in. */
		bpwire_init(&m, BPWIRE_HELLO, 7, BPROC_NODE_NONE, BPROC_NODE_MASTER);
		m.u.hello.major = BPWIRE_MAJOR;
		m.u.hello.want_node = BPROC_NODE_NONE;
		n = bpwire_encode(&m, buf, sizeof(buf), NULL);
		buf[BPWIRE_HDR_SIZE + 4] = 99;	/* major, little-endian */
		if (n < 0 || write(fd, buf, n) != n)
			perror("fakeslave: write");
	} else if (!strcmp(c, "ready-first")) {
		struct bpwire_msg m;

		bpwire_init(&m, BPWIRE_READY, 0, 0, BPROC_NODE_MASTER);
		send_msg(fd, &m);
	} else if (!strcmp(c, "unprivileged") || !strcmp(c, "hello")) {
		hello(fd, BPROC_NODE_NONE);
	} else if (!strcmp(c, "wrongnode")) {
		hello(fd, 1000);
	} else if (!strcmp(c, "truncated")) {
		struct bpwire_msg m;
		ssize_t n;

		bpwire_init(&m, BPWIRE_HELLO, 7, BPROC_NODE_NONE, BPROC_NODE_MASTER);
		m.u.hello.major = BPWIRE_MAJOR;
		m.u.hello.want_node = BPROC_NODE_NONE;
		n = bpwire_encode(&m, buf, sizeof(buf), NULL);
		if (n < 0 || write(fd, buf, n / 2) < 0)
			perror("fakeslave: write");
		close(fd);
		printf("sent half\n");
		return 0;
	} else {
		fprintf(stderr, "fakeslave: unknown case '%s'\n", c);
		return 2;
	}
	outcome(fd);
	close(fd);
	return 0;
}
