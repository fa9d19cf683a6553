// SPDX-License-Identifier: GPL-2.0
/*
 * tcpblast - raw TCP throughput between two VMs, the baseline of a move.
 *
 *   tcpblast recv PORT          accept one connection, read to its end,
 *                               print "recv BYTES MS MiB/s"
 *   tcpblast send ADDR PORT MIB write MIB MiB of non-zero bytes, close
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, one = 1;

	memset(buf, 0x5a, sizeof(buf));
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (argc == 3 && !strcmp(argv[1], "recv")) {
		long long total = 0;
		double t0 = 0;
		ssize_t n;
		int c;

		a.sin_port = htons(atoi(argv[2]));
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1))
			return 1;
		c = accept(fd, NULL, NULL);
		while ((n = read(c, buf, sizeof(buf))) > 0) {
			if (!total)
				t0 = now_ms();
			total += n;
		}
		printf("recv %lld %.1f %.1f\n", total, now_ms() - t0,
		       total / 1048576.0 / ((now_ms() - t0) / 1e3));
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "send")) {
		long long left = atoll(argv[4]) << 20;

		a.sin_port = htons(atoi(argv[3]));
		inet_pton(AF_INET, argv[2], &a.sin_addr);
		if (connect(fd, (struct sockaddr *)&a, sizeof(a)))
			return 1;
		while (left > 0) {
			ssize_t n = write(fd, buf, left < (long long)sizeof(buf) ? left : (long long)sizeof(buf));

			if (n <= 0)
				return 1;
			left -= n;
		}
		close(fd);
		return 0;
	}
	fprintf(stderr, "usage: tcpblast recv PORT | send ADDR PORT MIB\n");
	return 2;
}
