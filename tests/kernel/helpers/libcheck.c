// SPDX-License-Identifier: GPL-2.0
/*
 * libcheck - exercise libbproc from inside a VM (qemu tests only).
 * Built twice: statically against libbproc.a (runs on the slaves too) and
 * dynamically against libbproc.so (runs on the master, where the build
 * tree's build/lib is on the library path).  Prints TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/bproc.h>
#include <linux/bproc.h>

#include "tap.h"

int main(void)
{
	struct bproc_version_t v;
	char sysver[64] = "";
	FILE *f;

	memset(&v, 0xff, sizeof(v));
	ok_call(bproc_version(&v), "bproc_version() succeeds");
	ok(memcmp(v.bproc_magic, "BPr", 3) == 0, "bproc_magic is BPr");
	is_int(v.arch, BPROC_ARCH_X86_64, "arch is BPROC_ARCH_X86_64");
	is_int(v.magic, (BPROC_PROTO_MAJOR << 16) | BPROC_PROTO_MINOR, "magic carries the protocol");
	f = fopen("/sys/bproc/version", "r");
	if (f) {
		if (!fgets(sysver, sizeof(sysver), f))
			sysver[0] = '\0';
		fclose(f);
		sysver[strcspn(sysver, "\n")] = '\0';
	}
	ok_diag(strcmp(v.version_string, sysver) == 0 && sysver[0], "version_string matches /sys/bproc/version",
		"'%.*s', /sys/bproc/version '%s'", (int)sizeof(v.version_string), v.version_string, sysver);
	ok(strcmp(v.version_string, BPROC_VERSION_STRING) == 0, "version_string is the header's release");
	errno = 0;
	is_errno(bproc_version(NULL), EFAULT, "bproc_version(NULL) fails with EFAULT");
	return done_testing();
}
