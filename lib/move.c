// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Placing processes: bproc_move() and bproc_rfork(), over BPROC_IOC_MOVE
 * on /dev/bproc/control (Documentation/process-space.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <netinet/in.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "internal.h"
#include "../common/moveio_check.h"

/* Flags of the calls that take none (as the original). */
#define BPROC_DEFAULT_FLAGS	(BPROC_DUMP_EXEC | BPROC_DUMP_OTHER)

/* The descriptors of the *_io forms, for the kernel. */
struct io_set {
	unsigned int n;
	bool in;	/* stdin is one of them: it is not forwarded */
	struct bproc_move_io e[BPROC_MOVE_IO_MAX];
};

/*
 * Turn @io into @set and check it by the kernel's rules
 * (common/moveio_check.c); -1 with errno if it cannot be done.
 */
static int io_set_make(const struct bproc_io_t *io, int iolen, struct io_set *set)
{
	memset(set, 0, sizeof(*set));
	if (iolen < 0 || iolen > BPROC_MOVE_IO_MAX || (iolen && !io)) {
		errno = iolen > BPROC_MOVE_IO_MAX ? E2BIG : EINVAL;
		return -1;
	}
	for (int i = 0; i < iolen; i++) {
		struct bproc_move_io *e = &set->e[i];
		const struct bproc_io_t *d = &io[i];

		e->fd = d->fd;
		e->flags = (unsigned short)d->flags;
		if (d->fd == 0)
			set->in = true;
		if (d->type == BPROC_IO_FILE) {
			size_t len = strnlen(d->d.file.name, sizeof(d->d.file.name));
			char cwd[PATH_MAX];
			int n;

			/* (An empty name would become the working directory.) */
			if (!len || len == sizeof(d->d.file.name))
				goto inval;
			e->type = BPROC_MOVE_IO_FILE;
			e->oflags = (unsigned int)d->d.file.flags;
			if (d->d.file.flags & O_CREAT) {
				mode_t mask = umask(0);	/* the node opens it with ours */

				umask(mask);
				e->mode = (unsigned int)d->d.file.mode & 07777 & ~mask;
			}
			e->offset = d->d.file.offset;
			if (d->d.file.name[0] == '/') {
				memcpy(e->name, d->d.file.name, len);
				continue;
			}
			/* Relative: to the working directory, which travels too. */
			if (!getcwd(cwd, sizeof(cwd)))
				return -1;
			n = snprintf(e->name, sizeof(e->name), "%s/%s",
				     strcmp(cwd, "/") ? cwd : "", d->d.file.name);
			if (n < 0 || (size_t)n >= sizeof(e->name)) {
				errno = ENAMETOOLONG;
				return -1;
			}
		} else if (d->type == BPROC_IO_SOCKET) {
			if (d->d.addr.sa_family != AF_INET) {
				errno = EAFNOSUPPORT;
				return -1;
			}
			e->type = BPROC_MOVE_IO_SOCKET;
			memcpy(e->addr, &d->d.addr, sizeof(struct sockaddr_in));
		} else {
			goto inval;
		}
	}
	if (bproc_move_io_check_all(set->e, (unsigned int)iolen, NULL))
		goto inval;
	set->n = (unsigned int)iolen;
	return 0;
inval:
	errno = EINVAL;
	return -1;
}

/*
 * A "move" to where the caller already is, with descriptors: set them up
 * here, as the node would.  0, or -1 with errno (nothing changed).
 */
static int io_set_apply_here(const struct io_set *set)
{
	int fds[BPROC_MOVE_IO_MAX], err = 0;
	unsigned int i;

	for (i = 0; i < set->n && !err; i++) {
		const struct bproc_move_io *e = &set->e[i];

		if (e->type == BPROC_MOVE_IO_FILE) {
			fds[i] = open(e->name, (int)e->oflags | O_CLOEXEC, e->mode);
			if (fds[i] >= 0 && e->offset && !(e->oflags & O_APPEND) &&
			    lseek(fds[i], e->offset, SEEK_SET) < 0) {
				close(fds[i]);
				fds[i] = -1;
			}
		} else {
			fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fds[i] >= 0 &&
			    connect(fds[i], (const struct sockaddr *)e->addr,
				    sizeof(struct sockaddr_in)) < 0) {
				close(fds[i]);
				fds[i] = -1;
			}
		}
		/* Above 2: a target must not be closed as a source below. */
		if (fds[i] >= 0 && fds[i] <= 2) {
			int high = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);

			close(fds[i]);
			fds[i] = high;
		}
		if (fds[i] < 0)
			err = errno;
	}
	if (!err)
		for (unsigned int k = 0; k < i && !err; k++)
			if (dup2(fds[k], set->e[k].fd) < 0)
				err = errno;
	while (i--)
		if (fds[i] >= 0)
			close(fds[i]);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* BPROC_IOC_MOVE or BPROC_IOC_EXECMOVE of the caller. */
