#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install DESTDIR=` installs a usable library: a program that
# includes <sys/bproc.h> builds with `pkg-config --cflags --libs libbproc`
# against the installed headers, shared and static, and its symbols come
# from the sealed version node.
. "$(dirname "$0")/lib.sh"

make -s -C "$top" install-lib install-cmd DESTDIR="$d/root" PREFIX=/usr >"$d/log" 2>&1
t $? "make install-lib install-cmd DESTDIR=... PREFIX=/usr"
for f in usr/include/sys/bproc.h usr/include/linux/bproc.h usr/include/linux/bproc_image.h \
	 usr/lib/libbproc.a usr/lib/libbproc.so.5 usr/lib/libbproc.so usr/lib/pkgconfig/libbproc.pc \
	 usr/bin/bpcheckpoint usr/bin/bprestart usr/share/man/man1/bprestart.1 \
	 usr/sbin/bpmaster usr/sbin/bpslave usr/share/man/man8/bpmaster.8 \
	 usr/share/man/man8/bpslave.8; do
	[ -e "$d/root/$f" ]
	t $? "installed $f"
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
flags=$(pkg-config --cflags --libs libbproc)
t $? "pkg-config knows libbproc"
cc -std=c11 -Wall -Werror -o "$d/prog" "$d/prog.c" $flags 2>"$d/cc.log"
t $? "a program builds against the installed shared library"
[ -s "$d/cc.log" ] && sed 's/^/#   /' "$d/cc.log"
cc -std=c11 -Wall -Werror -static -o "$d/prog-static" "$d/prog.c" $flags 2>"$d/cc.log"
t $? "and statically"
# Outside a bproc kernel the call fails cleanly (ENOSYS): exit 3, not a crash.
LD_LIBRARY_PATH=$d/root/usr/lib "$d/prog"
[ $? = 3 ] || [ -e /dev/bproc/control ]
t $? "it runs and fails cleanly where bproc is not loaded"
syms=$(nm -D --defined-only "$d/root/usr/lib/libbproc.so.5" | awk '$2 == "T" { print $3 }' | sort | tr '\n' ' ')
want=$(sed -n 's/^\t\(_\{0,1\}bproc[0-9]*_[a-z_0-9]*\);$/\1@@LIBBPROC_5.0/p' "$top/lib/libbproc.sym" | sort | tr '\n' ' ')
[ "$syms" = "$want" ]
t $? "libbproc.so exports exactly the symbols of libbproc.sym"
[ "$syms" = "$want" ] || echo "#   got: $syms"
done_testing
