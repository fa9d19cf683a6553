// SPDX-License-Identifier: GPL-2.0
/*
 * The process table: one record per process bpmaster routes for, with its
 * state (enum proc_state, bpmaster.h) and the move it is in, hashed by PID,
 * by the id its current move is answered by, and by the MOVE id of the
 * node it leaves (chained hashes that double as the table grows).  Each state keeps its records in a list of its own, so a
 * walk over "every process leaving a node" sees only those.
 *
 * Nothing here talks to the kernel or a slave.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpmaster.h"

static const char *const state_names[PROC_NSTATES] = {
	[PROC_TO_NODE] = "to-node",
	[PROC_REFUSED] = "refused",
	[PROC_ON_NODE] = "on-node",
	[PROC_NODE_TO_NODE] = "node-to-node",
	[PROC_RETURNING] = "returning",
	[PROC_ON_MASTER] = "on-master",
	[PROC_ENDED] = "ended",
};

const char *proc_state_name(enum proc_state st)
{
	return st < PROC_NSTATES ? state_names[st] : "?";
}

static size_t hash_u64(const struct proctab *t, uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdull;
	v ^= v >> 33;
	return (size_t)v & (t->nbuckets - 1);
}

static size_t hash_pid(const struct proctab *t, int pid)
{
	return hash_u64(t, (uint32_t)pid);
}

static size_t hash_out(const struct proctab *t, int node, uint64_t id)
{
	return hash_u64(t, id * 31 + (uint32_t)node);
}

struct proc *proc_find(struct proctab *t, int pid)
{
	struct proc *p;

	if (!t->nbuckets)
		return NULL;
	for (p = t->by_pid[hash_pid(t, pid)]; p; p = p->pid_next)
		if (p->pid == pid)
			return p;
	return NULL;
}

static void list_add(struct proctab *t, struct proc *p)
{
	p->prev = NULL;
	p->next = t->list[p->state];
	if (p->next)
		p->next->prev = p;
	t->list[p->state] = p;
	t->count[p->state]++;
}

static void list_del(struct proctab *t, struct proc *p)
{
	if (p->prev)
		p->prev->next = p->next;
	else
		t->list[p->state] = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->prev = p->next = NULL;
	t->count[p->state]--;
}

static void hash_add(struct proctab *t, struct proc *p)
{
	size_t h = hash_pid(t, p->pid);

	p->pid_next = t->by_pid[h];
	t->by_pid[h] = p;
	if (p->t.id) {
		h = hash_u64(t, p->t.id);
		p->id_next = t->by_id[h];
		t->by_id[h] = p;
	}
	if (p->t.out_id) {
		h = hash_out(t, p->node, p->t.out_id);
		p->out_next = t->by_out[h];
		t->by_out[h] = p;
	}
}

/* Twice the chains (the first 256), every record hashed anew. */
static int proctab_grow(struct proctab *t)
{
	size_t n = t->nbuckets ? 2 * t->nbuckets : 256;
	struct proc **pid = calloc(n, sizeof(*pid));
	struct proc **id = calloc(n, sizeof(*id));
	struct proc **out = calloc(n, sizeof(*out));

	if (!pid || !id || !out) {
		free(pid);
		free(id);
		free(out);
		return -ENOMEM;
	}
	free(t->by_pid);
	free(t->by_id);
	free(t->by_out);
	t->by_pid = pid;
	t->by_id = id;
	t->by_out = out;
	t->nbuckets = n;
	for (int st = 0; st < PROC_NSTATES; st++)
		for (struct proc *p = t->list[st]; p; p = p->next)
			hash_add(t, p);
	return 0;
}

struct proc *proc_get(struct proctab *t, int pid)
{
	struct proc *p = proc_find(t, pid);

	if (p)
		return p;
	/* A table that cannot grow still works, with longer chains. */
	if ((!t->nbuckets || proc_count(t) >= 2 * t->nbuckets) &&
	    proctab_grow(t) && !t->nbuckets)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->state = PROC_ON_MASTER;
	p->node = BPROC_NODE_MASTER;
	p->t.pipe = -1;
	p->pidfd = -1;
	hash_add(t, p);
	list_add(t, p);
	return p;
}

void proc_set_state(struct proctab *t, struct proc *p, enum proc_state st)
{
	if (p->state == st)
		return;
	list_del(t, p);
	p->state = st;
	list_add(t, p);
	switch (st) {
	case PROC_TO_NODE:
	case PROC_RETURNING:
		/* The kernel holds it (or its ghost) in the move: it is alive. */
		if (p->pidfd < 0) {
			p->pidfd = local_pidfd(p->pid);
			if (p->pidfd < 0)
				bpd_warn("process %d: no pidfd (%s): signals for it on the master are dropped",
					 p->pid, strerror(-p->pidfd));
		}
		break;
	case PROC_REFUSED:
	case PROC_ON_MASTER:
		break;		/* it is, or will be, on the master: keep it */
	default:
		if (p->pidfd >= 0)
			local_pidfd_close(p->pidfd);
		p->pidfd = -1;
		break;
	}
}

