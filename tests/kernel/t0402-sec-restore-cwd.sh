#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security, issue 19 item 10 (Documentation/security.md): a root restorer
# must enter the image's working directory as the image's user, not as
# root.  uid 1000 dumps itself in a directory of its own, then replaces
# that directory by a symlink into a directory only root can traverse
# (/tmp/sec-root, 0700, holding inner/secret 0644).  Root restores the
# image with bprestart: the restored process must not start there.
#
#   master 10.77.0.1: uid 1000 dumps; root restores
. "$(dirname "$0")/lib.sh"

st=$helpers/sectest
bin=/bproc/build/bin
user="setpriv --reuid=1000 --regid=1000 --clear-groups"
cluster_reset
test_atexit 'on master rm -rf /tmp/sec-root /tmp/sec-user /tmp/sec-cwd.img'

on master sh -c "rm -rf /tmp/sec-root /tmp/sec-user &&
	mkdir -p /tmp/sec-root/inner && echo CWD-SECRET > /tmp/sec-root/inner/secret &&
	chmod 700 /tmp/sec-root && chmod 755 /tmp/sec-root/inner && chmod 644 /tmp/sec-root/inner/secret &&
	mkdir -p /tmp/sec-user/x && chown -R 1000:1000 /tmp/sec-user" ||
	bail_out "root cannot make /tmp/sec-root (0700) with inner/secret, and a directory for uid 1000"

test_expect_success 'uid 1000 cannot read /tmp/sec-root/inner/secret' '
	! on master $user cat /tmp/sec-root/inner/secret
'

# (its exit status is not the point: what it says is)
test_expect_success 'uid 1000 dumps itself with its cwd in /tmp/sec-user/x' '
	out=$(on master $user $st cwddump /tmp/sec-cwd.img /tmp/sec-user/x 2>&1)
	is "$out" dumped
'
on master $user sh -c "rmdir /tmp/sec-user/x && ln -s /tmp/sec-root/inner /tmp/sec-user/x" ||
	bail_out "uid 1000 cannot turn /tmp/sec-user/x into a symlink to /tmp/sec-root/inner"

out=$(on master $bin/bprestart /tmp/sec-cwd.img 2>&1)
echo "$out" | sed 's/^/#   /'
test_expect_success 'root restores the image: it runs as uid 1000' '
	matches "$out" "*uid 1000 cwd *"
'
test_expect_success 'the restored process cannot read ./secret' '
	! matches "$out" "*CWD-SECRET*"
'
test_expect_success 'its working directory is not inside /tmp/sec-root' '
	! matches "$out" "*cwd /tmp/sec-root*"
'

# Without the trick the directory is restored as before.
on master $user sh -c "rm /tmp/sec-user/x && mkdir /tmp/sec-user/x && echo own > /tmp/sec-user/x/secret" ||
	bail_out "uid 1000 cannot turn /tmp/sec-user/x back into a directory of its own"
out=$(on master $bin/bprestart /tmp/sec-cwd.img 2>&1)
test_expect_success 'an image whose cwd the user may enter still starts there' '
	matches "$out" "*cwd /tmp/sec-user/x*secret own*"
'

test_no_leaks master
test_done
