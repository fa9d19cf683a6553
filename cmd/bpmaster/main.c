// SPDX-License-Identifier: GPL-2.0
/*
 * bpmaster - the bproc master daemon.
 *
 *   bpmaster [-c FILE] [-f] [-v] [-t] | -V | -h
 *
 * Reads the configuration (bproc.conf(5)), holds /dev/bproc/master, accepts
 * slave daemons over TCP (Documentation/daemon-protocol.md), gives each its
 * node number, keeps the kernel's node table current, heartbeats the nodes,
 * and carries out what root asks through /sys/bproc/nodes/N/ (status,
 * reboot, halt, pwroff).
 *
 * One thread, one poll() loop: the kernel device, the listening socket and
 * every slave connection.  Output to a slave is queued and never blocks the
 * loop; a slave that stops reading is dropped (BPD_OUT_MAX).  Anything a
 * slave sends is validated by bpwire_decode(); a malformed frame costs that
 * slave its connection and a log line, nothing else.
 *
 * This file is the daemon's frame: options, configuration, set-up and the
 * loop.  What each other file does is listed in bpmaster.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpmaster.h"

struct master M = { .kfd = -1, .lfd = -1, .own_seq = OWN_ID };

static volatile sig_atomic_t stop_signal;

/* ------------------------------------------------------------------ */
/* Setup                                                              */
/* ------------------------------------------------------------------ */

/* The interface's first IPv4 address, network order; 0 if none. */
static uint32_t interface_addr(const char *ifname)
{
	struct ifaddrs *ifa, *i;
	uint32_t addr = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (i = ifa; i; i = i->ifa_next) {
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    !strcmp(i->ifa_name, ifname)) {
			addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr;
			break;
		}
	}
	freeifaddrs(ifa);
	return addr;
}

/* bproc's file system on /proc/bproc, as the slave image's init mounts it. */
static void mount_bprocfs(void)
{
	if (access(BPROCFS "/libraries", F_OK) == 0)
		return;
	if (mount("bproc", BPROCFS, "bproc", 0, NULL) && errno != EBUSY)
		bpd_warn("cannot mount bproc on " BPROCFS ": %s", strerror(errno));
}

/*
 * Without 'libraries' lines, what a node's processes need of the master
 * (Documentation/remote-files.md): the kernel's own default ("/lib/",
 * "/usr/lib/") and the program directories, and the few files of /etc
 * that name users and find libraries.  Those that exist are added.
 */
static const char *const default_libraries[] = {
	"/lib64/", "/usr/lib64/", "/bin/", "/sbin/", "/usr/bin/", "/usr/sbin/",
	"/usr/libexec/", "/usr/local/", "/usr/share/", "/etc/alternatives/",
	"/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/ld.so.cache",
	"/etc/ld.so.conf", "/etc/ld.so.conf.d/", "/etc/localtime",
	"/etc/services", "/etc/protocols", "/etc/os-release", "/etc/hostname",
	"/etc/perl/",
	"/etc/python3/",
};

/* Add the config's 'libraries' globs to the kernel's remote-file list. */
static void add_libraries(void)
{
	const char *const *globs = (const char *const *)M.cfg.libraries;
	unsigned int i, n = M.cfg.nlibraries;
	size_t j;
	int fd;

	if (!n) {
		globs = default_libraries;
		n = sizeof(default_libraries) / sizeof(default_libraries[0]);
	}
	fd = open(BPROCFS "/libraries", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		bpd_warn("cannot open " BPROCFS "/libraries: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		glob_t g;

		if (glob(globs[i], GLOB_MARK, NULL, &g)) {
			if (globs != default_libraries)
				bpd_warn("libraries %s: matches nothing", globs[i]);
			continue;
		}
		for (j = 0; j < g.gl_pathc; j++) {
			char cmd[4200];
			int len = snprintf(cmd, sizeof(cmd), "+%s", g.gl_pathv[j]);

			if (len >= (int)sizeof(cmd) || write(fd, cmd, len) != len)
				bpd_warn("cannot add %s to the remote-file list: %s",
					 g.gl_pathv[j], strerror(errno));
		}
		globfree(&g);
	}
	close(fd);
}

static int setup_listener(void)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(M.cfg.port);
	sin.sin_addr.s_addr = M.master_addr;
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 256)) {
		int err = -errno;

		bpd_err("cannot listen on %s:%u: %s", inet_ntoa(sin.sin_addr),
			M.cfg.port, strerror(errno));
		close(fd);
		return err;
	}
	M.lfd = fd;
	return 0;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpmaster [-c FILE] [-f] [-v] [-t] | -V | -h\n"
		   "  -c FILE  configuration file (default " BPCONFIG_PATH ")\n"
		   "  -f       stay in the foreground, log to standard error\n"
		   "  -v       verbose: log debugging detail too\n"
		   "  -t       check the configuration file and exit\n"
		   "  -V       print the version and exit\n");
}