/* Unlink @p from the chain at @head, linked through the member at @off. */
static void chain_del(struct proc **head, struct proc *p, size_t off)
{
	struct proc **pp;

	for (pp = head; *pp; pp = (struct proc **)((char *)*pp + off)) {
		if (*pp == p) {
			*pp = *(struct proc **)((char *)p + off);
			return;
		}
	}
}

void proc_set_id(struct proctab *t, struct proc *p, uint64_t id)
{
	size_t h;

	if (p->t.id)
		chain_del(&t->by_id[hash_u64(t, p->t.id)], p,
			  offsetof(struct proc, id_next));
	p->t.id = id;
	p->id_next = NULL;
	if (!id)
		return;
	h = hash_u64(t, id);
	p->id_next = t->by_id[h];
	t->by_id[h] = p;
}

struct proc *proc_by_id(struct proctab *t, uint64_t id)
{
	struct proc *p;

	if (!id || !t->nbuckets)
		return NULL;
	for (p = t->by_id[hash_u64(t, id)]; p; p = p->id_next)
		if (p->t.id == id)
			return p;
	return NULL;
}

void proc_set_out(struct proctab *t, struct proc *p, uint64_t id)
{
	size_t h;

	if (p->t.out_id)
		chain_del(&t->by_out[hash_out(t, p->node, p->t.out_id)], p,
			  offsetof(struct proc, out_next));
	p->t.out_id = id;
	p->out_next = NULL;
	if (!id)
		return;
	h = hash_out(t, p->node, id);
	p->out_next = t->by_out[h];
	t->by_out[h] = p;
}

struct proc *proc_by_out(struct proctab *t, int node, uint64_t id)
{
	struct proc *p;

	if (!id || !t->nbuckets)
		return NULL;
	for (p = t->by_out[hash_out(t, node, id)]; p; p = p->out_next)
		if (p->t.out_id == id && p->node == node)
			return p;
	return NULL;
}

void proc_transit_clear(struct proctab *t, struct proc *p)
{
	proc_set_id(t, p, 0);
	proc_set_out(t, p, 0);
	if (p->t.pipe >= 0)
		close(p->t.pipe);
	free(p->t.buf);
	memset(&p->t, 0, sizeof(p->t));
	p->t.pipe = -1;
}

void proc_free(struct proctab *t, struct proc *p)
{
	struct proc_left *l, *next;

	proc_transit_clear(t, p);
	if (p->pidfd >= 0)
		local_pidfd_close(p->pidfd);
	chain_del(&t->by_pid[hash_pid(t, p->pid)], p,
		  offsetof(struct proc, pid_next));
	list_del(t, p);
	for (l = p->left; l; l = next) {
		next = l->next;
		free(l);
	}
	free(p);
}

/* Forget the nodes that may no longer speak of @p. */
static void left_expire(struct proc *p, uint64_t now)
{
	struct proc_left **pp = &p->left, *l;

	while ((l = *pp)) {
		if (l->until <= now) {
			*pp = l->next;
			free(l);
		} else {
			pp = &l->next;
		}
	}
}

void proc_left_add(struct proc *p, int from, uint64_t now)
{
	struct proc_left *l;

	left_expire(p, now);
	for (l = p->left; l; l = l->next) {
		if (l->from == from) {
			l->until = now + PROC_LEFT_MS;
			return;
		}
	}
	l = malloc(sizeof(*l));
	if (!l) {
		bpd_err("out of memory: node %d's word on process %d will be ignored",
			from, p->pid);
		return;
	}
	l->from = from;
	l->until = now + PROC_LEFT_MS;
	l->next = p->left;
	p->left = l;
}

bool proc_left_from(struct proc *p, int from, uint64_t now)
{
	const struct proc_left *l;

	if (!p)
		return false;
	for (l = p->left; l; l = l->next)
		if (l->from == from && l->until > now)
			return true;
	return false;
}

bool proc_settle(struct proctab *t, struct proc *p, uint64_t now)
{
	if (p->state != PROC_ON_MASTER && p->state != PROC_ENDED)
		return false;
	left_expire(p, now);
	if (p->left)
		return false;
	proc_free(t, p);
	return true;
}

void proc_sweep(struct proctab *t, uint64_t now)
{
	static const enum proc_state settled[] = { PROC_ON_MASTER, PROC_ENDED };
	struct proc *p, *next;

	for (size_t i = 0; i < sizeof(settled) / sizeof(settled[0]); i++) {
		for (p = t->list[settled[i]]; p; p = next) {
			next = p->next;
			proc_settle(t, p, now);
		}
	}
}

void proctab_free(struct proctab *t)
{
	for (int st = 0; st < PROC_NSTATES; st++)
		while (t->list[st])
			proc_free(t, t->list[st]);
	free(t->by_pid);
	free(t->by_id);
	free(t->by_out);
	memset(t, 0, sizeof(*t));
}

size_t proc_count(const struct proctab *t)
{
	size_t n = 0;

	for (int st = 0; st < PROC_NSTATES; st++)
		n += t->count[st];
	return n;
}