static int move_ioctl(unsigned long cmd, int real, int flags, const struct io_set *set)
{
	struct bproc_move_req req;
	int cfd = bproc_control_fd();

	if (cfd < 0)
		return -1;
	memset(&req, 0, sizeof(req));
	req.node = real;
	req.flags = (unsigned int)flags;
	if (set && set->n) {
		req.io = (uintptr_t)set->e;
		req.nio = set->n;
		if (set->in)
			req.flags &= ~(unsigned int)BPROC_MOVE_STDIN;
	}
	return ioctl(cfd, cmd, &req);
}

static int move_set(int node, int flags, const struct io_set *set)
{
	int real;

	if (bproc_lib_resolve(node, &real))
		return -1;
	if (set && set->n && (real == BPROC_NODE_SELF || real == bproc_currnode()))
		return io_set_apply_here(set);
	if (move_ioctl(BPROC_IOC_MOVE, real, flags, set) < 0)
		return -1;
	/* On the node: a new process image, with no descriptor of ours. */
	bproc_control_forget();
	return 0;
}

int _bproc_move(int node, int flags)
{
	return move_set(node, flags, NULL);
}

int _bproc_move_io(int node, struct bproc_io_t *io, int iolen, int flags)
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return move_set(node, flags, &set);
}

int bproc_move_io(int node, struct bproc_io_t *io, int iolen)
{
	return _bproc_move_io(node, io, iolen, BPROC_DEFAULT_FLAGS);
}

/* The manual's bproc_move(node, flags). */
int bproc_move(int node, int flags)
{
	return _bproc_move(node, flags);
}

/* bproc 4's bproc_move(node) (<sys/bproc.h> with BPROC_API_4). */
int bproc4_move(int node)
{
	return _bproc_move(node, BPROC_DEFAULT_FLAGS);
}

/*
 * Is any child of ours waitable (other than the one just reaped)?  Then a
 * SIGCHLD we took away belonged to it too, and must be given back.
 */
static int other_child_waitable(void)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	if (waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WCONTINUED | WNOHANG |
		   WNOWAIT) < 0)
		return 0;
	return si.si_pid != 0;
}

/* What a spawned child runs on its node: an execmove, or (NULL) nothing. */
struct spawn_exec {
	const char *cmd;
	char *const *argv;
	char *const *envp;
};

/*
 * Fork a child and place it on @node: moved (@ex NULL: it returns 0 from
 * here, on the node), or exec'd there with execmove (its environment saying
 * BPROC_RANK=@rank if it has that variable and @rank >= 0).  The parent gets the
 * child's PID, or -1 with errno, and then no child is left and no SIGCHLD
 * of it arrives.  A child that fails writes its errno to a close-on-exec
 * pipe: end of file without a word means it got there.
 */
static char *const *rank_env(char *const envp[], int rank);
static int execmove_set(int node, int flags, const struct io_set *set, const char *cmd,
			char *const argv[], char *const envp[]);

