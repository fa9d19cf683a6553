/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-only */
/*
 * bpwire, inside: what the framing (bpwire.c) and the payload codecs
 * (bpwire_decode.c, bpwire_encode.c) share.  Not for other users: their
 * interface is bpwire.h.
 */
#ifndef BPWIRE_MSG_H
#define BPWIRE_MSG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "bpwire.h"

/* Payload sizes of the fixed parts. */
#define HELLO_SIZE	24
#define WELCOME_SIZE	24
#define NODES_FIXED	12
#define LIBS_FIXED	4
#define PING_SIZE	8
#define BYE_FIXED	4
#define TEXT_FIXED	2
#define ERRNO_MAX	4095
#define MOVE_SIZE	56
#define MOVE_IO_SIZE	296
#define DATA_FIXED	8	/* IMAGE and IO, before their data */
#define MOVE_RESULT_SIZE 8
#define SIGNAL_SIZE	16
#define EXIT_SIZE	16
#define PSTATE_SIZE	16

/* ---- byte order --------------------------------------------------- */

static inline void put16(unsigned char *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put32(unsigned char *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static inline void put64(unsigned char *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static inline uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get32(const unsigned char *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static inline uint64_t get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* A file's version: u64 dev, ino, size, s64 mtime_ns, ctime_ns (40 bytes). */
static inline void put_fver(unsigned char *p, const struct bpwire_fver *v)
{
	put64(p, v->dev);
	put64(p + 8, v->ino);
	put64(p + 16, v->size);
	put64(p + 24, (uint64_t)v->mtime_ns);
	put64(p + 32, (uint64_t)v->ctime_ns);
}

static inline void get_fver(const unsigned char *p, struct bpwire_fver *v)
{
	v->dev = get64(p);
	v->ino = get64(p + 8);
	v->size = get64(p + 16);
	v->mtime_ns = (int64_t)get64(p + 24);
	v->ctime_ns = (int64_t)get64(p + 32);
}

/* IPv4 addresses travel as their 4 bytes in network order. */
static inline void put_addr(unsigned char *p, uint32_t be)
{
	memcpy(p, &be, 4);
}

static inline uint32_t get_addr(const unsigned char *p)
{
	uint32_t be;

	memcpy(&be, p, 4);
	return be;
}
/* ---- shared by the decoders ---------------------------------------- */

static inline int fail(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

/* A node number in a header: the master, "none yet", or a real node. */
static inline bool node_ok(int32_t node)
{
	return node == BPROC_NODE_MASTER || node == BPROC_NODE_NONE ||
	       (node >= 0 && node < BPROC_NODES_MAX);
}

/*
 * The payload @p, @n bytes, of the message whose header is already in
 * @m->hdr (bpwire_decode.c): 0 or -errno with *@why the reason.
 */
int bpwire_decode_payload(const unsigned char *p, size_t n,
			  struct bpwire_msg *m, const char **why);
/* The payload's size, or -errno for what cannot be encoded at all. */
ssize_t bpwire_payload_size(const struct bpwire_msg *m, const char **why);
/* Write @m's payload at @p (bpwire_payload_size() bytes). */
void bpwire_put_payload(unsigned char *p, const struct bpwire_msg *m);

#endif /* BPWIRE_MSG_H */
