/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libnss_bproc's lookups, with the files they read as parameters: the
 * module's entry points (nss_bproc.c) pass the real paths below, fixed at
 * compile time; the unit tests and the fuzz target pass a fake tree.  Never
 * anything from the environment: NSS modules are loaded into setuid
 * programs.  Not installed; these symbols are local to the module
 * (nss_bproc.sym).
 */
#ifndef BPROC_NSS_BPROC_H
#define BPROC_NSS_BPROC_H

#include <netdb.h>
#include <nss.h>
#include <stddef.h>
#include <sys/socket.h>

/*
 * The kernel's node table (numnodes, master_addr, nodes/N/addr), and the
 * master's /etc/hostname as a node sees it (bpslave's file view).  A test
 * build may give others with -D (tests/unit/t0012-nss.sh); the installed
 * module has these.
 */
#ifndef BPROC_NSS_SYSFS
#define BPROC_NSS_SYSFS "/sys/bproc"
#endif
#ifndef BPROC_NSS_HOSTNAME
#define BPROC_NSS_HOSTNAME "/run/bproc/master/etc/hostname"
#endif

/* Longest host name taken from the hostname file (a DNS name's limit). */
#define BPROC_NSS_NAME_MAX 253

struct bproc_nss_paths {
	const char *sysfs;
	const char *hostname;
};

/*
 * The three lookups, with the glibc NSS conventions (nss_bproc.c has the
 * rules): @af of bproc_nss_byname() is AF_INET, AF_INET6 or AF_UNSPEC (as
 * AF_INET); @canonp may be NULL.
 */
enum nss_status bproc_nss_byname(const struct bproc_nss_paths *paths,
				 const char *name, int af, struct hostent *host,
				 char *buf, size_t buflen, int *errnop,
				 int *h_errnop, char **canonp);
enum nss_status bproc_nss_byname4(const struct bproc_nss_paths *paths,
				  const char *name, struct gaih_addrtuple **pat,
				  char *buf, size_t buflen, int *errnop,
				  int *h_errnop);
enum nss_status bproc_nss_byaddr(const struct bproc_nss_paths *paths,
				 const void *addr, socklen_t len, int af,
				 struct hostent *host, char *buf, size_t buflen,
				 int *errnop, int *h_errnop);

#endif /* BPROC_NSS_BPROC_H */