static pid_t spawn_ranked(int node, int flags, const struct io_set *set,
			  const struct spawn_exec *ex, int rank)
{
	sigset_t chld, old;
	int p[2], err, n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	/* The failed child's SIGCHLD must not reach the caller. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);

	pid = fork();
	if (pid < 0) {
		err = errno;
		goto out;
	}
	if (pid == 0) {
		close(p[0]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		if (!ex && move_set(node, flags, set) == 0)
			return 0;	/* on the node */
		if (ex)
			execmove_set(node, flags, set, ex->cmd, ex->argv,
				     rank < 0 ? ex->envp : rank_env(ex->envp, rank));
		err = errno;
		if (write(p[1], &err, sizeof(err)) != sizeof(err))
			_exit(127);
		_exit(127);
	}
	close(p[1]);
	p[1] = -1;
	/* End of file without a word: the child moved (its ghost closed it). */
	do
		n = read(p[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(err)) {
		waitpid(pid, NULL, 0);
		if (!other_child_waitable()) {
			struct timespec zero = { 0, 0 };

			sigtimedwait(&chld, NULL, &zero);
		}
		pid = -1;
	} else {
		err = 0;
	}
out:
	close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		errno = err;
	return pid;
}

int _bproc_rfork(int node, int flags)
{
	return spawn_ranked(node, flags, NULL, NULL, -1);
}

int _bproc_rfork_io(int node, struct bproc_io_t *io, int iolen, int flags)
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return spawn_ranked(node, flags, &set, NULL, -1);
}

int bproc_rfork_io(int node, struct bproc_io_t *io, int iolen)
{
	return _bproc_rfork_io(node, io, iolen, BPROC_DEFAULT_FLAGS);
}

int bproc_rfork(int node, int flags)
{
	return _bproc_rfork(node, flags);
}

int bproc4_rfork(int node)
{
	return _bproc_rfork(node, BPROC_DEFAULT_FLAGS);
}

/*
 * The manual's bproc_execmove(): exec @cmd and move to @node before the new
 * program runs (the kernel moves it at its first instruction).  Returns
 * only on failure: -1 with errno (the node's status or permission, or the
 * exec's error), the caller unchanged.
 */
int bproc_execmove(int node, const char *cmd, char *const argv[],
		   char *const envp[])
{
	return _bproc_execmove(node, BPROC_DEFAULT_FLAGS, cmd, argv, envp);
}

static int execmove_set(int node, int flags, const struct io_set *set, const char *cmd,
			char *const argv[], char *const envp[])
{
	int real, err;

	if (bproc_lib_resolve(node, &real))
		return -1;
	if (real == BPROC_NODE_SELF || real == bproc_currnode()) {
		if (set && set->n && io_set_apply_here(set))
			return -1;
		return execve(cmd, argv, envp);
	}
	if (move_ioctl(BPROC_IOC_EXECMOVE, real, flags, set) < 0)
		return -1;
	execve(cmd, argv, envp);
	err = errno;
	move_ioctl(BPROC_IOC_EXECMOVE, BPROC_NODE_NONE, 0, NULL);	/* disarm */
	errno = err;
	return -1;
}

/* bproc_execmove() with flags: BPROC_DUMP_*, BPROC_MOVE_STDIN. */
int _bproc_execmove(int node, int flags, const char *cmd, char *const argv[],
		    char *const envp[])
{
	return execmove_set(node, flags, NULL, cmd, argv, envp);
}

int _bproc_execmove_io(int node, struct bproc_io_t *io, int iolen, int flags,
		       const char *cmd, char *const argv[], char *const envp[])
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return execmove_set(node, flags, &set, cmd, argv, envp);
}

int bproc_execmove_io(int node, struct bproc_io_t *io, int iolen, const char *cmd,
		      char *const argv[], char *const envp[])
{
	return _bproc_execmove_io(node, io, iolen, BPROC_DEFAULT_FLAGS, cmd, argv, envp);
}

