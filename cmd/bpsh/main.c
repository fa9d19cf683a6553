// SPDX-License-Identifier: GPL-2.0
/*
 * bpsh [options] NODESPEC CMD [ARGS...], bpsh -a|-A|-1 [options] CMD
 * [ARGS...]: run CMD on cluster nodes, with the options of bproc 4's bpsh.
 *
 * One child per node.  The child execs CMD and moves to its node before
 * CMD runs (bproc_execmove()); from then on it is the remote process's
 * ghost: it keeps the child's PID, passes on every signal sent to it,
 * writes the remote stdout and stderr into its own fds 1 and 2, and exits
 * with the remote status.  On the master (-1, "master") the child simply
 * execs CMD.  bpsh waits for every child and exits with the highest exit
 * code, or 255 when a node failed to start, a process died by a signal, or
 * bpsh itself failed.
 *
 * Output: by default the children write straight into bpsh's stdout and
 * stderr.  -L, -p and -s give each child two pipes instead, which bpsh
 * reads in one poll() loop and relays: whole lines (-L), prefixed with
 * the node number (-p), or each node's output in node order (-s: the current
 * node's output is relayed at once, the others' held in memory).
 *
 * Input: the ghosts forward what their stdin reads (BPROC_MOVE_STDIN).  With
 * one node the child keeps bpsh's stdin; with several, each child gets a
 * pipe and bpsh copies its stdin into all of them, as bproc 4 did (one
 * shared stdin would give each process a random part of it).  -n and -N
 * give every process /dev/null.
 *
 * Launchers that expect ssh (MPICH's Hydra: "mpiexec -launcher ssh
 * -launcher-exec bpsh") pass ssh's -x (no X11 forwarding: bproc forwards
 * none, so it is accepted and ignored), -n, -l USER (accepted when USER is
 * the caller: a process runs on a node as its owner, never as another
 * user), a node name as NODES (nN: bproc_nodespec(3)), and a command as a shell command line, with its words quoted
 * for the remote shell ("\"/usr/bin/hydra_pmi_proxy\" --control-port ...").
 * So, as ssh does, a command that names no program but is a shell command
 * line (its first word has a quote, a blank or another character special
 * to the shell) runs as /bin/sh -c "WORDS" with the words joined by
 * blanks.  A command that names a program is still run directly, as
 * bproc's bpsh always did.
 *
 * Signals: SIGCHLD and the signals bpsh passes on arrive through a
 * signalfd in the same loop.  SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1
 * and SIGUSR2 sent to bpsh go to every child still running, except those
 * the terminal sent (Ctrl-C): the terminal sends them to the whole
 * foreground process group, the children included.
 *
 * This file is the command line; bpsh.h says where the rest is.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

#include "bpsh.h"

/* -b: the I/O buffer size, the longest line -L and -p keep whole. */
#define DEFAULT_BUFSIZE 4096
#define MAX_BUFSIZE (16 << 20)

struct options o = { .bufsize = DEFAULT_BUFSIZE };
struct job *jobs;
int njobs;
int stdin_mode;
struct bproc_io_t redir[3];
int nredir;
bool relay;
bool own_failure;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: bpsh [options] NODES CMD [ARGS...]\n"
		"       bpsh -a|-A|-1 [options] CMD [ARGS...]\n"
		"  -h, --help       show this help and exit\n"
		"  -v, -V, --version  show the version and exit\n"
		"\n"
		"NODES: node numbers (4, n4, .4), ranges (5-8, 5-), states (allup,\n"
		"!down), all, master; separated by commas; or a node's IP address.\n"
		"  -a               every node that is up\n"
		"  -A               every node that is not down\n"
		"  -1               the master (run CMD here)\n"
		"\n"
		"Input and output:\n"
		"  -n               standard input from /dev/null\n"
		"  -N               no I/O: stdin, stdout and stderr are /dev/null\n"
		"  -L               relay output in whole lines\n"
		"  -p               prefix each line with the node number (implies -L)\n"
		"  -s               each node's output in turn, in node order\n"
		"  -d               a divider line before each node's output (implies -s)\n"
		"  -b SIZE          I/O buffer size, the longest whole line (default %d)\n"
		"  -I, --stdin FILE   stdin from FILE on the node\n"
		"  -O, --stdout FILE  stdout to FILE on the node (created or truncated)\n"
		"  -E, --stderr FILE  stderr to FILE on the node (created or truncated)\n"
		"  -t, --time       print the elapsed time, process creation included\n"
		"\n"
		"For launchers that expect ssh: -x (ignored), -l USER (the caller only);\n"
		"a command that is no program but a shell command line runs with /bin/sh -c.\n",
		DEFAULT_BUFSIZE);
}

