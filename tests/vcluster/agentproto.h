/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test agent's wire protocol (test harness only; never in a production
 * image).  `vcrun` on the host connects over TCP to `vcagent` in a VM:
 *
 *   request:  struct vca_req, then req.argv_len bytes: argc NUL-terminated
 *             strings (argv[0] is the program, looked up in PATH).
 *   then both ways, frames: struct vca_frame + frame.len payload bytes.
 *     host -> VM:  VCA_STDIN (len 0 = end of input)
 *     VM -> host:  VCA_STDOUT, VCA_STDERR (data), VCA_EXIT (a __s32 wait
 *                  status, as waitpid() returned it, then the agent closes).
 *
 * Integers are little-endian (both ends are x86-64).  A peer that sends a
 * bad magic, an oversized length or an unknown frame type is disconnected.
 */
#ifndef VCA_PROTO_H
#define VCA_PROTO_H

#include <stdint.h>

#define VCA_MAGIC	0x31414356u	/* "VCA1" */
#define VCA_PORT	7777
#define VCA_MAX_DATA	65536
#define VCA_MAX_ARGV	(256 * 1024)
#define VCA_MAX_ARGC	4096

enum { VCA_STDIN = 1, VCA_STDOUT = 2, VCA_STDERR = 3, VCA_EXIT = 4 };

struct vca_req {
	uint32_t magic;
	uint32_t argc;
	uint32_t argv_len;
	uint32_t reserved;
};

struct vca_frame {
	uint8_t type;
	uint8_t pad[3];
	uint32_t len;
};

_Static_assert(sizeof(struct vca_req) == 16, "vca_req");
_Static_assert(sizeof(struct vca_frame) == 8, "vca_frame");

#endif
