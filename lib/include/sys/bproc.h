/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * <sys/bproc.h> - libbproc, the Beowulf Distributed Process Space library.
 *
 * A thin library over bproc's files (/sys/bproc, /proc/bproc) and the
 * ioctls of /dev/bproc/control.  Programs written for the original library
 * compile against this header and link with -lbproc unchanged.  Calls follow
 * the system-call convention: -1 with errno set on failure.
 */
#ifndef _SYS_BPROC_H
#define _SYS_BPROC_H

#include <stdint.h>
#include <time.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Special node numbers. */
#define BPROC_NODE_MASTER	(-1)
#define BPROC_NODE_SELF		(-2)
#define BPROC_NODE_NONE		(-3)
#define BPROC_NODE_ANY		(-4)

/* Architectures, as the original's bproc_version_t.arch. */
#define BPROC_ARCH_X86		1
#define BPROC_ARCH_ALPHA	2
#define BPROC_ARCH_PPC		3
#define BPROC_ARCH_X86_64	4
#define BPROC_ARCH_PPC64	5

/*
 * struct bproc_version_t - what bproc_version() reports (layout of bproc 4)
 * @bproc_magic:    the bytes 'B', 'P', 'r'.
 * @arch:           BPROC_ARCH_* of the running kernel module.
 * @magic:          the daemon/kernel protocol, (major << 16) | minor.
 * @version_string: the module's release, e.g. "5.0.0", NUL-terminated.
 */
struct bproc_version_t {
	char bproc_magic[3];
	uint8_t arch;
	uint32_t magic;
	char version_string[24];
};

/*
 * bproc_version() - the version of the loaded bproc module.
 * Returns 0, or -1 with errno: ENOSYS when bproc is not loaded (no
 * /dev/bproc/control), or the error of open/ioctl.
 */
int bproc_version(struct bproc_version_t *vers);

/* VMADump flags: which read-only file mappings travel as data (as the original). */
#define VMAD_DUMP_LIBS		0x1	/* files on the remote-file list (/proc/bproc/libraries) */
#define VMAD_DUMP_EXEC		0x2	/* the executable */
#define VMAD_DUMP_OTHER		0x4	/* any other file */
#define VMAD_DUMP_ALL		(VMAD_DUMP_LIBS | VMAD_DUMP_EXEC | VMAD_DUMP_OTHER)
#define BPROC_DUMP_LIBS		VMAD_DUMP_LIBS
#define BPROC_DUMP_EXEC		VMAD_DUMP_EXEC
#define BPROC_DUMP_OTHER	VMAD_DUMP_OTHER
#define BPROC_DUMP_ALL		VMAD_DUMP_ALL

/*
 * bproc_vmadump() - write the calling process's image to fd.
 * Returns the bytes written; returns 0 in a process restored from the image;
 * -1 with errno on failure (EINVAL bad flags, EBUSY multi-threaded or traced,
 * ENOSYS bproc not loaded, or the write's errno).
 */
int bproc_vmadump(int fd, int flags);

/*
 * bproc_vmaundump() - replace the calling process with the image read from
 * fd, like exec.  Returns only on failure: -1 with errno, the caller intact.
 */
int bproc_vmaundump(int fd);

/* The bproc 4 names of the same calls. */
int bproc_dump(int fd, int flags);
int bproc_undump(int fd);

/* ------------------------------------------------------------------ */
/* Nodes                                                              */
/* ------------------------------------------------------------------ */

/* Node access: the x bits of a node's mode (bproc_access()). */
#define BPROC_X_OK		1

/* Longest status string ("unavailable"), without the NUL. */
#define BPROC_STATE_LEN		15

/* bproc_nodestatus()-style answer for "no status" (bproc 4). */
#define BPROC_STATUS_NONE	(-2)

/*
 * struct bproc_node_info_t - one node's state (layout of bproc 4)
 * @node:   node number (0..n-1).
 * @status: "down", "boot", "up", "error", "unavailable", "reboot",
 *          "halt" or "pwroff", NUL-terminated.
 * @mode:   the node's x bits, e.g. 0111.
 * @user:   owner uid.
 * @group:  owner gid.
 * @addr:   a struct sockaddr_in (AF_INET, port 0) with the node's address;
 *          0.0.0.0 while the node has none.
 * @atime:  not tracked by this bproc: always 0.
 * @mtime:  not tracked by this bproc: always 0.
 */
struct bproc_node_info_t {
	int node;
	char status[BPROC_STATE_LEN + 1];
	unsigned int mode;
	unsigned int user;
	unsigned int group;
	struct sockaddr addr;
	time_t atime;
	time_t mtime;
};

/*
 * struct bproc_node_set_t - a growable list of nodes (bproc 4)
 * @size:  entries in use.
 * @alloc: entries allocated.
 * @node:  the entries.
 */
struct bproc_node_set_t {
	int size;
	int alloc;
	struct bproc_node_info_t *node;
};

#define BPROC_EMPTY_NODESET	{ 0, 0, 0 }
#define bproc_node_set_node(ns, nn)	(&(ns)->node[(nn)])

