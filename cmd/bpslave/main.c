// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave - the bproc slave daemon.
 *
 *   bpslave [-n NODE] [-s ADDR] [-m] [-v] MASTER [PORT]
 *
 * Started by the slave image's init (from bproc.master= and bproc.node=),
 * which restarts it if it dies.  It connects to bpmaster at MASTER:PORT
 * (default 2223) from a privileged port, says HELLO, and mirrors what the
 * master sends into this kernel through a session of /dev/bproc/slave: its
 * node number, the node table, the remote-file list.  Then it answers
 * heartbeats.  When the master goes away (the connection ends, or nothing
 * is heard from it for the heartbeat timeout) it closes the session (the
 * kernel marks the mirror down) and connects again, with a backoff of 0.5 s
 * doubling to 5 s; the node becomes up again without a reboot.  A BYE from
 * the master may ask it to reboot, halt or power off the machine.
 *
 * One machine may be several nodes (bproc.nodes=K in the slave image): one
 * bpslave each, each connecting from its own address (-s), in its own PID,
 * UTS and mount namespaces; -m says the machine is not this node's alone,
 * so a reboot the master asks for is not carried out.
 *
 * It runs in the foreground and logs to standard error (the console: a
 * diskless node has no syslog).  It is linked statically: the slave image
 * has no C library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpslave.h"
#include "nsinit.h"

#define BACKOFF_MIN_MS	500
#define BACKOFF_MAX_MS	5000

struct slave S = { .want_node = BPROC_NODE_NONE };
volatile sig_atomic_t stop_signal;

/* A number that tells this boot from the next: the kernel's boot_id. */
static uint64_t read_boot_id(void)
{
	unsigned int a = 0, b = 0;
	uint64_t id = 0;
	FILE *f;

	f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (fscanf(f, "%8x-%4x", &a, &b) == 2)
			id = ((uint64_t)a << 16) | b;
		fclose(f);
	}
	return id ?: (uint64_t)getpid() << 32 ^ bpd_now_ms();
}

/* What one poll slot past the first three is. */
struct slot {
	int pid;		/* output of process @pid, stream @stream */
	int stream;		/* (-1: PID-space calls of listener lsn[i]) */
};

/* The poll set, grown as needed. */
static struct pollfd *pfd;
static struct slot *slots;
static void **lsn;
static size_t cap;

static void poll_room(size_t want)
{
	size_t c;

	if (want <= cap)
		return;
	c = want + 64;
	pfd = realloc(pfd, c * sizeof(*pfd));
	slots = realloc(slots, c * sizeof(*slots));
	lsn = realloc(lsn, c * sizeof(*lsn));
	if (!pfd || !slots || !lsn) {
		bpd_err("out of memory");
		exit(1);
	}
	cap = c;
}

/*
 * One turn of the session's loop: wait for what is ready, handle it.
 * 0, or -errno to end the session.
 */
