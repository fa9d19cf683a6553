#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libbproc works in the VMs: the shared library on the master (the tree's
# build/lib on the library path), the static one on a slave.
#
#   master 10.77.0.1 (libcheck-dyn, -lbproc)   slave 0 10.77.0.10 (libcheck, static)
. "$(dirname "$0")/lib.sh"

cluster_reset

test_helper master "master: libcheck-dyn" /bproc/build/tests/progs/libcheck-dyn
test_expect_success "master: libcheck-dyn uses the tree's libbproc.so.5" '
	out=$(on master ldd /bproc/build/tests/progs/libcheck-dyn) &&
	matches "$out" "*libbproc.so.5 => /bproc/build/lib/libbproc.so.5*"
'
test_helper 0 "slave 0: static libcheck" "$helpers/libcheck"

test_done
