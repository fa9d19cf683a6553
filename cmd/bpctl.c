// SPDX-License-Identifier: GPL-2.0
/*
 * bpctl -S NODES [-s STATE] [-R] [-H] [-P] [-u USER] [-g GROUP] [-m MODE]:
 * change nodes, with the options of bproc 4's bpctl.  The options are
 * actions carried out left to right: -S (or -M, the master) selects the
 * nodes the actions after it apply to, each action is applied to every
 * selected node in turn.  A failure is reported as "NODE: message" and
 * the remaining actions still run; the exit status is then 1.
 *
 * The whole command line is checked before anything is done: an unknown
 * option, an action before any -S, a bad node specification, mode, user or
 * group is a usage error (exit 2) and changes nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bproc.h>
#include <sys/bproc.h>

enum action_kind {
	ACT_NODES, /* -S, -M: select nodes */
	ACT_STATE, /* -s */
	ACT_REBOOT, /* -R */
	ACT_HALT, /* -H */
	ACT_PWROFF, /* -P */
	ACT_MODE, /* -m */
	ACT_USER, /* -u */
	ACT_GROUP, /* -g */
};

struct action {
	enum action_kind kind;
	const char *spec; /* ACT_NODES: the node specification */
	char *state; /* ACT_STATE */
	int val; /* mode, uid, gid */
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: bpctl -S NODES [action...] [-S NODES [action...]]...\n"
		"  -h, --help           show this help and exit\n"
		"  -v, -V, --version    show the version and exit\n"
		"\n"
		"Select the nodes the actions after it apply to:\n"
		"  -S, --slave NODES    node numbers (4), ranges (5-8), states (allup),\n"
		"                       all; separated by commas\n"
		"  -M, --master         the master node\n"
		"\n"
		"Actions, carried out in the order given:\n"
		"  -s, --state STATE    set the status (up, unavailable, error, down)\n"
		"  -R, --reboot         reboot the node\n"
		"  -H, --halt           halt the node\n"
		"  -P, --pwroff         power off the node\n"
		"  -m, --mode MODE      set the mode (octal; only x bits count: 0111)\n"
		"  -u, --user USER      set the owner (name or number)\n"
		"  -g, --group GROUP    set the group (name or number)\n");
}

/* A decimal ID, 0..INT_MAX; -1 if @s is not one. */
static int parse_id(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > INT_MAX)
		return -1;
	return v;
}

static int parse_user(const char *s)
{
	struct passwd *pw = getpwnam(s);

	return pw ? (int)pw->pw_uid : parse_id(s);
}

static int parse_group(const char *s)
{
	struct group *gr = getgrnam(s);

	return gr ? (int)gr->gr_gid : parse_id(s);
}

/*
 * An octal mode, at most 07777.  Only the x bits mean anything for a node
 * (owner 0100, group 0010, others 0001), so 0755 is taken as 0111 and 0750
 * as 0110: ls-style modes keep their meaning.  -1 if @s is not a mode.
 */
static int parse_mode(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '7')
		return -1;
	v = strtol(s, &end, 8);
	if (*end || v > 07777)
		return -1;
	return v & 0111;
}

/* Apply one action to @node.  Returns 0, or -1 with errno. */
static int apply(const struct action *a, int node)
{
	switch (a->kind) {
	case ACT_STATE:
		return bproc_nodesetstatus(node, a->state);
	case ACT_REBOOT:
		return bproc_nodereboot(node);
	case ACT_HALT:
		return bproc_nodehalt(node);
	case ACT_PWROFF:
		return bproc_nodepwroff(node);
	case ACT_MODE:
		return bproc_chmod(node, a->val);
	case ACT_USER:
		return bproc_chown(node, a->val);
	case ACT_GROUP:
		return bproc_chgrp(node, a->val);
	default:
		errno = EINVAL;
		return -1;
	}
}

/*
 * Check a node specification before anything is done.  Returns 0, or the
 * exit status after a message.
 */
static int check_nodes(const char *spec)
{
	struct bproc_node_set_t ns = BPROC_EMPTY_NODESET;
	int err;

	if (bproc_nodespec(&ns, spec) == 0) {
		bproc_nodeset_free(&ns);
		return 0;
	}
	err = errno;
	if (err == EINVAL) {
		fprintf(stderr, "bpctl: invalid node specification '%s'\n",
			spec);
		return 2;
	}
	if (err == ENODEV) {
		fprintf(stderr, "bpctl: '%s': no such node\n", spec);
		return 2;
	}
	fprintf(stderr, "bpctl: cannot read the node table: %s\n",
		bproc_strerror(err));
	return 1;
}

