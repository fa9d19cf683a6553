#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libnss_bproc through glibc itself: getaddrinfo(), gethostbyname(),
# gethostbyaddr(), getnameinfo() with "hosts: bproc next" set by
# __nss_configure_lookup().  The module is built here once more with its two
# paths pointing under $d (-DBPROC_NSS_SYSFS, -DBPROC_NSS_HOSTNAME: compile
# time only, as for the real one) and found through LD_LIBRARY_PATH; "next"
# is a stand-in for dns that answers every name with 192.0.2.1 (with no
# canonical name of its own: getaddrinfo() gives the name asked).  What glibc
# adds to the unit test (test_nss.c): its retries on ERANGE, its filtering
# by family, and that a lookup bproc cannot answer goes on to the next
# service instead of failing.
#
#   node  addr              master 10.77.0.1
#   0     10.77.0.10
#   1     0.0.0.0 (none)
#   2     10.77.0.12
. "$(dirname "$0")/lib.sh"

sys=$d/sys
cflags=(-std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -I"$top/include/uapi")
cc "${cflags[@]}" -fPIC -shared -Wl,-soname,libnss_bproc.so.2 \
	-Wl,--version-script,"$top/lib/nss/nss_bproc.sym" -Wl,-z,defs \
	-DBPROC_NSS_SYSFS="\"$sys\"" -DBPROC_NSS_HOSTNAME="\"$d/hostname\"" \
	-o "$d/libnss_bproc.so.2" "$top/lib/nss/nss_bproc.c" >"$d/cc.log" 2>&1 ||
	{ sed 's/^/#   /' "$d/cc.log"; bail_out "cannot build the test module"; }

cat >"$d/next.c" <<'C'
#include <arpa/inet.h>
#include <netdb.h>
#include <nss.h>
#include <string.h>

nss_gethostbyname2_r _nss_next_gethostbyname2_r;
nss_gethostbyname_r _nss_next_gethostbyname_r;

enum nss_status _nss_next_gethostbyname2_r(const char *name, int af, struct hostent *h,
					   char *buf, size_t len, int *errnop, int *herrnop)
{
	char **p = (char **)buf;

	(void)name;
	(void)errnop;
	if (af != AF_INET || len < 128) {
		*herrnop = NO_DATA;
		return NSS_STATUS_NOTFOUND;
	}
	inet_pton(AF_INET, "192.0.2.1", buf + 64);
	strcpy(buf + 80, "next");
	p[0] = buf + 64;
	p[1] = NULL;
	p[2] = NULL;
	h->h_name = buf + 80;
	h->h_aliases = p + 2;
	h->h_addrtype = AF_INET;
	h->h_length = 4;
	h->h_addr_list = p;
	*herrnop = NETDB_SUCCESS;
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_next_gethostbyname_r(const char *name, struct hostent *h, char *buf,
					  size_t len, int *errnop, int *herrnop)
{
	return _nss_next_gethostbyname2_r(name, AF_INET, h, buf, len, errnop, herrnop);
}
C
# resolve SERVICES QUERY...: one line per query
#   gai NAME [4|6|6m]  getaddrinfo (AF_UNSPEC, AF_INET, AF_INET6, with
#                      AI_V4MAPPED): "ADDR... canon CANON" or the error
#   ghbn NAME          gethostbyname: "NAME [ALIAS...] ADDR" or h_errno
#   ghbnr NAME LEN     gethostbyname_r with a LEN-byte buffer
#   ghba ADDR          gethostbyaddr: the name or h_errno
#   gni ADDR           getnameinfo(NI_NAMEREQD): the name or the error
cat >"$d/resolve.c" <<'C'
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void gai(const char *name, const char *fam)
{
	struct addrinfo hints, *res, *ai;
	char text[INET6_ADDRSTRLEN];
	int r;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_family = !fam ? AF_UNSPEC : fam[0] == '4' ? AF_INET : AF_INET6;
	if (fam && !strcmp(fam, "6m"))
		hints.ai_flags |= AI_V4MAPPED;
	r = getaddrinfo(name, NULL, &hints, &res);
	if (r) {
		printf("%s\n", r == EAI_SYSTEM ? "EAI_SYSTEM" : r == EAI_NONAME ? "EAI_NONAME" :
		       r == EAI_NODATA ? "EAI_NODATA" : gai_strerror(r));
		return;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		const void *a = ai->ai_family == AF_INET ?
			(void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr :
			(void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;

		printf("%s ", inet_ntop(ai->ai_family, a, text, sizeof(text)));
	}
	printf("canon %s\n", res->ai_canonname);
	freeaddrinfo(res);
}

static void show(const struct hostent *h)
{
	char **p;

	printf("%s", h->h_name);
	for (p = h->h_aliases; *p; p++)
		printf(" %s", *p);
	printf(" %s\n", inet_ntoa(*(struct in_addr *)h->h_addr_list[0]));
}

int main(int argc, char **argv)
{
	struct hostent he, *h;
	struct in_addr a;
	int i, herr, r;

	__nss_configure_lookup("hosts", argv[1]);
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "gai")) {
			gai(argv[i + 1], i + 2 < argc && strchr("46", argv[i + 2][0]) ? argv[i + 2] : NULL);
			i += i + 2 < argc && strchr("46", argv[i + 2][0]) ? 2 : 1;
		} else if (!strcmp(argv[i], "ghbn")) {
			h = gethostbyname(argv[++i]);
			if (h)
				show(h);
			else
				printf("h_errno %d\n", h_errno);
		} else if (!strcmp(argv[i], "ghbnr")) {
			size_t len = strtoul(argv[i + 2], NULL, 10);
			char *buf = malloc(len);

			r = gethostbyname_r(argv[i + 1], &he, buf, len, &h, &herr);
			if (r)
				printf("%s\n", r == ERANGE ? "ERANGE" : strerror(r));
			else if (h)
				show(h);
			else
				printf("h_errno %d\n", herr);
			free(buf);
			i += 2;
		} else if (!strcmp(argv[i], "ghba")) {
			inet_pton(AF_INET, argv[++i], &a);
			h = gethostbyaddr(&a, sizeof(a), AF_INET);
			printf("%s\n", h ? h->h_name : "none");
		} else if (!strcmp(argv[i], "gni")) {
			struct sockaddr_in sin;
			char host[NI_MAXHOST];

			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_INET;
			inet_pton(AF_INET, argv[++i], &sin.sin_addr);
			r = getnameinfo((struct sockaddr *)&sin, sizeof(sin), host, sizeof(host),
					NULL, 0, NI_NAMEREQD);
			printf("%s\n", r ? "EAI_NONAME" : host);
		}
	}
	return 0;
}
C
cc "${cflags[@]}" -fPIC -shared -o "$d/libnss_next.so.2" "$d/next.c" >"$d/cc.log" 2>&1 &&
	cc "${cflags[@]}" -o "$d/resolve" "$d/resolve.c" >>"$d/cc.log" 2>&1 ||
	{ sed 's/^/#   /' "$d/cc.log"; bail_out "cannot build the test programs"; }

