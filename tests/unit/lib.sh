# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shell unit tests (tests/unit/tNNNN-*.sh): the TAP
# vocabulary of tests/lib/tap.sh (test_expect_success, is, matches,
# test_cmp, test_skip, bail_out, test_done), $top, and a scratch directory
# $d removed at exit.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$top/tests/lib/tap.sh"
d=$test_tmp