/*
 * -I/-O/-E FILE: opened on the node, as the user, before CMD runs (a name
 * relative to bpsh's working directory, which CMD starts in too).  The
 * last of each wins.
 */
static int add_redirect(int opt, const char *file)
{
	int fd = opt == 'I' ? 0 : opt == 'O' ? 1 : 2, i;
	struct bproc_io_t *r;
	mode_t mask = umask(0);

	umask(mask);
	if (!*file || strlen(file) >= sizeof(redir[0].d.file.name)) {
		fprintf(stderr, "bpsh: -%c: %s\n", opt, *file ? "file name too long" : "no file");
		return -1;
	}
	for (i = 0; i < nredir && redir[i].fd != fd; i++)
		;
	if (i == nredir)
		nredir++;
	r = &redir[i];
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->type = BPROC_IO_FILE;
	r->d.file.flags = fd ? O_WRONLY | O_CREAT | O_TRUNC : O_RDONLY;
	r->d.file.mode = fd ? 0666 & ~mask : 0;
	snprintf(r->d.file.name, sizeof(r->d.file.name), "%s", file);
	if (fd == 0)
		o.stdin_null = true;	/* nothing of bpsh's stdin goes there */
	return 0;
}

/*
 * CMD as execvp() would find it (PATH, else /bin:/usr/bin): a malloc'd
 * path, or NULL.  bproc_execmove() takes a path.
 */
static char *which(const char *cmd)
{
	const char *path, *p, *end;
	struct stat st;
	struct buf b;

	if (!*cmd)
		return NULL;
	if (strchr(cmd, '/'))
		return strdup(cmd); /* the exec reports what is wrong */
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchrnul(p, ':');
		memset(&b, 0, sizeof(b));
		if (end == p) /* an empty element is the current directory */
			buf_add(&b, ".", 1);
		else
			buf_add(&b, p, (size_t)(end - p));
		buf_add(&b, "/", 1);
		buf_add(&b, cmd, strlen(cmd) + 1);
		if (stat(b.p, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(b.p, X_OK) == 0)
			return b.p;
		free(b.p);
		if (!*end)
			return NULL;
	}
}

/*
 * Is @word the start of a shell command line rather than a program's name:
 * does it hold a blank, a quote or another character the shell treats
 * specially?  (What an ssh launcher quotes for the remote shell.)
 */
static bool shell_syntax(const char *word)
{
	return word[strcspn(word, " \t\n'\"\\$`|&;<>()*?[#~")] != '\0';
}

/*
 * @cmd as ssh runs a remote command: "/bin/sh", "-c", and its words joined
 * by single blanks.  A malloc'd argv (its string too).
 */
static char **shell_command(char **cmd)
{
	size_t len = 1, i, n = 0;
	char **argv, *line;

	for (i = 0; cmd[i]; i++)
		len += strlen(cmd[i]) + 1;
	argv = xrealloc(NULL, 4 * sizeof(*argv));
	line = xrealloc(NULL, len);
	for (i = 0; cmd[i]; i++) {
		if (i)
			line[n++] = ' ';
		memcpy(line + n, cmd[i], strlen(cmd[i]));
		n += strlen(cmd[i]);
	}
	line[n] = '\0';
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = line;
	argv[3] = NULL;
	return argv;
}

/*
 * -l USER: the caller's login name ($LOGNAME or $USER: bpsh is static and
 * asks no name service) or UID, or -1 after a message.  Only a check of
 * what the launcher meant: the process runs as the caller either way.
 */
static int check_user(const char *user)
{
	const char *me[] = { getenv("LOGNAME"), getenv("USER") };
	char *end;
	unsigned long uid;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(me); i++)
		if (me[i] && !strcmp(user, me[i]))
			return 0;
	errno = 0;
	uid = strtoul(user, &end, 10);
	if (*user >= '0' && *user <= '9' && !*end && !errno && uid == getuid())
		return 0;
	fprintf(stderr, "bpsh: -l %s: processes run on nodes as their owner (UID %u) only\n",
		user, (unsigned int)getuid());
	return -1;
}