/* ------------------------------------------------------------------ */
/* The loop                                                           */
/* ------------------------------------------------------------------ */

/* No slave has more than 1 MiB waiting to go out. */
static bool slaves_keeping_up(void)
{
	struct slave *s;

	for (s = M.slaves; s; s = s->next)
		if (s->c.out_len > (1u << 20))
			return false;
	return true;
}

/* Heartbeats, sweeps and the HELLO deadline: at least once a second. */
static uint64_t tick_ms(void)
{
	return M.ping_ms / 4 < 1000 ? M.ping_ms / 4 : 1000;
}

static void run(void)
{
	struct pollfd *pfd = NULL;
	struct slave **who = NULL;
	size_t cap = 0;
	sigset_t empty;

	sigemptyset(&empty);
	M.next_tick = bpd_now_ms() + tick_ms();
	while (!stop_signal && !M.failed) {
		struct timespec ts;
		struct slave *s, *next;
		uint64_t now;
		size_t n = 0, i;
		int timeout;

		size_t npipes = 0;
		struct proc *r;

		for (r = M.procs.list[PROC_RETURNING]; r; r = r->next)
			if (r->t.pipe >= 0 && r->t.buf_len)
				npipes++;
		if (cap < (size_t)M.nslaves + 2 + npipes) {
			cap = M.nslaves + npipes + 64;
			pfd = realloc(pfd, cap * sizeof(*pfd));
			who = realloc(who, cap * sizeof(*who));
			if (!pfd || !who) {
				bpd_err("out of memory");
				exit(1);
			}
		}
		/* Images come from the kernel faster than a slave takes them:
		 * read the kernel only while every slave keeps up. */
		pfd[n++] = (struct pollfd){
			.fd = M.kfd,
			.events = slaves_keeping_up() ? POLLIN : 0,
		};
		now = bpd_now_ms();
		pfd[n++] = (struct pollfd){
			.fd = M.lfd,
			.events = now >= M.accept_paused_until ? POLLIN : 0,
		};
		for (s = M.slaves; s; s = s->next) {
			who[n] = s;
			pfd[n++] = (struct pollfd){
				.fd = s->c.fd,
				.events = (slave_may_read(s) ? POLLIN : 0) |
					  (bpd_conn_busy(&s->c) ? POLLOUT : 0),
			};
		}
		/* Images of processes coming back, into their pipes. */
		for (r = M.procs.list[PROC_RETURNING]; r; r = r->next) {
			if (r->t.pipe < 0 || !r->t.buf_len)
				continue;
			who[n] = NULL;
			pfd[n++] = (struct pollfd){ .fd = r->t.pipe,
						    .events = POLLOUT };
		}
		now = bpd_now_ms();
		timeout = M.next_tick > now ? (int)(M.next_tick - now) : 0;
		if (M.accept_paused_until > now &&
		    M.accept_paused_until - now < (uint64_t)timeout)
			timeout = (int)(M.accept_paused_until - now);
		ts.tv_sec = timeout / 1000;
		ts.tv_nsec = (timeout % 1000) * 1000000L;
		if (ppoll(pfd, n, &ts, &empty) < 0 && errno != EINTR) {
			bpd_err("poll: %s", strerror(errno));
			exit(1);
		}
		if (stop_signal)
			break;
		if (bpd_counts_wanted)
			bpd_counts_log();
		if (pfd[0].revents)
			kdev_input();
		if (pfd[1].revents & POLLIN)
			accept_slave();
		/* Slaves may be closed on the way: walk the poll set, check
		 * each is still listed before touching it. */
		for (r = M.procs.list[PROC_RETURNING]; r; r = r->next)
			if (r->t.pipe >= 0 && r->t.buf_len)
				pipe_flush(r);
		for (i = 2; i < n; i++) {
			bool alive = false;

			if (!pfd[i].revents || pfd[i].fd < 0 || !who[i])
				continue;
			for (s = M.slaves; s; s = s->next)
				if (s == who[i] && s->c.fd == pfd[i].fd)
					alive = true;
			if (!alive)
				continue;
			s = who[i];
			if (pfd[i].revents & POLLOUT) {
				int err = bpd_conn_flush(&s->c);

				if (err) {
					slave_close(s, strerror(-err));
					continue;
				}
			}
			if (pfd[i].revents & (POLLIN | POLLERR | POLLHUP))
				slave_input(s);
		}
		now = bpd_now_ms();
		if (now >= M.next_tick) {
			heartbeat(now);
			slave_hello_deadline(now);
			proc_sweep(&M.procs, now);
			M.next_tick = now + tick_ms();
		}
		/* Refused slaves go once their REFUSE is out. */
		for (s = M.slaves; s; s = next) {
			next = s->next;
			if (s->state == SLAVE_REFUSED && !bpd_conn_busy(&s->c))
				slave_close(s, "refused");
		}
	}
	free(pfd);
	free(who);
}