/*
 * bproc_pidnode() - where process @pid runs: a node number, or
 * BPROC_NODE_MASTER (-1) for a process on the master.  -1 with errno is
 * indistinguishable from the master only for a failed call: ESRCH (no such
 * process), ENOSYS (bproc not loaded); set errno to 0 first to tell.
 */
int bproc_pidnode(int pid)
{
	char rel[32], buf[16];

	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	snprintf(rel, sizeof(rel), "%d/node", pid);
	if (bproc_lib_read(bproc_lib_procfs(), rel, buf, sizeof(buf)) < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return -1;
	}
	return atoi(buf);
}

/*
 * bproc_proclist() - the remote processes on @node (BPROC_NODE_ANY: on every
 * node): their count, and in *@list a malloc'd array of them (free() it).
 * -1 with errno on failure.
 */
int bproc_proclist(int node, struct bproc_proc_info_t **list)
{
	struct bproc_proc_info_t *a = NULL, *p;
	char path[256];
	int n = 0, pid, nd;
	FILE *f;

	snprintf(path, sizeof(path), "%s/processes", bproc_lib_procfs());
	f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			errno = ENOSYS;
		return -1;
	}
	while (fscanf(f, "%d %d", &pid, &nd) == 2) {
		if (node != BPROC_NODE_ANY && nd != node)
			continue;
		p = realloc(a, (n + 1) * sizeof(*a));
		if (!p) {
			free(a);
			fclose(f);
			errno = ENOMEM;
			return -1;
		}
		a = p;
		a[n].pid = pid;
		a[n].node = nd;
		n++;
	}
	fclose(f);
	*list = a;
	return n;
}

/*
 * bproc_rexec() - run @cmd on @node from the node's own files: the caller
 * moves there (without its executable's data: it is replaced at once) and
 * execs @cmd.  Returns only on failure, -1 with errno: the move failed (the
 * caller goes on unchanged), or the exec failed on the node, and the caller
 * moved back to where it was and goes on there.  Should even that move
 * fail, the process writes "bproc_rexec: CMD: error" to its stderr and
 * exits with status 127, like a shell's command-not-found.
 */
static int rexec_set(int node, const struct io_set *set, const char *cmd,
		     char *const argv[], char *const envp[])
{
	int from = bproc_currnode();
	char msg[512];
	int n, err;

	if (move_set(node, BPROC_DUMP_EXEC | BPROC_DUMP_OTHER, set) < 0)
		return -1;
	execve(cmd, argv, envp);
	err = errno;
	if (_bproc_move(from, BPROC_DUMP_EXEC | BPROC_DUMP_OTHER) == 0) {
		errno = err;
		return -1;
	}
	n = snprintf(msg, sizeof(msg), "bproc_rexec: %s: %s\n", cmd,
		     strerror(err));
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* Nothing more to say. */
	}
	_exit(127);
}

int bproc_rexec(int node, const char *cmd, char *const argv[],
		char *const envp[])
{
	return rexec_set(node, NULL, cmd, argv, envp);
}

int bproc_rexec_io(int node, struct bproc_io_t *io, int iolen, const char *cmd,
		   char *const argv[], char *const envp[])
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return rexec_set(node, &set, cmd, argv, envp);
}

/* ---- the vector forms ------------------------------------------------ */

static int vector_check(int nnodes, const int *nodes, const int *pids)
{
	if (nnodes <= 0) {
		errno = EINVAL;
		return -1;
	}
	if (!nodes || !pids) {
		errno = EFAULT;
		return -1;
	}
	return 0;
}

/*
 * _bproc_vrfork() - bproc_rfork() to each of @nodes[0..@nnodes-1], one
 * after the other.  In child i (on nodes[i]) it returns i; in the parent
 * @nnodes, with pids[i] the PID of child i or, if it could not be placed,
 * minus its errno.  -1 with errno (EINVAL, EFAULT) if nothing was tried.
 */