/* NODES is a node's IP address (bproc 4 took one): that node, in @ns. */
static int nodes_by_addr(struct bproc_node_set_t *ns, const char *s)
{
	struct bproc_node_set_t all = BPROC_EMPTY_NODESET;
	struct sockaddr_in sin;
	struct in_addr want;
	int i, r = -1;

	if (inet_pton(AF_INET, s, &want) != 1)
		return -1;
	if (bproc_nodelist(&all) < 0)
		return -1;
	for (i = 0; i < all.size && r < 0; i++) {
		memcpy(&sin, &all.node[i].addr, sizeof(sin));
		if (sin.sin_family == AF_INET &&
		    sin.sin_addr.s_addr == want.s_addr)
			r = bproc_nodeset_init(ns, 0) ||
			    bproc_nodeset_add(ns, &all.node[i]);
	}
	bproc_nodeset_free(&all);
	return r;
}

/* The nodes of @spec into @ns.  Returns 0, or -1 after a message. */
static int select_nodes(struct bproc_node_set_t *ns, const char *spec)
{
	int err;

	if (bproc_nodespec(ns, spec) == 0)
		return 0;
	err = errno;
	if (err == EINVAL && nodes_by_addr(ns, spec) == 0)
		return 0;
	if (err == EINVAL)
		fprintf(stderr, "bpsh: invalid node specification '%s'\n",
			spec);
	else if (err == ENODEV)
		fprintf(stderr, "bpsh: '%s': no such node\n", spec);
	else
		fprintf(stderr, "bpsh: cannot read the node table: %s\n",
			bproc_strerror(err));
	return -1;
}

/* -b SIZE: bytes, decimal, 0x hex or 0 octal (as bproc 4). */
static int parse_bufsize(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (*s < '0' || *s > '9' || *end || errno || v == 0 ||
	    v > MAX_BUFSIZE) {
		fprintf(stderr,
			"bpsh: invalid buffer size '%s' (1 to %d bytes)\n", s,
			MAX_BUFSIZE);
		return -1;
	}
	o.bufsize = v;
	return 0;
}