static int session_turn(struct session *s)
{
	uint64_t now = bpd_now_ms();
	long wait_ms = s->ping_ms / 4;
	bool busy, held;
	struct bpwire_msg m;
	struct timespec ts;
	struct sproc *sp;
	size_t np = 0, i, nl;
	sigset_t empty;
	int err;

	sp = sproc_holding();
	if (sp && now >= sp->t.hold_until) {
		bpd_warn("process %d moved on but is not gone here yet",
			 sp->pid);
		sproc_hold(sp, 0);
	}
	held = sproc_held();
	/* Frames already received, unless a departure holds them. */
	if (!held) {
		err = master_frames(s);
		if (err)
			return err;
		held = sproc_held();
	}
	if (held)
		wait_ms = 20;
	/* While the master's link is this full, sources wait. */
	busy = s->c.out_len >= OUT_BUSY;
	poll_room(5 + 3 * sproc_count() + calls_nlisteners());
	ts.tv_sec = wait_ms / 1000;
	ts.tv_nsec = (wait_ms % 1000) * 1000000L;
	pfd[np++] = (struct pollfd){ .fd = s->c.fd, .events =
		(held ? 0 : POLLIN) | (bpd_conn_busy(&s->c) ? POLLOUT : 0) };
	pfd[np++] = (struct pollfd){ .fd = bpnsinit_fd(S.ns), .events = POLLIN };
	/* Processes moving on, while the master keeps up. */
	pfd[np++] = (struct pollfd){ .fd = s->kfd, .events = busy ? 0 : POLLIN };
	/* Image bytes waiting for a restorer to take them. */
	for (sp = sproc_first(); sp; sp = sproc_next(sp)) {
		if (sp->t.img >= 0 && sp->t.img_len) {
			slots[np] = (struct slot){ .pid = sp->pid, .stream = 3 };
			pfd[np++] = (struct pollfd){ .fd = sp->t.img, .events = POLLOUT };
		}
	}
	/* Output of our processes, while the master keeps up. */
	for (sp = sproc_first(); sp && !busy; sp = sproc_next(sp)) {
		for (int k = 1; k <= 2; k++) {
			if (sp->out[k] < 0 || sp->state == SPROC_LEFT)
				continue;
			slots[np] = (struct slot){ .pid = sp->pid, .stream = k };
			pfd[np++] = (struct pollfd){ .fd = sp->out[k], .events = POLLIN };
		}
	}
	/* The master's files, read by our processes, while the master keeps up. */
	if (!busy && files_fd() >= 0) {
		slots[np] = (struct slot){ .stream = -2 };
		pfd[np++] = (struct pollfd){ .fd = files_fd(), .events = POLLIN };
	}
	/* The configuration's file systems being mounted. */
	if (mounts_fd() >= 0) {
		slots[np] = (struct slot){ .stream = -3 };
		pfd[np++] = (struct pollfd){ .fd = mounts_fd(), .events = POLLIN };
	}
	/* PID-space calls, while the master keeps up. */
	if (!busy) {
		nl = calls_poll(pfd + np, lsn + np);
		for (i = 0; i < nl; i++)
			slots[np + i] = (struct slot){ .stream = -1 };
		np += nl;
	}
	sigemptyset(&empty);
	if (ppoll(pfd, np, &ts, &empty) < 0 && errno != EINTR)
		return -errno;
	if (bpd_counts_wanted)
		bpd_counts_log();
	now = bpd_now_ms();
	fork_timeout(s, now);
	if (mounts_timeout(s, now) && (err = session_ready(s)))
		return err;
	if (pfd[0].revents & POLLOUT) {
		err = bpd_conn_flush(&s->c);
		if (err)
			return err;
	}
	for (i = 3; i < np; i++) {
		if (!pfd[i].revents)
			continue;
		if (slots[i].stream == -2) {
			files_ready();
			continue;
		}
		if (slots[i].stream == -3) {
			if (pfd[i].fd == mounts_fd() && mounts_ready(s) &&
			    (err = session_ready(s)))
				return err;
			continue;
		}
		if (slots[i].stream < 0) {
			calls_ready(s, lsn[i], pfd[i].revents);
			continue;
		}
		/* Still there, with that descriptor? */
		sp = sproc_by_pid(slots[i].pid);
		if (slots[i].stream == 3) {
			if (sp && sp->t.img == pfd[i].fd)
				proc_image_flush(sp);
			continue;
		}
		if (sp && sp->out[slots[i].stream] == pfd[i].fd)
			proc_output(s, sp, slots[i].stream);
	}
	if (pfd[1].revents) {
		err = proc_events(s);
		if (err)
			return err;
	}
	if (pfd[2].revents) {
		err = kernel_input(s);
		if (err)
			return err;
	}
	if (pfd[0].revents & (POLLIN | POLLERR | POLLHUP)) {
		ssize_t n = bpwire_rx_read(s->c.rx, s->c.fd);

		if (n == 0) {
			bpd_warn("the master closed the connection");
			return -ECONNRESET;
		}
		if (n < 0 && n != -EAGAIN && n != -ENOBUFS) {
			bpd_warn("receive: %s", strerror((int)-n));
			return (int)n;
		}
		if (n > 0)
			bpd_counts.bytes_in += (uint64_t)n;
		s->last_heard = now;
		err = master_frames(s);
		if (err)
			return err;
	}
	/* The master pings every ping_ms/2: silence means it is gone. */
	if (now - s->last_heard >= s->ping_ms) {
		bpd_warn("nothing from the master for %llu ms",
			 (unsigned long long)(now - s->last_heard));
		return -ETIMEDOUT;
	}
	if (s->node >= 0 && now - s->last_heard >= s->ping_ms / 2 &&
	    now - s->last_ping >= s->ping_ms / 2) {
		bpwire_init(&m, BPWIRE_PING, ++S.ping_seq, s->node,
			    BPROC_NODE_MASTER);
		m.u.ping.timestamp = now;
		s->last_ping = now;
		return send_frame(s, &m);
	}
	return 0;
}

/*
 * One connection, from connect to its end.  Returns 0 if it got as far as
 * READY (the backoff starts over), else -errno.
 */
static int session(struct session *s)
{
	int err;

	err = session_open(s);
	if (!err) {
		/* Until WELCOME, wait as long as a heartbeat timeout would be. */
		s->ping_ms = 30000;
		s->last_heard = s->last_ping = bpd_now_ms();
		fcntl(s->kfd, F_SETFL, O_NONBLOCK);
		while (!stop_signal && !err)
			err = session_turn(s);
	}
	files_session(NULL);
	mounts_end_session();
	procs_abandon();
	calls_close();
	if (s->kfd >= 0)
		close(s->kfd);	/* the kernel marks the mirror down */
	s->kfd = -1;
	bpd_conn_close(&s->c);
	return s->state == SESS_READY ? 0 : err;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bpslave [-n NODE] [-s ADDR] [-m] [-v] MASTER [PORT]\n"
		   "  -n NODE  ask for node number NODE (the master checks it)\n"
		   "  -s ADDR  connect from address ADDR (this node's own)\n"
		   "  -m       this machine is other nodes too: never reboot it\n"
		   "  -v       verbose\n"
		   "PORT defaults to %d.\n", 2223);
}

