// SPDX-License-Identifier: GPL-2.0
/*
 * bpstat [options] [NODES...]: the state of the cluster's nodes, with the
 * options and output of bproc 4's bpstat.  By default a compact table in
 * which nodes of the same status, mode, user and group share a row
 * ("0-3,5"); -l one node per line with its address; -a, -s, -n one
 * address, status or number per line; -t how many nodes.  NODES are node
 * specifications (bproc_nodespec(3)); none means "all".  -U redraws the
 * table whenever it changes, -p prints the process table, -P adds a NODE
 * column to ps(1) output, -A HOST names the node with that address.
 *
 * Everything comes from libbproc (bproc_nodelist(), bproc_nodefilter()),
 * which reads /sys/bproc; -p and -P: bproc_proclist(), /proc/bproc/processes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

/* Compact table: the widths of the columns after "Node(s)" (as bproc 4). */
#define STATUS_W BPROC_STATE_LEN
#define MODE_W 10
#define USER_W 8
#define GROUP_W 8
#define NODES_MIN_W 11

/* -U: how often the node table is read again, in milliseconds. */
#define UPDATE_MS 1000

typedef void print_fn(FILE *f, const struct bproc_node_info_t *ni, int n);

enum sort_order { SORT_DEFAULT, SORT_NUMBER, SORT_STATUS, SORT_NONE };

static int sort_reverse;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: bpstat [options] [NODES...]\n"
		"  -h, --help          show this help and exit\n"
		"  -v, -V, --version   show the version and exit\n"
		"\n"
		"NODES: node numbers (4), ranges (5-8, 5-), states (up, allup, !down,\n"
		"allnotdown), all, master; separated by commas; default: all.\n"
		"\n"
		"Output (default -c):\n"
		"  -c, --compact       table of nodes grouped by status, mode, user, group\n"
		"  -l, --long          one node per line, with its address\n"
		"  -a, --address       the address of each node\n"
		"  -s, --status        the status of each node\n"
		"  -n, --number        the number of each node\n"
		"  -t, --total         how many nodes\n"
		"\n"
		"Order (default: -S for -c, -N otherwise):\n"
		"  -R, --sort-reverse  reverse the order\n"
		"  -N, --sort-number   by node number\n"
		"  -S, --sort-status   by status, then node number\n"
		"  -O, --keep-order    in the order NODES name them\n"
		"\n"
		"Other:\n"
		"  -U, --update        redraw whenever the table changes (until interrupted)\n"
		"  -L, --lock          ignore SIGINT and SIGTSTP (unattended terminal)\n"
		"  -A HOST             print the number of the node with HOST's address\n"
		"  -p                  print the process table (PID and node)\n"
		"  -P                  read ps(1) output on stdin, add a NODE column\n");
}

static void mode_string(char *buf, size_t len, unsigned int mode)
{
	snprintf(buf, len, "---%c--%c--%c", mode & 0100 ? 'x' : '-',
		 mode & 0010 ? 'x' : '-', mode & 0001 ? 'x' : '-');
}

/* A user or group name, or "#ID" when the ID has none. */
static const char *user_name(unsigned int uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		return pw->pw_name;
	snprintf(buf, len, "#%u", uid);
	return buf;
}

static const char *group_name(unsigned int gid, char *buf, size_t len)
{
	struct group *gr = getgrgid(gid);

	if (gr)
		return gr->gr_name;
	snprintf(buf, len, "#%u", gid);
	return buf;
}