resolve() { LD_LIBRARY_PATH=$d "$d/resolve" "$@"; }

mkdir -p "$sys/nodes/0" "$sys/nodes/1" "$sys/nodes/2"
echo 3 >"$sys/numnodes"
echo 10.77.0.1 >"$sys/master_addr"
echo 10.77.0.10 >"$sys/nodes/0/addr"
echo 0.0.0.0 >"$sys/nodes/1/addr"
echo 10.77.0.12 >"$sys/nodes/2/addr"

test_expect_success 'getaddrinfo: nN and .N, IPv4, canonical nN' '
	is "$(resolve bproc gai n0 gai .2 gai N2 4)" "10.77.0.10 canon n0
10.77.0.12 canon n2
10.77.0.12 canon n2"
'
test_expect_success 'getaddrinfo AF_INET6: no data, or the mapped address with AI_V4MAPPED' '
	is "$(resolve bproc gai n0 6 gai n0 6m)" "EAI_NODATA
::ffff:10.77.0.10 canon n0"
'
test_expect_success 'gethostbyname: node and master names, case-insensitive' '
	is "$(resolve bproc ghbn .0 ghbn MASTER ghbn n1)" "n0 10.77.0.10
master 10.77.0.1
h_errno 1"
'
test_expect_success 'gethostbyaddr and getnameinfo: nN and master; 0.0.0.0 nobody' '
	is "$(resolve bproc ghba 10.77.0.12 gni 10.77.0.1 ghba 0.0.0.0 gni 10.77.0.99)" "n2
master
none
EAI_NONAME"
'

echo head >"$d/hostname"
test_expect_success 'on a node, the master'"'"'s host name is the master, an alias' '
	is "$(resolve bproc ghbn head gai HEAD ghbn master ghba 10.77.0.1)" "master head 10.77.0.1
10.77.0.1 canon master
master 10.77.0.1
master"
'
long=$(printf 'h%.0s' $(seq 253))
echo "$long" >"$d/hostname"
test_expect_success 'gethostbyname_r: ERANGE on a small buffer, then the whole entry' '
	is "$(resolve bproc ghbnr "$long" 64 ghbnr "$long" 320 | cut -c1-12)" "ERANGE
master $(printf "%.5s" "$long")"
'
test_expect_success 'getaddrinfo with a 253-byte alias (glibc retries the buffer if it must)' '
	is "$(resolve bproc gai "$long")" "10.77.0.1 canon master"
'
rm "$d/hostname"

test_expect_success 'what bproc does not know goes on to the next service' '
	is "$(resolve "bproc next" gai n1 gai www.example.com ghbn n9)" "192.0.2.1 canon n1
192.0.2.1 canon www.example.com
next 192.0.2.1"
'
rm -r "$sys"
test_expect_success 'without bproc loaded (UNAVAIL) too, in every family' '
	is "$(resolve "bproc next" gai n0 gai n0 4 gai master 6m ghbn n0 ghba 10.77.0.10)" "192.0.2.1 canon n0
192.0.2.1 canon n0
::ffff:192.0.2.1 canon master
next 192.0.2.1
none"
'
test_expect_success 'and alone it fails as not found, not as a system error' '
	is "$(resolve bproc gai n0 gai n0 6m)" "EAI_NONAME
EAI_NONAME"
'
test_done