static int vrfork_set(int nnodes, int *nodes, int *pids, const struct io_set *set,
		      int flags)
{
	int i;
	pid_t pid;

	if (vector_check(nnodes, nodes, pids))
		return -1;
	for (i = 0; i < nnodes; i++) {
		pid = spawn_ranked(nodes[i], flags, set, NULL, -1);
		if (pid == 0)
			return i;
		pids[i] = pid > 0 ? pid : -errno;
	}
	return nnodes;
}

int _bproc_vrfork(int nnodes, int *nodes, int *pids, int flags)
{
	return vrfork_set(nnodes, nodes, pids, NULL, flags);
}

int bproc_vrfork(int nnodes, int *nodes, int *pids)
{
	return _bproc_vrfork(nnodes, nodes, pids, BPROC_DEFAULT_FLAGS);
}

int _bproc_vrfork_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		     int iolen, int flags)
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return vrfork_set(nnodes, nodes, pids, &set, flags);
}

int bproc_vrfork_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		    int iolen)
{
	return _bproc_vrfork_io(nnodes, nodes, pids, io, iolen, BPROC_DEFAULT_FLAGS);
}

/*
 * @envp with "BPROC_RANK=..." (if it has one) saying @rank; malloc'd (only
 * in the child, which execs or exits at once), or @envp itself.
 */
static char *const *rank_env(char *const envp[], int rank)
{
	static char rankvar[32];
	char **e;
	size_t n, i;

	if (!envp)
		return envp;
	for (n = 0; envp[n]; n++)
		;
	for (i = 0; i < n; i++)
		if (!strncmp(envp[i], "BPROC_RANK=", 11))
			break;
	if (i == n)
		return envp;
	e = malloc((n + 1) * sizeof(*e));
	if (!e)
		return envp;
	memcpy(e, envp, (n + 1) * sizeof(*e));
	snprintf(rankvar, sizeof(rankvar), "BPROC_RANK=%d", rank);
	e[i] = rankvar;
	return e;
}

/*
 * _bproc_vexecmove() - bproc_execmove() of @cmd to each of @nodes, one
 * after the other, from children of the caller.  Returns @nnodes, with
 * pids[i] the PID of the process on nodes[i] or minus the errno that kept
 * it from starting there; -1 with errno (EINVAL, EFAULT) if nothing was
 * tried.  An entry "BPROC_RANK=..." in @envp becomes "BPROC_RANK=i" in
 * process i (as bproc 4 did), so each knows its index.
 */
static int vexecmove_set(int nnodes, int *nodes, int *pids, const struct io_set *set,
			 int flags, const char *cmd, char *const argv[], char *const envp[])
{
	struct spawn_exec ex = { cmd, argv, envp };
	int i;
	pid_t pid;

	if (vector_check(nnodes, nodes, pids))
		return -1;
	for (i = 0; i < nnodes; i++) {
		ex.envp = envp;
		pid = spawn_ranked(nodes[i], flags, set, &ex, i);
		pids[i] = pid > 0 ? pid : -errno;
	}
	return nnodes;
}

int _bproc_vexecmove(int nnodes, int *nodes, int *pids, int flags,
		     const char *cmd, char *const argv[], char *const envp[])
{
	return vexecmove_set(nnodes, nodes, pids, NULL, flags, cmd, argv, envp);
}

int bproc_vexecmove(int nnodes, int *nodes, int *pids, const char *cmd,
		    char *const argv[], char *const envp[])
{
	return _bproc_vexecmove(nnodes, nodes, pids, BPROC_DEFAULT_FLAGS, cmd,
				argv, envp);
}

int _bproc_vexecmove_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
			int iolen, int flags, const char *cmd, char *const argv[],
			char *const envp[])
{
	struct io_set set;

	if (io_set_make(io, iolen, &set))
		return -1;
	return vexecmove_set(nnodes, nodes, pids, &set, flags, cmd, argv, envp);
}

int bproc_vexecmove_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		       int iolen, const char *cmd, char *const argv[],
		       char *const envp[])
{
	return _bproc_vexecmove_io(nnodes, nodes, pids, io, iolen, BPROC_DEFAULT_FLAGS,
				   cmd, argv, envp);
}
