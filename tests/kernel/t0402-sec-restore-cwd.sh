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
trap 'on master rm -rf /tmp/sec-root /tmp/sec-user /tmp/sec-cwd.img' EXIT

on master sh -c "rm -rf /tmp/sec-root /tmp/sec-user &&
	mkdir -p /tmp/sec-root/inner && echo CWD-SECRET > /tmp/sec-root/inner/secret &&
	chmod 700 /tmp/sec-root && chmod 755 /tmp/sec-root/inner && chmod 644 /tmp/sec-root/inner/secret &&
	mkdir -p /tmp/sec-user/x && chown -R 1000:1000 /tmp/sec-user"
ok $? "root makes /tmp/sec-root (0700) with inner/secret, and a directory for uid 1000"
out=$(on master $user cat /tmp/sec-root/inner/secret 2>&1)
[ $? != 0 ]
ok $? "uid 1000 cannot read /tmp/sec-root/inner/secret"

out=$(on master $user $st cwddump /tmp/sec-cwd.img /tmp/sec-user/x 2>&1)
is "$out" "dumped" "uid 1000 dumps itself with its cwd in /tmp/sec-user/x"
on master $user sh -c "rmdir /tmp/sec-user/x && ln -s /tmp/sec-root/inner /tmp/sec-user/x"
ok $? "uid 1000 turns /tmp/sec-user/x into a symlink to /tmp/sec-root/inner"

out=$(on master $bin/bprestart /tmp/sec-cwd.img 2>&1)
echo "$out" | sed 's/^/#   /'
case $out in *"uid 1000 cwd "*) r=0 ;; *) r=1 ;; esac
_tap $r "root restores the image: it runs as uid 1000" "$out"
case $out in *CWD-SECRET*) r=1 ;; *) r=0 ;; esac
_tap $r "the restored process cannot read ./secret" "$out"
case $out in *"cwd /tmp/sec-root"*) r=1 ;; *) r=0 ;; esac
_tap $r "its working directory is not inside /tmp/sec-root" "$out"

# Without the trick the directory is restored as before.
on master $user sh -c "rm /tmp/sec-user/x && mkdir /tmp/sec-user/x && echo own > /tmp/sec-user/x/secret"
out=$(on master $bin/bprestart /tmp/sec-cwd.img 2>&1)
case $out in *"cwd /tmp/sec-user/x"*"secret own"*) r=0 ;; *) r=1 ;; esac
_tap $r "an image whose cwd the user may enter still starts there" "$out"
stats_zero master

done_testing