/*
 * The manual's node calls.  bproc_init() is optional (every call works
 * without it): it reads the cluster state and loads a node map from
 * $HOME/.bprocnodes if there is one.  While a node map is set, the node
 * numbers of every call are indices into it (libbproc(3)).
 */
int bproc_init(void);
int bproc_numnodes(void);
int bproc_nodeup(int node);
int bproc_set_node_map(int *map, int n);
int bproc_clear_node_map(void);

/*
 * bproc_nodeaddr(): the manual's prototype takes the buffer's size by value;
 * bproc 4's takes a pointer to it and stores the length used.  Define
 * BPROC_API_4 before including this header to get the bproc 4 one (it links
 * to the symbol bproc4_nodeaddr).
 */
#ifdef BPROC_API_4
int bproc_nodeaddr(int node, struct sockaddr *s, int *size)
	__asm__("bproc4_nodeaddr");
#else
int bproc_nodeaddr(int node, struct sockaddr *s, int size);
#endif

/*
 * Placing processes (Documentation/process-space.md).  bproc_move() and
 * bproc_rfork(): the manual's prototypes take flags (BPROC_DUMP_*); bproc
 * 4's take none (BPROC_DUMP_EXEC | BPROC_DUMP_OTHER) and are selected by
 * defining BPROC_API_4 (they link to bproc4_move and bproc4_rfork).
 * _bproc_move() and _bproc_rfork() take flags under either.
 *
 * bproc_move(): 0 on the node, -1 with errno on failure (the caller goes on
 * unchanged where it was).  A process may move any number of times: from
 * the master to a node, from node to node, back to the master
 * (BPROC_NODE_MASTER), keeping its PID, parent and children; from a node
 * only a process the master placed there may move (else EOPNOTSUPP).
 * bproc_rfork(): the child's PID in the parent,
 * 0 in the child on the node, -1 with errno (no child is left behind and
 * no SIGCHLD arrives).
 */
int _bproc_move(int node, int flags);
int _bproc_rfork(int node, int flags);
#ifdef BPROC_API_4
int bproc_move(int node) __asm__("bproc4_move");
int bproc_rfork(int node) __asm__("bproc4_rfork");
#else
int bproc_move(int node, int flags);
int bproc_rfork(int node, int flags);
#endif
int bproc4_move(int node);
int bproc4_rfork(int node);

/*
 * bproc_execmove() - execve(@cmd, @argv, @envp), then move to @node before
 * the new program runs a single instruction: unmodified binaries run on
 * diskless nodes (the executable and its libraries travel as data unless
 * they are on the remote-file list).  Returns only on failure: -1 with
 * errno (ENODEV, EHOSTDOWN, EACCES: checked before the exec; or the exec's
 * error); if the move fails after the exec, the new program is killed.
 */
int bproc_execmove(int node, const char *cmd, char *const argv[],
		   char *const envp[]);

/*
 * bproc_rexec() - run @cmd on @node from the node's own files (the caller
 * moves there, then execs).  Returns only on failure: -1 with errno, the
 * caller where it was (if the exec failed on the node, it moved back).
 * Only if even that move back fails does the process report the exec's
 * error on its stderr and exit 127.
 */
int bproc_rexec(int node, const char *cmd, char *const argv[],
		char *const envp[]);

/*
 * The vector forms (bproc 4): one process per entry of @nodes, placed one
 * after the other.  bproc_vrfork() returns i in child i and @nnodes in the
 * parent; bproc_vexecmove() returns @nnodes.  pids[i] is child i's PID or
 * minus the errno that kept it from starting; -1 with errno (EINVAL,
 * EFAULT) if nothing was tried.  bproc_vexecmove() sets an envp entry
 * "BPROC_RANK=..." to "BPROC_RANK=i" in process i.
 */
int _bproc_vrfork(int nnodes, int *nodes, int *pids, int flags);
int bproc_vrfork(int nnodes, int *nodes, int *pids);
int _bproc_vexecmove(int nnodes, int *nodes, int *pids, int flags,
		     const char *cmd, char *const argv[], char *const envp[]);
int bproc_vexecmove(int nnodes, int *nodes, int *pids, const char *cmd,
		    char *const argv[], char *const envp[]);

/*
 * The *_io forms (bproc 4): descriptors the node opens for the process in
 * place of the forwarded ones.  Each struct bproc_io_t names a descriptor
 * @fd (0, 1 or 2 here; bproc 4 allowed any) and either a file on the node
 * (BPROC_IO_FILE: d.file.name, opened with d.file.flags and d.file.mode as
 * the process's user, then positioned at d.file.offset; a relative name is
 * taken from the caller's working directory) or a TCP connection from the
 * node (BPROC_IO_SOCKET: d.addr, an AF_INET address).  @flags must be 0
 * (BPROC_IO_SEND_INFO and BPROC_IO_DELAY are not supported: EINVAL).  An
 * entry the node cannot set up makes the move fail with its errno (ENOENT,
 * EACCES, ECONNREFUSED, ...).  A redirected stdin is not forwarded.  For
 * moves from the master; from a node: EOPNOTSUPP.
 */