/*
 * Pass 1: the command line into @acts (*@n entries), checked; nothing is
 * changed.  Returns -1 to go on, or the exit status (after -h, -v, or a
 * usage error with its message).
 */
static int parse_args(int argc, char **argv, struct action *acts, int *n)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "master", no_argument, NULL, 'M' },
		{ "slave", required_argument, NULL, 'S' },
		{ "state", required_argument, NULL, 's' },
		{ "reboot", no_argument, NULL, 'R' },
		{ "halt", no_argument, NULL, 'H' },
		{ "pwroff", no_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "user", required_argument, NULL, 'u' },
		{ "group", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	int c, selected = 0;
	struct action *a;

	while ((c = getopt_long(argc, argv, "hvVMS:s:RHPm:u:g:f", longopts,
				NULL)) != -1) {
		a = &acts[*n];
		switch (c) {
		case 'h':
			print_usage(stdout);
			return 0;
		case 'v':
		case 'V':
			printf("bpctl version %s\n", BPROC_VERSION_STRING);
			return 0;
		case 'M':
		case 'S':
			a->kind = ACT_NODES;
			a->spec = c == 'M' ? "master" : optarg;
			selected = 1;
			(*n)++;
			continue;
		case 'f': /* bproc 4 ignored it too */
			continue;
		case 's':
			a->kind = ACT_STATE;
			a->state = optarg;
			break;
		case 'R':
			a->kind = ACT_REBOOT;
			break;
		case 'H':
			a->kind = ACT_HALT;
			break;
		case 'P':
			a->kind = ACT_PWROFF;
			break;
		case 'm':
			a->kind = ACT_MODE;
			a->val = parse_mode(optarg);
			if (a->val < 0) {
				fprintf(stderr,
					"bpctl: invalid mode '%s' (octal, e.g. 0111)\n",
					optarg);
				return 2;
			}
			break;
		case 'u':
			a->kind = ACT_USER;
			a->val = parse_user(optarg);
			if (a->val < 0) {
				fprintf(stderr, "bpctl: unknown user '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'g':
			a->kind = ACT_GROUP;
			a->val = parse_group(optarg);
			if (a->val < 0) {
				fprintf(stderr, "bpctl: unknown group '%s'\n",
					optarg);
				return 2;
			}
			break;
		default:
			print_usage(stderr);
			return 2;
		}
		if (!selected) {
			fprintf(stderr,
				"bpctl: -%c: no nodes selected (give -S NODES first)\n",
				c);
			return 2;
		}
		(*n)++;
	}
	if (optind < argc) {
		fprintf(stderr, "bpctl: unexpected argument '%s'\n",
			argv[optind]);
		print_usage(stderr);
		return 2;
	}
	return -1;
}

/*
 * Pass 2: left to right.  A selection is made when its -S is reached, so
 * it sees what the actions before it did (-S allup after -s up).  Returns
 * the exit status.
 */
static int run(const struct action *acts, int n)
{
	struct bproc_node_set_t ns = BPROC_EMPTY_NODESET;
	int i, j, failed = 0;

	for (i = 0; i < n; i++) {
		if (acts[i].kind == ACT_NODES) {
			bproc_nodeset_free(&ns);
			if (bproc_nodespec(&ns, acts[i].spec) < 0) {
				fprintf(stderr, "bpctl: '%s': %s\n",
					acts[i].spec, bproc_strerror(errno));
				bproc_nodeset_init(&ns, 0);
				failed = 1;
			}
			continue;
		}
		for (j = 0; j < ns.size; j++) {
			if (apply(&acts[i], ns.node[j].node) < 0) {
				fprintf(stderr, "%d: %s\n", ns.node[j].node,
					bproc_strerror(errno));
				failed = 1;
			}
		}
	}
	bproc_nodeset_free(&ns);
	return failed;
}

int main(int argc, char **argv)
{
	struct action *acts;
	int i, n = 0, r, rc;

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	acts = calloc(argc, sizeof(*acts));
	if (!acts) {
		fprintf(stderr, "bpctl: out of memory\n");
		return 1;
	}
	rc = parse_args(argc, argv, acts, &n);
	/* Every selection is checked before the first action. */
	for (i = 0; rc < 0 && i < n; i++) {
		if (acts[i].kind != ACT_NODES)
			continue;
		r = check_nodes(acts[i].spec);
		if (r)
			rc = r;
	}
	if (rc < 0)
		rc = run(acts, n);
	free(acts);
	return rc;
}
