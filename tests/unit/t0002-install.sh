#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install DESTDIR=` installs a usable library: a program that
# includes <sys/bproc.h> builds with `pkg-config --cflags --libs libbproc`
# against the installed headers, shared and static, and its symbols come
# from the sealed version node.  The NSS module is installed beside it and
# exports only its entry points.
. "$(dirname "$0")/lib.sh"

test_expect_success 'make install-lib install-cmd DESTDIR=... PREFIX=/usr' '
	make -s -C "$top" install-lib install-cmd DESTDIR="$d/root" PREFIX=/usr
'
for f in usr/include/sys/bproc.h usr/include/linux/bproc.h usr/include/linux/bproc_image.h \
	 usr/lib/libbproc.a usr/lib/libbproc.so.5 usr/lib/libbproc.so usr/lib/pkgconfig/libbproc.pc \
	 usr/bin/bpcheckpoint usr/bin/bprestart usr/share/man/man1/bprestart.1 \
	 usr/sbin/bpmaster usr/sbin/bpslave usr/share/man/man8/bpmaster.8 \
	 usr/share/man/man8/bpslave.8 usr/lib/libnss_bproc.so.2 \
	 usr/share/man/man8/libnss_bproc.8; do
	test_expect_success "installed $f" "test -e \"\$d/root/$f\""
done

cat > "$d/prog.c" <<'C'
#include <sys/bproc.h>
#include <stdio.h>
int main(void)
{
	struct bproc_version_t v;
	return bproc_version(&v) == 0 ? 0 : (printf("%d\n", VMAD_DUMP_ALL), 3);
}
C
# Keep -I/usr/include and -L/usr/lib: under the sysroot they are ours.
export PKG_CONFIG_SYSROOT_DIR=$d/root PKG_CONFIG_LIBDIR=$d/root/usr/lib/pkgconfig \
	PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
test_expect_success 'pkg-config knows libbproc' '
	flags=$(pkg-config --cflags --libs libbproc)
'
test_expect_success 'a program builds against the installed shared library, without a warning' '
	cc -std=c11 -Wall -Werror -o "$d/prog" "$d/prog.c" $flags
'
test_expect_success 'and statically' '
	cc -std=c11 -Wall -Werror -static -o "$d/prog-static" "$d/prog.c" $flags
'
# Outside a bproc kernel the call fails cleanly (ENOSYS): exit 3, not a crash.
test_expect_success 'it runs and fails cleanly where bproc is not loaded' '
	LD_LIBRARY_PATH=$d/root/usr/lib "$d/prog"
	rc=$?
	[ $rc = 3 ] || [ -e /dev/bproc/control ]
'
test_expect_success 'libbproc.so exports exactly the symbols of libbproc.sym' '
	syms=$(nm -D --defined-only "$d/root/usr/lib/libbproc.so.5" | awk "\$2 == \"T\" { print \$3 }" | sort | tr "\n" " ") &&
	want=$(sed -n "s/^\t\(_\{0,1\}bproc[0-9]*_[a-z_0-9]*\);\$/\1@@LIBBPROC_5.0/p" "$top/lib/libbproc.sym" | sort | tr "\n" " ") &&
	[ -n "$want" ] && is "$syms" "$want"
'
# glibc finds it by soname in the system directories: no development link.
test_expect_success 'libnss_bproc.so.2 exports exactly the entry points of nss_bproc.sym' '
	! test -e "$d/root/usr/lib/libnss_bproc.so" &&
	is "$(objdump -p "$d/root/usr/lib/libnss_bproc.so.2" | awk "\$1 == \"SONAME\" { print \$2 }")" libnss_bproc.so.2 &&
	syms=$(nm -D --defined-only "$d/root/usr/lib/libnss_bproc.so.2" | awk "\$2 != \"A\" { print \$2, \$3 }" | sort | tr "\n" " ") &&
	want=$(sed -n "s/^\t\(_nss_bproc_[a-z0-9_]*\);\$/T \1/p" "$top/lib/nss/nss_bproc.sym" | sort | tr "\n" " ") &&
	[ -n "$want" ] && is "$syms" "$want"
'
test_done