/* Make sure fds 0-2 are open, so that no pipe of ours lands on them. */
static void open_std_fds(void)
{
	int fd;

	for (fd = 0; fd <= STDERR_FILENO; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			exit(BPSH_FAIL);
}

/*
 * The command line into @spec or @which_nodes (-a, -A, -1: a node
 * specification) and @cmd.  Returns -1 to go on, or the exit status (after
 * -h, -v, or a usage error with its message).
 */
static int parse_args(int argc, char **argv, const char **spec,
		      const char **which_nodes, char ***cmd)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "stdin", required_argument, NULL, 'I' },
		{ "stdout", required_argument, NULL, 'O' },
		{ "stderr", required_argument, NULL, 'E' },
		{ "time", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	/*
	 * Options may come before and after NODES; the first word after
	 * NODES (or after -a, -A, -1) is the command, whose own options
	 * are left alone ('+').
	 */
	while (!*cmd && optind < argc) {
		c = getopt_long(argc, argv,
				"+hvVaA1nNLpsdb:I:O:E:tl:x", longopts, NULL);
		switch (c) {
		case -1: /* a word, or the end of the options ("--") */
			if (optind >= argc)
				break;
			if (!*spec && !*which_nodes)
				*spec = argv[optind++];
			else
				*cmd = &argv[optind];
			continue;
		case 'h':
			print_usage(stdout);
			return 0;
		case 'v':
		case 'V':
			printf("bpsh version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'a':
		case 'A':
		case '1':
			if (*which_nodes || *spec) {
				fprintf(stderr,
					"bpsh: give one of NODES, -a, -A and -1\n");
				return BPSH_FAIL;
			}
			*which_nodes = c == 'a' ? "allup" :
				       c == 'A' ? "allnotdown" :
						  "master";
			break;
		case 'n':
			o.stdin_null = true;
			break;
		case 'N':
			o.no_io = true;
			break;
		case 'L':
			o.linebuf = true;
			break;
		case 'p':
			o.prefix = true;
			o.linebuf = true;
			break;
		case 's':
			o.seq = true;
			break;
		case 'd':
			o.divider = true;
			o.seq = true;
			break;
		case 'b':
			if (parse_bufsize(optarg))
				return BPSH_FAIL;
			break;
		case 'I':
		case 'O':
		case 'E':
			if (add_redirect(c, optarg))
				return BPSH_FAIL;
			break;
		case 't':
			o.timing = true;
			break;
		case 'l': /* ssh's and rsh's -l USER (bproc 4 ignored it) */
			if (check_user(optarg))
				return BPSH_FAIL;
			break;
		case 'x': /* ssh's "no X11 forwarding": there is none */
			break;
		default:
			print_usage(stderr);
			return BPSH_FAIL;
		}
	}
	if (!*cmd) {
		print_usage(stderr);
		return BPSH_FAIL;
	}
	if (o.no_io) { /* nothing to relay */
		o.linebuf = false;
		o.prefix = false;
		o.seq = false;
		o.divider = false;
	}
	return -1;
}

/* Run @path (@cmd) on the nodes of @ns.  Returns the exit status. */
static int run(const struct bproc_node_set_t *ns, const char *path, char **cmd)
{
	struct timespec t0, t1;
	int i, sfd, rc = 0;

	njobs = ns->size;
	jobs = xrealloc(NULL, (size_t)njobs * sizeof(*jobs));
	memset(jobs, 0, (size_t)njobs * sizeof(*jobs));
	for (i = 0; i < njobs; i++) {
		jobs[i].node = ns->node[i].node;
		jobs[i].rank = i;
		jobs[i].startfd = -1;
		jobs[i].s[0].fd = -1;
		jobs[i].s[1].fd = -1;
		jobs[i].infd = -1;
	}
	relay = !o.no_io && (o.linebuf || o.seq);
	if (o.stdin_null || o.no_io) {
		stdin_mode = STDIN_NULL;
	} else if (njobs == 1) {
		stdin_mode = STDIN_SHARED;
	} else {
		stdin_mode = STDIN_COPIED;
		in.fd = STDIN_FILENO;
		in.buf = xrealloc(NULL, o.bufsize);
	}
	sfd = setup_signals();
	if (sfd < 0)
		return BPSH_FAIL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (o.divider)
		divider(&jobs[0]);
	for (i = 0; i < njobs; i++) {
		struct job *j = &jobs[i];

		if (j->node != BPROC_NODE_MASTER &&
		    strcmp(ns->node[i].status, "up"))
			j->err = EHOSTDOWN; /* the kernel would say the same */
		else
			start(j, path, cmd);
		if (j->err) {
			j->reaped = true; /* no child to wait for */
			say_error(j);
			check_done(j);
		}
	}
	if (loop(sfd))
		own_failure = true;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(sfd);

	for (i = 0; i < njobs; i++)
		if (job_code(&jobs[i]) > rc)
			rc = job_code(&jobs[i]);
	if (o.timing)
		fprintf(stderr, "%.6f\n",
			(double)(t1.tv_sec - t0.tv_sec) +
				(double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return own_failure ? BPSH_FAIL : rc;
}

int main(int argc, char **argv)
{
	struct bproc_node_set_t ns = BPROC_EMPTY_NODESET;
	const char *spec = NULL, *which_nodes = NULL;
	char **cmd = NULL, *path;
	int rc;

	open_std_fds();
	rc = parse_args(argc, argv, &spec, &which_nodes, &cmd);
	if (rc >= 0)
		return rc;
	path = which(cmd[0]);
	if ((!path || access(path, X_OK)) && shell_syntax(cmd[0])) {
		/* a shell command line, as an ssh launcher gives one */
		free(path);
		cmd = shell_command(cmd);
		path = strdup(cmd[0]);
	}
	if (!path) {
		fprintf(stderr, "bpsh: %s: command not found\n", cmd[0]);
		return BPSH_FAIL;
	}
	if (which_nodes && !strcmp(which_nodes, "master")) {
		/* -1 needs no node table: it runs where bpsh runs. */
		struct bproc_node_info_t master = { .node = BPROC_NODE_MASTER,
						    .status = "up" };

		if (bproc_nodeset_init(&ns, 0) ||
		    bproc_nodeset_add(&ns, &master)) {
			fprintf(stderr, "bpsh: out of memory\n");
			rc = BPSH_FAIL;
		}
	} else if (select_nodes(&ns, which_nodes ? which_nodes : spec)) {
		rc = BPSH_FAIL;
	}
	/* No node selected (-a while none is up): nothing to do (bproc 4). */
	if (rc < 0)
		rc = ns.size ? run(&ns, path, cmd) : 0;
	bproc_nodeset_free(&ns);
	free(path);
	return rc;
}