/* The node's IPv4 address; 0.0.0.0 when it has none (as the sysfs file). */
static const char *addr_string(const struct bproc_node_info_t *ni, char *buf,
			       size_t len)
{
	struct sockaddr_in sin;

	memcpy(&sin, &ni->addr, sizeof(sin));
	if (sin.sin_family != AF_INET)
		sin.sin_addr.s_addr = htonl(INADDR_ANY);
	if (!inet_ntop(AF_INET, &sin.sin_addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

static int same_row(const struct bproc_node_info_t *a,
		    const struct bproc_node_info_t *b)
{
	return !strcmp(a->status, b->status) && a->mode == b->mode &&
	       a->user == b->user && a->group == b->group;
}

/*
 * The last entry of the run that starts at @j: entries of the same row
 * whose node numbers follow each other (the master, -1, is never in one).
 */
static int run_end(const struct bproc_node_info_t *ni, int n, int j)
{
	int k = j;

	while (k + 1 < n && ni[k].node >= 0 && same_row(&ni[j], &ni[k + 1]) &&
	       ni[k + 1].node == ni[k].node + 1)
		k++;
	return k;
}

static int terminal_columns(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/*
 * What nodes reported to bpmaster for their administrator (a file system of
 * the config that did not mount): /run/bproc/notes/N, written by bpmaster
 * (cmd/bpmaster/bpmaster.h, NOTES_DIR), one line each, after the table.
 * $BPROC_NOTES names another directory (tests).
 */
static void print_notes(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	const char *dir = getenv("BPROC_NOTES") ?: "/run/bproc/notes";
	char path[PATH_MAX], line[512];
	int i;

	for (i = 0; i < n; i++) {
		FILE *nf;

		if (ni[i].node < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%d", dir, ni[i].node);
		nf = fopen(path, "re");
		if (!nf)
			continue;
		while (fgets(line, sizeof(line), nf)) {
			line[strcspn(line, "\n")] = '\0';
			for (char *c = line; *c; c++)	/* a terminal gets no controls */
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
			fprintf(f, "node %d: %s\n", ni[i].node, line);
		}
		fclose(nf);
	}
}

/*
 * The compact table.  Consecutive entries (in the sorted order) with the
 * same status, mode, user and group share a row; runs of consecutive node
 * numbers are printed as ranges.  The Node(s) column takes what the other
 * columns leave of the terminal's width; a list that does not fit goes on
 * in the next row.
 */
static void print_compact(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	int width =
		terminal_columns() - (STATUS_W + MODE_W + USER_W + GROUP_W + 5);
	char mode[16], ubuf[16], gbuf[16], piece[32];
	char *nodes;
	int i, j, k;
	size_t len, plen;

	if (width < NODES_MIN_W)
		width = NODES_MIN_W;
	nodes = malloc(width + 1);
	if (!nodes) {
		fprintf(stderr, "bpstat: out of memory\n");
		exit(1);
	}

	fprintf(f, "%-*s %-*s %-*s %-*s %s\n", width, "Node(s)", STATUS_W,
		"Status", MODE_W, "Mode", USER_W, "User", "Group");
	for (i = 0; i < n; i = j) {
		len = 0;
		nodes[0] = '\0';
		for (j = i; j < n && same_row(&ni[i], &ni[j]); j = k + 1) {
			k = run_end(ni, n, j);
			if (k > j)
				snprintf(piece, sizeof(piece), "%s%d-%d",
					 len ? "," : "", ni[j].node,
					 ni[k].node);
			else
				snprintf(piece, sizeof(piece), "%s%d",
					 len ? "," : "", ni[j].node);
			plen = strlen(piece);
			/* Full: the rest goes on the next row (one piece at least). */
			if (len && len + plen > (size_t)width)
				break;
			snprintf(nodes + len, width + 1 - len, "%s", piece);
			len = strlen(nodes);
		}
		mode_string(mode, sizeof(mode), ni[i].mode);
		fprintf(f, "%-*s %-*.*s %-*.*s %-*.*s %.*s\n", width, nodes,
			STATUS_W, STATUS_W, ni[i].status, MODE_W, MODE_W, mode,
			USER_W, USER_W,
			user_name(ni[i].user, ubuf, sizeof(ubuf)), GROUP_W,
			group_name(ni[i].group, gbuf, sizeof(gbuf)));
	}
	free(nodes);
	print_notes(f, ni, n);
}

static void print_long(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	char mode[16], ubuf[16], gbuf[16], abuf[INET_ADDRSTRLEN];
	int i;

	fprintf(f,
		"Node Address         Status       Mode          User       Group\n");
	for (i = 0; i < n; i++) {
		mode_string(mode, sizeof(mode), ni[i].mode);
		fprintf(f, "%4d %-15s %-12s %-13s %-10.10s %.10s\n", ni[i].node,
			addr_string(&ni[i], abuf, sizeof(abuf)), ni[i].status,
			mode, user_name(ni[i].user, ubuf, sizeof(ubuf)),
			group_name(ni[i].group, gbuf, sizeof(gbuf)));
	}
	print_notes(f, ni, n);
}

static void print_address(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	char abuf[INET_ADDRSTRLEN];
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", addr_string(&ni[i], abuf, sizeof(abuf)));
}

static void print_status(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", ni[i].status);
}

static void print_number(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%d\n", ni[i].node);
}

static void print_total(FILE *f, const struct bproc_node_info_t *ni, int n)
{
	(void)ni;
	fprintf(f, "%d\n", n);
}

static int cmp_number(const void *pa, const void *pb)
{
	const struct bproc_node_info_t *a = pa, *b = pb;
	int r = (a->node > b->node) - (a->node < b->node);

	return sort_reverse ? -r : r;
}

/* By status; nodes of the same status by number (ascending either way). */
static int cmp_status(const void *pa, const void *pb)
{
	const struct bproc_node_info_t *a = pa, *b = pb;
	int r = strcmp(a->status, b->status);

	if (r)
		return sort_reverse ? -r : r;
	return (a->node > b->node) - (a->node < b->node);
}

static void sort_nodes(struct bproc_node_set_t *ns, enum sort_order order)
{
	struct bproc_node_info_t tmp;
	int i;

	switch (order) {
	case SORT_NUMBER:
		qsort(ns->node, ns->size, sizeof(*ns->node), cmp_number);
		break;
	case SORT_STATUS:
		qsort(ns->node, ns->size, sizeof(*ns->node), cmp_status);
		break;
	default:
		if (!sort_reverse)
			break;
		for (i = 0; i < ns->size / 2; i++) {
			tmp = ns->node[i];
			ns->node[i] = ns->node[ns->size - 1 - i];
			ns->node[ns->size - 1 - i] = tmp;
		}
		break;
	}
}

/*
 * The nodes NODES select, in the order they name them, appended to @out.
 * Returns 0, or the exit status after a message: 2 for a bad node
 * specification, 1 when the node table cannot be read.
 */
static int select_nodes(struct bproc_node_set_t *out, char **specs, int nspecs)
{
	struct bproc_node_set_t all = BPROC_EMPTY_NODESET;
	struct bproc_node_set_t sel = BPROC_EMPTY_NODESET;
	const char *spec;
	int i, err;

	if (bproc_nodelist(&all) < 0) {
		fprintf(stderr, "bpstat: cannot read the node table: %s\n",
			bproc_strerror(errno));
		return 1;
	}
	for (i = 0; i < (nspecs ? nspecs : 1); i++) {
		spec = nspecs ? specs[i] : "all";
		if (bproc_nodefilter(&sel, &all, spec) < 0) {
			err = errno;
			if (err == EINVAL)
				fprintf(stderr,
					"bpstat: invalid node specification '%s'\n",
					spec);
			else if (err == ENODEV)
				fprintf(stderr, "bpstat: '%s': no such node\n",
					spec);
			else
				fprintf(stderr, "bpstat: '%s': %s\n", spec,
					bproc_strerror(err));
			bproc_nodeset_free(&all);
			return err == EINVAL || err == ENODEV ? 2 : 1;
		}
		err = bproc_nodeset_append(out, &sel);
		bproc_nodeset_free(&sel);
		if (err < 0) {
			fprintf(stderr, "bpstat: out of memory\n");
			bproc_nodeset_free(&all);
			return 1;
		}
	}
	bproc_nodeset_free(&all);
	return 0;
}

/* One picture of the selected nodes on @f.  Returns an exit status. */
static int show(FILE *f, print_fn *print, enum sort_order order, char **specs,
		int nspecs)
{
	struct bproc_node_set_t ns = BPROC_EMPTY_NODESET;
	int rc;

	rc = select_nodes(&ns, specs, nspecs);
	if (rc)
		return rc;
	sort_nodes(&ns, order);
	print(f, ns.node, ns.size);
	bproc_nodeset_free(&ns);
	return 0;
}

/* -U: read the table every UPDATE_MS; clear the screen and redraw on change. */
static int update_loop(print_fn *print, enum sort_order order, char **specs,
		       int nspecs)
{
	char *prev = NULL, *cur;
	size_t prev_len = 0, cur_len;
	FILE *m;
	int rc;

	for (;;) {
		cur = NULL;
		cur_len = 0;
		m = open_memstream(&cur, &cur_len);
		if (!m) {
			fprintf(stderr, "bpstat: %s\n", strerror(errno));
			free(prev);
			return 1;
		}
		rc = show(m, print, order, specs, nspecs);
		if (fclose(m) != 0 && !rc) {
			fprintf(stderr, "bpstat: %s\n", strerror(errno));
			rc = 1;
		}
		if (rc) {
			free(cur);
			free(prev);
			return rc;
		}
		if (!prev || cur_len != prev_len ||
		    memcmp(cur, prev, cur_len)) {
			fputs("\33[H\33[J", stdout);
			fwrite(cur, 1, cur_len, stdout);
			if (fflush(stdout) == EOF) {
				free(cur);
				free(prev);
				return 1;
			}
			free(prev);
			prev = cur;
			prev_len = cur_len;
		} else {
			free(cur);
		}
		poll(NULL, 0, UPDATE_MS);
	}
}

/* ------------------------------------------------------------------ */
/* Processes (-p, -P): bproc_proclist(), from /proc/bproc/processes   */
/* ------------------------------------------------------------------ */

/*
 * The process table (bproc_proclist()) into *@list, its length into *@n.  A
 * missing file is an empty table (the file arrives with remote processes).
 * Returns 0, or -1 with errno.
 */
static int read_procs(struct bproc_proc_info_t **list, int *n)
{
	*n = bproc_proclist(BPROC_NODE_ANY, list);
	if (*n >= 0)
		return 0;
	*list = NULL;
	*n = 0;
	return errno == ENOSYS ? 0 : -1;
}

static int print_procs(void)
{
	struct bproc_proc_info_t *tab;
	int i, n;

	if (read_procs(&tab, &n) < 0) {
		fprintf(stderr, "bpstat: cannot read the process table: %s\n",
			strerror(errno));
		return 1;
	}
	printf("PID\tNode\n");
	for (i = 0; i < n; i++)
		printf("%d\t%d\n", tab[i].pid, tab[i].node);
	free(tab);
	return 0;
}

/* Field @idx (0-based, whitespace-separated) of @line as a number, or -1. */
static int field_number(const char *line, int idx)
{
	const char *p = line;
	char *end;
	long v;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			return -1;
		if (!idx--)
			break;
		p += strcspn(p, " \t\n");
	}
	v = strtol(p, &end, 10);
	if (end == p || (*end && !strchr(" \t\n", *end)) || v < 0 ||
	    v > 0x7fffffff)
		return -1;
	return v;
}

/* The 0-based index of the whitespace-separated field "PID", or -1. */
static int pid_field(const char *header)
{
	const char *p = header;
	size_t w;
	int idx = 0;

	for (;;) {
		p += strspn(p, " \t");
		if (!*p || *p == '\n')
			return -1;
		w = strcspn(p, " \t\n");
		if (w == 3 && !strncmp(p, "PID", 3))
			return idx;
		p += w;
		idx++;
	}
}

/* -P: copy ps(1) output from stdin with a NODE column in front. */
static int augment_ps(void)
{
	struct bproc_proc_info_t *tab;
	char *line = NULL;
	size_t cap = 0;
	int i, n, col, pid, rc = 0;

	if (read_procs(&tab, &n) < 0) {
		fprintf(stderr, "bpstat: cannot read the process table: %s\n",
			strerror(errno));
		return 1;
	}
	if (getline(&line, &cap, stdin) <= 0) {
		free(tab);
		free(line);
		return 0;
	}
	col = pid_field(line);
	if (col < 0) {
		fprintf(stderr, "bpstat: no PID column in the ps header\n");
		rc = 1;
		goto out;
	}
	printf("NODE\t%s", line);
	while (getline(&line, &cap, stdin) > 0) {
		pid = field_number(line, col);
		for (i = 0; pid >= 0 && i < n; i++)
			if (tab[i].pid == pid)
				break;
		if (pid >= 0 && i < n)
			printf("%d\t%s", tab[i].node, line);
		else
			printf("\t%s", line);
	}
out:
	free(line);
	free(tab);
	return rc;
}

/* -A HOST: the number of the node whose address is HOST's. */
static int print_node_of(const char *host)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;
	struct bproc_node_set_t all = BPROC_EMPTY_NODESET;
	struct bproc_node_info_t master;
	struct sockaddr_in want, sin;
	int i, r;

	r = getaddrinfo(host, NULL, &hints, &res);
	if (r) {
		fprintf(stderr, "bpstat: %s: %s\n", host, gai_strerror(r));
		return 1;
	}
	memcpy(&want, res->ai_addr, sizeof(want));
	freeaddrinfo(res);

	if (bproc_nodelist(&all) < 0) {
		fprintf(stderr, "bpstat: cannot read the node table: %s\n",
			bproc_strerror(errno));
		return 1;
	}
	for (i = 0; i < all.size; i++) {
		memcpy(&sin, &all.node[i].addr, sizeof(sin));
		if (sin.sin_family == AF_INET &&
		    sin.sin_addr.s_addr == want.sin_addr.s_addr) {
			printf("%d\n", all.node[i].node);
			bproc_nodeset_free(&all);
			return 0;
		}
	}
	bproc_nodeset_free(&all);
	if (bproc_nodeinfo(BPROC_NODE_MASTER, &master) == 0) {
		memcpy(&sin, &master.addr, sizeof(sin));
		if (sin.sin_family == AF_INET &&
		    sin.sin_addr.s_addr == want.sin_addr.s_addr) {
			printf("%d\n", BPROC_NODE_MASTER);
			return 0;
		}
	}
	fprintf(stderr, "bpstat: no node has the address of '%s'\n", host);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "compact", no_argument, NULL, 'c' },
		{ "long", no_argument, NULL, 'l' },
		{ "address", no_argument, NULL, 'a' },
		{ "status", no_argument, NULL, 's' },
		{ "number", no_argument, NULL, 'n' },
		{ "total", no_argument, NULL, 't' },
		{ "sort-reverse", no_argument, NULL, 'R' },
		{ "sort-number", no_argument, NULL, 'N' },
		{ "sort-status", no_argument, NULL, 'S' },
		{ "keep-order", no_argument, NULL, 'O' },
		{ "update", no_argument, NULL, 'U' },
		{ "lock", no_argument, NULL, 'L' },
		{ NULL, 0, NULL, 0 }
	};
	print_fn *print = print_compact;
	enum sort_order order = SORT_DEFAULT;
	const char *host = NULL;
	int c, update = 0, procs = 0, ps = 0, rc;

	while ((c = getopt_long(argc, argv, "hvVclasntRNSOULA:pP", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'h':
			print_usage(stdout);
			return 0;
		case 'v':
		case 'V':
			printf("bpstat version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'c':
			print = print_compact;
			break;
		case 'l':
			print = print_long;
			break;
		case 'a':
			print = print_address;
			break;
		case 's':
			print = print_status;
			break;
		case 'n':
			print = print_number;
			break;
		case 't':
			print = print_total;
			break;
		case 'R':
			sort_reverse = 1;
			break;
		case 'N':
			order = SORT_NUMBER;
			break;
		case 'S':
			order = SORT_STATUS;
			break;
		case 'O':
			order = SORT_NONE;
			break;
		case 'U':
			update = 1;
			break;
		case 'L':
			signal(SIGINT, SIG_IGN);
			signal(SIGTSTP, SIG_IGN);
			break;
		case 'A':
			host = optarg;
			break;
		case 'p':
			procs = 1;
			break;
		case 'P':
			ps = 1;
			break;
		default:
			print_usage(stderr);
			return 2;
		}
	}

	if (host)
		return print_node_of(host);
	if (procs)
		return print_procs();
	if (ps)
		return augment_ps();

	if (order == SORT_DEFAULT)
		order = print == print_compact ? SORT_STATUS : SORT_NUMBER;
	if (update)
		return update_loop(print, order, argv + optind, argc - optind);
	rc = show(stdout, print, order, argv + optind, argc - optind);
	if (fflush(stdout) == EOF && !rc) {
		fprintf(stderr, "bpstat: write error: %s\n", strerror(errno));
		rc = 1;
	}
	return rc;
}
