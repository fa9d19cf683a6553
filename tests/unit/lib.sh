# SPDX-License-Identifier: GPL-2.0
#
# Shared by the shell unit tests (tests/unit/tNNNN-*.sh): $top, a scratch
# directory $d removed at exit, and TAP.
#   t STATUS DESC   one TAP line from an exit status
#   done_testing    the plan; exit 1 if anything failed
set -u
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
n=0 bad=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi; }
done_testing() { echo "1..$n"; exit $bad; }
