// SPDX-License-Identifier: GPL-2.0
/*
 * bproc-init: PID 1 of a diskless bproc slave node (the image's /init).
 *
 *  1. mount /dev (devtmpfs), /proc, /sys, /run, /tmp, /dev/shm; log to
 *     /dev/console (or /dev/kmsg) with the prefix "bproc-init: ";
 *  2. read the bproc.* parameters from /proc/cmdline (cmdline.c);
 *  3. load the kernel modules listed in /etc/bproc/modules, in order, then
 *     mount bproc.ko's file system on /proc/bproc;
 *  4. configure the network with rtnetlink (net.c);
 *  5. start /sbin/bpslave [-n NODE] MASTER PORT (with bproc.nodes=K, K of
 *     them: bpslave -n NODE+i -s ADDR+i -m MASTER PORT) and
 *  6. every executable in /etc/bproc/init.d/ (name order), restarting each
 *     one that exits after 1 s, doubling to 30 s;
 *  7. reap every zombie forever.
 *
 * It never exits: PID 1 exiting panics the kernel.  When it cannot go on
 * (no /proc) it says why and only reaps.  Signals are blocked and read from a
 * signalfd in the one poll() loop, so there are no signal handlers at all.
 * Documentation/slave-image.md describes all of this for users.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "cmdline.h"
#include "net.h"

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE	4	/* <linux/module.h>, 5.17+ */
#endif

#define LOG_PREFIX	"bproc-init: "
#define MODULES_LIST	"/etc/bproc/modules"
#define KREL_FILE	"/etc/bproc/kernel-release"
#define HOOK_DIR	"/etc/bproc/init.d"
#define BPSLAVE		"/sbin/bpslave"
#define NET_WAIT_MS	5000
#define BACKOFF_MIN_S	1
#define BACKOFF_MAX_S	30
#define STABLE_S	30	/* a run this long resets the backoff */
#define MAX_PROGS	(BPROC_CMDLINE_NODES_MAX + 32)
#define CMDLINE_MAX	4096

extern char **environ;

static int log_fd = STDERR_FILENO;	/* the console the kernel gave us */
static bool log_kmsg;
static int con_fd = -1, null_fd = -1;

/* Declared, with its format attribute, in net.h. */
void bproc_log(const char *fmt, ...)
{
	char buf[768];
	size_t off, len;
	va_list ap;
	int n;

	off = (size_t)snprintf(buf, sizeof(buf), "%s" LOG_PREFIX,
			       log_kmsg ? "<6>" : "");
	va_start(ap, fmt);
	n = vsnprintf(buf + off, sizeof(buf) - off - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	len = off + ((size_t)n < sizeof(buf) - off - 2 ? (size_t)n :
						       sizeof(buf) - off - 2);
	buf[len++] = '\n';
	while (write(log_fd, buf, len) < 0 && errno == EINTR)
		;
}

static int64_t clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/* For the log: seconds since the kernel started. */
static double uptime(void)
{
	return (double)clock_ms(CLOCK_BOOTTIME) / 1000.0;
}

/* Reap forever: what PID 1 does when it cannot do anything else. */
__attribute__((noreturn))
static void give_up(const char *why)
{
	sigset_t all;

	bproc_log("giving up: %s; only reaping processes from now on", why);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		sigwaitinfo(&all, NULL);
	}
}

/* ------------------------------------------------------------------ */
/* Step 1: file systems and the console                                */

struct mnt {
	const char *src, *dir, *type;
	unsigned long flags;
	const char *data;
};

