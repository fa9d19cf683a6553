#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What users expect of every tool: --help prints its usage on stdout and
# exits 0, --version prints "NAME version X.Y.Z" (the module's release,
# BPROC_VERSION_STRING) and exits 0, an unknown option exits non-zero with
# the usage on stderr; and every man page renders with man -l without a
# warning, each command's page with an EXIT STATUS section that names
# --help and --version.
. "$(dirname "$0")/lib.sh"

tools="bpsh bpstat bpctl bplib bpcheckpoint bprestart bpmaster bpslave"
make -s -C "$top" $(printf 'build/bin/%s ' $tools) >"$d/make.log" 2>&1 ||
	{ sed 's/^/#   /' "$d/make.log"; bail_out "make the tools"; }
version=$(sed -n 's/^#define BPROC_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' \
	"$top/include/uapi/linux/bproc.h")
[ -n "$version" ] || bail_out "no BPROC_VERSION_STRING in <linux/bproc.h>"

for t in $tools; do
	bin=$top/build/bin/$t
	test_expect_success "$t --help: the usage on stdout, exit 0" '
		"$bin" --help >"$d/out" 2>"$d/err" &&
		head -n 1 "$d/out" | grep -q "^usage: $t" && ! [ -s "$d/err" ]
	'
	test_expect_success "$t --version: \"$t version $version\", exit 0" '
		is "$("$bin" --version 2>&1)" "$t version $version"
	'
	test_expect_success "$t --no-such-option: fails, the usage on stderr" '
		! "$bin" --no-such-option >"$d/out" 2>"$d/err" </dev/null &&
		grep -q "usage: $t" "$d/err" && ! [ -s "$d/out" ]
	'
done

for page in "$top"/Documentation/man/*.[1-8]; do
	name=${page##*/}
	test_expect_success "man -l $name: no warning" '
		MANWIDTH=80 man -l --warnings "$page" 2>"$d/warn" >/dev/null &&
		! [ -s "$d/warn" ] || { sed "s/^/#   /" "$d/warn"; false; }
	'
done
for t in $tools; do
	page=$(ls "$top"/Documentation/man/$t.[18])
	test_expect_success "${page##*/}: an EXIT STATUS section, --help and --version" '
		grep -q "^\.SH EXIT STATUS" "$page" &&
		grep -q -- "\\\\-\\\\-help" "$page" && grep -q -- "\\\\-\\\\-version" "$page"
	'
done

test_done