int main(int argc, char **argv)
{
	bool foreground = false, check_only = false;
	char err[512];
	int opt;

	M.cfg_path = BPCONFIG_PATH;
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((opt = getopt_long(argc, argv, "c:fvtVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			M.cfg_path = optarg;
			break;
		case 'f':
			foreground = true;
			break;
		case 'v':
			bpd_verbose = true;
			break;
		case 't':
			check_only = true;
			break;
		case 'V':
			printf("bpmaster version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (bpconfig_parse_file(M.cfg_path, &M.cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpmaster: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: %d nodes, port %u, pingtimeout %u s, %u library globs\n",
		       M.cfg_path, M.cfg.numnodes, M.cfg.port, M.cfg.pingtimeout,
		       M.cfg.nlibraries);
		return 0;
	}
	M.ping_ms = M.cfg.pingtimeout * 1000;
	if (M.cfg.interface[0]) {
		M.master_addr = M.cfg.interface_addr ?:
				interface_addr(M.cfg.interface);
		if (!M.master_addr) {
			fprintf(stderr, "bpmaster: %s: interface %s has no IPv4 address\n",
				M.cfg_path, M.cfg.interface);
			return 1;
		}
	}
	M.nodes = calloc(M.cfg.numnodes, sizeof(*M.nodes));
	if (!M.nodes) {
		fprintf(stderr, "bpmaster: out of memory\n");
		return 1;
	}

	/* Set-up errors go to stderr, where whoever started us sees them. */
	bpd_log_init("bpmaster", true, M.cfg.logfacility);
	M.kfd = bpd_kdev_open(MASTER_DEV);
	if (M.kfd < 0) {
		if (M.kfd == -EBUSY)
			fprintf(stderr, "bpmaster: another bpmaster is running (" MASTER_DEV " is busy)\n");
		return 1;
	}
	if (setup_listener() || node_table_init())
		return 1;
	mount_bprocfs();
	add_libraries();
	if (!foreground) {
		if (daemon(0, 0)) {
			bpd_err("cannot become a daemon: %s", strerror(errno));
			return 1;
		}
		bpd_log_init("bpmaster", false, M.cfg.logfacility);
	}

	/* No reloading on SIGHUP: a changed configuration needs a restart (the
	 * slaves reconnect to the new bpmaster on their own). */
	bpd_signals_init(on_signal);

	bpd_info("version %s: %d nodes, listening on %s:%u, pingtimeout %u s",
		 BPROC_VERSION_STRING, M.cfg.numnodes,
		 inet_ntoa((struct in_addr){ M.master_addr }), M.cfg.port,
		 M.cfg.pingtimeout);
	run();
	if (M.failed)
		bpd_err("stopping after an error");
	else
		bpd_info("stopping on signal %d", (int)stop_signal);

	/* The slaves see the connection end and reconnect to the next one. */
	while (M.slaves)
		slave_close(M.slaves, "bpmaster stopping");
	proctab_free(&M.procs);
	calls_free();
	files_free();
	close(M.lfd);
	close(M.kfd);
	free(M.nodes);
	bpconfig_free(&M.cfg);
	return M.failed ? 1 : 0;
}