static const struct mnt mounts[] = {
	{ "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755" },
	{ "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL },
	{ "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755" },
	{ "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
	{ "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777" },
};

static int do_mount(const struct mnt *m)
{
	if (mkdir(m->dir, 0755) < 0 && errno != EEXIST) {
		bproc_log("cannot create %s: %s", m->dir, strerror(errno));
		return -1;
	}
	if (mount(m->src, m->dir, m->type, m->flags, m->data) < 0 &&
	    errno != EBUSY) {
		bproc_log("cannot mount %s on %s: %s", m->type, m->dir,
			  strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The kernel opened /dev/console as fds 0-2 if the rootfs had it (Debian's
 * built-in initramfs does).  Make sure 0-2 are open whatever happened, keep a
 * console fd for logging and for the children's stdout/stderr, and /dev/null
 * for their stdin.
 */
static void setup_console(void)
{
	bool filled = false;
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= STDERR_FILENO)
		filled = true;
	if (fd > STDERR_FILENO)
		close(fd);

	null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	con_fd = open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (con_fd >= 0) {
		log_fd = con_fd;
		if (filled) {
			dup2(con_fd, STDOUT_FILENO);
			dup2(con_fd, STDERR_FILENO);
		}
		return;
	}
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		log_fd = fd;
		log_kmsg = true;
	}
	bproc_log("cannot open /dev/console: %s", strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Step 2: the kernel command line                                     */

static int read_cmdline(struct bproc_boot_config *cfg)
{
	char buf[CMDLINE_MAX];
	size_t len = 0;
	ssize_t n;
	unsigned int i;
	int fd;

	fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		bproc_log("cannot open /proc/cmdline: %s", strerror(errno));
	} else {
		while (len < sizeof(buf) &&
		       ((n = read(fd, buf + len, sizeof(buf) - len)) > 0 ||
			(n < 0 && errno == EINTR)))
			if (n > 0)
				len += (size_t)n;
		close(fd);
	}
	bproc_cmdline_parse(buf, len, cfg);
	for (i = 0; i < cfg->ndiags; i++)
		bproc_log("%s: %s", cfg->diag[i].error ? "error" : "warning",
			  cfg->diag[i].text);
	if (cfg->ndropped)
		bproc_log("... and %u more command-line problems",
			  cfg->ndropped);
	return cfg->nerrors ? -1 : 0;
}

static void log_config(const struct bproc_boot_config *cfg)
{
	char ip[16], master[16], gw[16], node[32];

	snprintf(node, sizeof(node), "%d", (int)cfg->node);
	if (cfg->nodes > 1)
		snprintf(node, sizeof(node), "%d-%d", (int)cfg->node,
			 (int)(cfg->node + (int32_t)cfg->nodes - 1));
	bproc_log("node%s %s: %s/%u on %s, master %s port %u%s%s",
		  cfg->nodes > 1 ? "s" : "",
		  cfg->have_node ? node : "(unnumbered)",
		  bproc_cmdline_ntoa(cfg->ip, ip), cfg->prefix,
		  cfg->have_ifname ? cfg->ifname : "the first ethernet link",
		  bproc_cmdline_ntoa(cfg->master, master), cfg->port,
		  cfg->have_gw ? ", default route via " : "",
		  cfg->have_gw ? bproc_cmdline_ntoa(cfg->gw, gw) : "");
}

/* ------------------------------------------------------------------ */
/* Step 3: kernel modules                                              */

static void check_kernel_release(void)
{
	struct utsname u;
	char want[128];
	FILE *f;

	f = fopen(KREL_FILE, "re");
	if (!f)
		return;
	if (fgets(want, sizeof(want), f) && uname(&u) == 0) {
		want[strcspn(want, "\n")] = '\0';
		if (strcmp(want, u.release) != 0)
			bproc_log("this image's modules are for kernel %s but the kernel is %s: they will not load",
				  want, u.release);
	}
	fclose(f);
}

static bool is_plain_ko(const char *path)
{
	size_t n = strlen(path);

	return n >= 3 && strcmp(path + n - 3, ".ko") == 0;
}

static void load_modules(void)
{
	unsigned int loaded = 0, present = 0, failed = 0;
	int64_t t0 = now_ms();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	check_kernel_release();
	f = fopen(MODULES_LIST, "re");
	if (!f) {
		bproc_log("no module list %s: %s", MODULES_LIST, strerror(errno));
		return;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *p = line;
		int fd, flags;

		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ' ||
				 line[n - 1] == '\t'))
			line[--n] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			bproc_log("module %s: cannot open: %s", p, strerror(errno));
			failed++;
			continue;
		}
		flags = is_plain_ko(p) ? 0 : MODULE_INIT_COMPRESSED_FILE;
		if (syscall(SYS_finit_module, fd, "", flags) == 0) {
			loaded++;
		} else if (errno == EEXIST) {
			present++;
		} else {
			bproc_log("module %s: cannot load: %s", p, strerror(errno));
			failed++;
		}
		close(fd);
	}
	free(line);
	fclose(f);
	bproc_log("modules: %u loaded, %u already present, %u failed (%lld ms)",
		  loaded, present, failed, (long long)(now_ms() - t0));
}

/*
 * bproc.ko makes /proc/bproc, an empty mount point, and registers the file
 * system "bproc" (libraries, <pid>/image); user space mounts it there, as
 * binfmt_misc.  Without it the node still works, but nothing can be read
 * from /proc/bproc.
 */
static void mount_bprocfs(void)
{
	if (mount("bproc", "/proc/bproc", "bproc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return;
	if (errno == ENODEV || errno == ENOENT)
		bproc_log("cannot mount bproc on /proc/bproc: %s (bproc.ko not loaded?)",
			  strerror(errno));
	else
		bproc_log("cannot mount bproc on /proc/bproc: %s",
			  strerror(errno));
}

/* ------------------------------------------------------------------ */
/* Steps 5-7: supervised programs                                      */

struct prog {
	char path[320];
	char *argv[12];
	char argbuf[4][24];
	pid_t pid;			/* 0: not running */
	unsigned int backoff_s;		/* wait before the next restart */
	int64_t started_ms;
	int64_t start_at_ms;		/* when to (re)start, if not running */
};

static struct prog progs[MAX_PROGS];
static unsigned int nprogs;

static struct prog *new_prog(const char *path)
{
	struct prog *p;

	if (nprogs == MAX_PROGS) {
		bproc_log("too many programs to supervise; not starting %s", path);
		return NULL;
	}
	p = &progs[nprogs++];
	snprintf(p->path, sizeof(p->path), "%s", path);
	p->argv[0] = p->path;
	p->backoff_s = BACKOFF_MIN_S;
	p->start_at_ms = now_ms();
	return p;
}

/* One bpslave for node @i of the machine's cfg->nodes. */
static void add_one_bpslave(const struct bproc_boot_config *cfg, unsigned int i)
{
	struct prog *p = new_prog(BPSLAVE);
	int k = 1;

	if (!p)
		return;
	if (cfg->have_node) {
		snprintf(p->argbuf[0], sizeof(p->argbuf[0]), "%d",
			 (int)(cfg->node + (int32_t)i));
		p->argv[k++] = "-n";
		p->argv[k++] = p->argbuf[0];
	}
	if (cfg->nodes > 1) {
		/* Each its own address, and the machine is not its alone. */
		bproc_cmdline_ntoa(cfg->ip + i, p->argbuf[3]);
		p->argv[k++] = "-s";
		p->argv[k++] = p->argbuf[3];
		p->argv[k++] = "-m";
	}
	bproc_cmdline_ntoa(cfg->master, p->argbuf[1]);
	snprintf(p->argbuf[2], sizeof(p->argbuf[2]), "%u", cfg->port);
	p->argv[k++] = p->argbuf[1];
	p->argv[k++] = p->argbuf[2];
	p->argv[k] = NULL;
}

static void add_bpslave(const struct bproc_boot_config *cfg, bool cmdline_ok)
{
	struct stat st;

	if (stat(BPSLAVE, &st) < 0 && errno == ENOENT) {
		bproc_log(BPSLAVE " not present; node stays up without a slave daemon");
		return;
	}
	if (!cmdline_ok) {
		bproc_log("not starting " BPSLAVE ": the kernel command line has errors (above)");
		return;
	}
	for (unsigned int i = 0; i < cfg->nodes; i++)
		add_one_bpslave(cfg, i);
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* The site hook: every executable file in /etc/bproc/init.d, name order. */
static void add_hooks(void)
{
	struct dirent **list;
	char path[320];
	struct stat st;
	int i, n;

	n = scandir(HOOK_DIR, &list, not_hidden, name_cmp);
	if (n < 0) {
		if (errno != ENOENT)
			bproc_log("cannot read %s: %s", HOOK_DIR, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), HOOK_DIR "/%s", list[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(path, X_OK) == 0)
			new_prog(path);
		else
			bproc_log("%s is not an executable file; not starting it",
				  path);
		free(list[i]);
	}
	free(list);
}

__attribute__((noreturn))
static void exec_child(struct prog *p)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (null_fd >= 0)
		dup2(null_fd, STDIN_FILENO);
	if (con_fd >= 0) {
		dup2(con_fd, STDOUT_FILENO);
		dup2(con_fd, STDERR_FILENO);
	}
	execve(p->path, p->argv, environ);
	bproc_log("cannot execute %s: %s", p->path, strerror(errno));
	_exit(127);
}

static void start_prog(struct prog *p)
{
	pid_t pid = fork();

	if (pid == 0)
		exec_child(p);
	if (pid < 0) {
		bproc_log("cannot start %s: %s; retrying in %u s", p->path,
			  strerror(errno), p->backoff_s);
		p->start_at_ms = now_ms() + p->backoff_s * 1000;
		if (p->backoff_s < BACKOFF_MAX_S)
			p->backoff_s = p->backoff_s * 2 > BACKOFF_MAX_S ?
				       BACKOFF_MAX_S : p->backoff_s * 2;
		return;
	}
	p->pid = pid;
	p->started_ms = now_ms();
	bproc_log("started %s (pid %d)", p->path, (int)pid);
}

static void prog_exited(struct prog *p, int status)
{
	int64_t now = now_ms();
	char how[64];

	if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exited with status %d",
			 WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "was killed by signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(how, sizeof(how), "ended (status 0x%x)", status);

	if (now - p->started_ms >= STABLE_S * 1000)
		p->backoff_s = BACKOFF_MIN_S;
	bproc_log("%s (pid %d) %s; restarting in %u s", p->path, (int)p->pid,
		  how, p->backoff_s);
	p->pid = 0;
	p->start_at_ms = now + p->backoff_s * 1000;
	p->backoff_s = p->backoff_s * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S :
							  p->backoff_s * 2;
}

static void reap(void)
{
	unsigned int i;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < nprogs; i++) {
			if (progs[i].pid == pid) {
				prog_exited(&progs[i], status);
				break;
			}
		}
		/* Anything else is an orphan re-parented to us: just reaped. */
	}
}

static void read_signals(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;	/* reap() runs after every wake-up */
		bproc_log("received signal %u (%s) from pid %u; ignored",
			  si.ssi_signo, strsignal((int)si.ssi_signo),
			  si.ssi_pid);
	}
}