#define BPROC_IO_MAX_LEN	16	/* bproc 4's limit; 3 here (fds 0-2) */
#define BPROC_IO_FILE		0x000
#define BPROC_IO_SOCKET		0x001
#define BPROC_IO_MEMFILE	0x002	/* bproc 4 internal: EINVAL */
#define BPROC_IO_SEND_INFO	0x001	/* not supported: EINVAL */
#define BPROC_IO_DELAY		0x002	/* not supported: EINVAL */

struct bproc_io_t {
	int fd;
	short type;
	short flags;
	union {
		struct sockaddr addr;
		struct {
			int flags;
			int mode;
			long offset;
			char name[256];
		} file;
		struct {
			void *base;
			long size;
		} mem;
	} d;
};

int _bproc_move_io(int node, struct bproc_io_t *io, int iolen, int flags);
int bproc_move_io(int node, struct bproc_io_t *io, int iolen);
int _bproc_rfork_io(int node, struct bproc_io_t *io, int iolen, int flags);
int bproc_rfork_io(int node, struct bproc_io_t *io, int iolen);
int _bproc_execmove_io(int node, struct bproc_io_t *io, int iolen, int flags,
		       const char *cmd, char *const argv[], char *const envp[]);
int bproc_execmove_io(int node, struct bproc_io_t *io, int iolen, const char *cmd,
		      char *const argv[], char *const envp[]);
int bproc_rexec_io(int node, struct bproc_io_t *io, int iolen, const char *cmd,
		   char *const argv[], char *const envp[]);
int _bproc_vrfork_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		     int iolen, int flags);
int bproc_vrfork_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		    int iolen);
int _bproc_vexecmove_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
			int iolen, int flags, const char *cmd, char *const argv[],
			char *const envp[]);
int bproc_vexecmove_io(int nnodes, int *nodes, int *pids, struct bproc_io_t *io,
		       int iolen, const char *cmd, char *const argv[],
		       char *const envp[]);

/* A remote process (bproc_proclist()). */
struct bproc_proc_info_t {
	int pid;
	int node;
};

/* Where @pid runs: a node, or BPROC_NODE_MASTER; -1/ESRCH if none. */
int bproc_pidnode(int pid);
/* The remote processes on @node (BPROC_NODE_ANY: all); free(*list). */
int bproc_proclist(int node, struct bproc_proc_info_t **list);

/*
 * _bproc_move(), _bproc_execmove(): flags are BPROC_DUMP_* and
 * BPROC_MOVE_STDIN: the ghost on the master also forwards what its stdin
 * reads to the process's stdin (bpsh).  Without it a moved process reads
 * end of file from its stdin.
 */
#define BPROC_MOVE_STDIN	0x10000
int _bproc_execmove(int node, int flags, const char *cmd, char *const argv[],
		    char *const envp[]);

/*
 * The bproc 4 node calls.  bproc_nodestatus() returns the status's length
 * (len 0: just the length; too short: ERANGE).  Node sets returned by
 * bproc_nodelist(), bproc_nodespec() and bproc_nodefilter() are
 * initialized by the call and released with bproc_nodeset_free().
 * bproc_nodespec() grammar: "0-7,10", "5-", "all", "master", "allup",
 * "!error", ... (libbproc(3)).
 */
int bproc_currnode(void);
int bproc_nodestatus(int node, char *status, int len);
int bproc_nodeinfo(int node, struct bproc_node_info_t *info);
int bproc_nodelist(struct bproc_node_set_t *ns);

int bproc_nodeset_init(struct bproc_node_set_t *ns, int size);
int bproc_nodeset_grow(struct bproc_node_set_t *ns, int size);
void bproc_nodeset_free(struct bproc_node_set_t *ns);
int bproc_nodeset_add(struct bproc_node_set_t *ns, struct bproc_node_info_t *n);
int bproc_nodeset_append(struct bproc_node_set_t *a, struct bproc_node_set_t *b);
int bproc_nodefilter(struct bproc_node_set_t *out, struct bproc_node_set_t *in,
		     const char *str);
int bproc_nodespec(struct bproc_node_set_t *ns, const char *str);

int bproc_access(int node, int mode);
int bproc_chown(int node, int user);
int bproc_chgrp(int node, int group);
int bproc_chmod(int node, int mode);
int bproc_nodesetstatus(int node, char *status);
int bproc_nodereboot(int node);
int bproc_nodehalt(int node);
int bproc_nodepwroff(int node);
int bproc_nodereboot_async(int node);
int bproc_nodehalt_async(int node);
int bproc_nodepwroff_async(int node);

/*
 * The remote-file list (/proc/bproc/libraries).  bproc_liblist() returns
 * the count and a malloc'd NULL-terminated array of malloc'd strings.
 */
int bproc_libadd(const char *path);
int bproc_libdel(const char *path);
int bproc_liblist(char ***list);
int bproc_libclear(void);

const char *bproc_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* _SYS_BPROC_H */