/*
 * The node's own mount namespace, with its own /run/bproc (the view of the
 * master's files, the node's root): several bpslaves on one machine do not
 * share them.  The machine's later mounts still reach it (a slave mount).
 */
static int own_mounts(void)
{
	if (unshare(CLONE_NEWNS))
		return -errno;
	/*
	 * A slave of the machine's mounts (the slave image's init makes them
	 * shared): an umount there, of /proc/bproc before an rmmod, reaches
	 * this namespace too, and none of our mounts goes back.
	 */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL))
		bpd_warn("cannot make / a slave mount: %s", strerror(errno));
	mkdir("/run", 0755);
	mkdir("/run/bproc", 0755);
	if (mount("bpslave", "/run/bproc", "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755"))
		return -errno;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int backoff = BACKOFF_MIN_MS;
	int opt;

	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};

	while ((opt = getopt_long(argc, argv, "n:s:mvVh", longopts, NULL)) != -1) {
		char *end;
		long v;

		switch (opt) {
		case 'n':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || v < 0 ||
			    v >= BPROC_NODES_MAX) {
				fprintf(stderr, "bpslave: bad node number '%s'\n",
					optarg);
				return 2;
			}
			S.want_node = (int)v;
			break;
		case 's':
			if (inet_pton(AF_INET, optarg, &S.source) != 1) {
				fprintf(stderr, "bpslave: bad source address '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'm':
			S.shared = true;
			break;
		case 'v':
			bpd_verbose = true;
			break;
		case 'V':
			printf("bpslave version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		usage(stderr);
		return 2;
	}
	S.master.sin_family = AF_INET;
	S.master.sin_port = htons(2223);
	if (inet_pton(AF_INET, argv[optind], &S.master.sin_addr) != 1) {
		fprintf(stderr, "bpslave: bad master address '%s'\n", argv[optind]);
		return 2;
	}
	if (argc - optind == 2) {
		char *end;
		long port = strtol(argv[optind + 1], &end, 10);

		if (*end || end == argv[optind + 1] || port < 1 || port > 65535) {
			fprintf(stderr, "bpslave: bad port '%s'\n", argv[optind + 1]);
			return 2;
		}
		S.master.sin_port = htons(port);
	}

	{
		/* Several on one console: each says which node it is. */
		static char name[32];

		if (S.want_node != BPROC_NODE_NONE)
			snprintf(name, sizeof(name), "bpslave n%d", S.want_node);
		else
			snprintf(name, sizeof(name), "bpslave");
		bpd_log_init(name, true, 0);
	}
	S.boot_id = read_boot_id();
	/* Processes keep their master PIDs here: allow every PID there is. */
	{
		int fd = open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC);

		if (fd < 0 || write(fd, "4194304", 7) != 7)
			bpd_warn("cannot raise pid_max: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	{
		int err = own_mounts();

		if (err) {
			bpd_err("cannot make the node's mount namespace: %s",
				strerror(-err));
			return 1;
		}
		err = files_start();

		/* Without them, only what the node has runs here. */
		if (err)
			bpd_warn("cannot mount the master's files at " BPSLAVE_MASTER_FS
				 ": %s", strerror(-err));
		bpnsinit_view = !err;
		bpnsinit_calls = true;
		/*
		 * The node's own host name ("n3", set at WELCOME), shared
		 * with its processes: a UTS namespace for bpslave and its
		 * PID namespace, so that the machine's name is left alone
		 * (several nodes may share one machine).
		 */
		if (unshare(CLONE_NEWUTS))
			bpd_warn("cannot make the node's UTS namespace: %s",
				 strerror(errno));
		err = bpnsinit_start(&S.ns);

		if (err) {
			bpd_err("cannot make the node's PID namespace: %s",
				strerror(-err));
			return 1;
		}
	}
	bpd_signals_init(on_signal);

	while (!stop_signal) {
		struct session s = { .c.fd = -1, .kfd = -1, .node = BPROC_NODE_NONE };
		struct timespec ts;
		sigset_t empty;
		int err;

		err = session(&s);
		if (stop_signal)
			break;
		power(s.bye_action);
		if (!err) {
			backoff = BACKOFF_MIN_MS;
		} else {
			bpd_warn("no session with the master (%s); again in %u ms",
				 strerror(-err), backoff);
		}
		/* Sleep, but wake for SIGTERM. */
		sigemptyset(&empty);
		ts.tv_sec = backoff / 1000;
		ts.tv_nsec = (backoff % 1000) * 1000000L;
		ppoll(NULL, 0, &ts, &empty);
		if (err)
			backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
								 backoff * 2;
	}
	bpd_info("stopping on signal %d", (int)stop_signal);
	bpnsinit_stop(S.ns);
	files_stop();
	return 0;
}