__attribute__((noreturn))
static void supervise(int sfd)
{
	struct pollfd pfd = { .fd = sfd, .events = POLLIN };
	unsigned int i;

	for (;;) {
		int64_t now = now_ms(), next = -1;
		int timeout;

		for (i = 0; i < nprogs; i++) {
			struct prog *p = &progs[i];

			if (p->pid)
				continue;
			if (p->start_at_ms <= now)
				start_prog(p);
			if (!p->pid && (next < 0 || p->start_at_ms < next))
				next = p->start_at_ms;
		}
		if (next < 0)
			timeout = -1;
		else if (next - now > INT_MAX)
			timeout = INT_MAX;
		else
			timeout = next > now ? (int)(next - now) : 0;
		if (sfd < 0) {
			/* No signalfd: fall back to polling for children. */
			if (timeout < 0 || timeout > 1000)
				timeout = 1000;
			poll(NULL, 0, timeout);
		} else if (poll(&pfd, 1, timeout) > 0) {
			read_signals(sfd);
		}
		reap();
	}
}

/* ------------------------------------------------------------------ */

int main(void)
{
	struct bproc_boot_config cfg;
	struct utsname u;
	sigset_t mask;
	bool cmdline_ok;
	size_t i;
	int sfd;

	if (getpid() != 1) {
		fprintf(stderr, LOG_PREFIX "must run as PID 1 (the slave image's /init)\n");
		return 2;
	}
	/* The signals we care about go to a signalfd; there are no handlers. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGUSR1);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGPWR);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	umask(022);
	if (chdir("/") < 0)
		bproc_log("cannot chdir to /: %s", strerror(errno));
	setenv("PATH", "/sbin:/usr/sbin:/bin:/usr/bin", 0);

	/* Step 1. */
	do_mount(&mounts[0]);
	setup_console();
	uname(&u);
	bproc_log("bproc slave init starting on Linux %s (%.2f s after boot)",
		  u.release, uptime());
	for (i = 1; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		if (do_mount(&mounts[i]) < 0 && strcmp(mounts[i].dir, "/proc") == 0)
			give_up("/proc is needed to read the kernel command line");
	/*
	 * Shared, as systemd makes it: each bpslave runs in a mount namespace
	 * of its own, a slave of this one, so that what is unmounted here
	 * (/proc/bproc before an rmmod) is unmounted there too, and nothing a
	 * node mounts comes back here.
	 */
	if (mount(NULL, "/", NULL, MS_REC | MS_SHARED, NULL) < 0)
		bproc_log("cannot make / shared: %s", strerror(errno));

	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		bproc_log("cannot create a signalfd: %s; polling for children",
			  strerror(errno));

	/* Step 2. */
	cmdline_ok = read_cmdline(&cfg) == 0;
	if (cmdline_ok)
		log_config(&cfg);
	else
		bproc_log("the kernel command line needs e.g. bproc.ip=10.0.0.10/24 bproc.master=10.0.0.1; continuing without network");

	/* Step 3. */
	load_modules();
	mount_bprocfs();

	/* Step 4. */
	if (cmdline_ok) {
		struct bproc_net_config nc = {
			.ifname = cfg.have_ifname ? cfg.ifname : NULL,
			.ip = cfg.ip,
			.prefix = cfg.prefix,
			.naddrs = cfg.nodes,
			.have_gw = cfg.have_gw,
			.gw = cfg.gw,
			.master = cfg.master,
			.wait_ms = NET_WAIT_MS,
		};
		char ifname[BPROC_CMDLINE_IFNAMSIZ];

		if (bproc_net_setup(&nc, ifname) == 0)
			bproc_log("network ready on %s (%.2f s after boot)",
				  ifname, uptime());
		else
			bproc_log("network set-up failed; carrying on without it");
	}

	/* Steps 5 and 6. */
	add_bpslave(&cfg, cmdline_ok);
	add_hooks();

	/* Step 7. */
	supervise(sfd);
}
