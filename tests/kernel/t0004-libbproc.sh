#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libbproc works in the VMs: the shared library on the master (the tree's
# build/lib on the library path), the static one on a slave.
#
#   master 10.77.0.1 (libcheck-dyn, -lbproc)   slave 0 10.77.0.10 (libcheck, static)
. "$(dirname "$0")/lib.sh"

out=$(on master /bproc/build/tests/progs/libcheck-dyn 2>&1)
ok $? "master: libcheck-dyn exited 0"
relay master "$out"
out=$(on master ldd /bproc/build/tests/progs/libcheck-dyn)
case $out in *"libbproc.so.5 => /bproc/build/lib/libbproc.so.5"*) r=0 ;; *) r=1 ;; esac
_tap $r "master: libcheck-dyn uses the tree's libbproc.so.5" "$out"

out=$(on 0 "$helpers/libcheck" 2>&1)
ok $? "slave 0: static libcheck exited 0"
relay "slave 0" "$out"

done_testing
