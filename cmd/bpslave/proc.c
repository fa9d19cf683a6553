// SPDX-License-Identifier: GPL-2.0
/*
 * bpslave's process table: one record per process the master knows here
 * (struct sproc, bpslave.h), found by PID and by the id of its transit
 * (the MOVE that brings it or takes it away) through two hash tables, and
 * listed newest first for the poll loop.  Nothing here talks to anyone:
 * the unit test (tests/unit/test_bpslave_proc.c) links it alone.
 */
#include <stdlib.h>
#include <unistd.h>

#include "bpslave.h"

#define BUCKETS_MIN	64

static struct {
	struct sproc *all;		/* newest first */
	struct sproc **pid_hash;	/* by PID */
	struct sproc **tid_hash;	/* by transit id (records with one) */
	size_t nbuckets;		/* a power of two (0: none yet) */
	size_t count;
	size_t holding;			/* LEFT records with a hold */
} T;

static size_t pid_slot(int pid, size_t nb)
{
	uint32_t h = (uint32_t)pid * 2654435761u;

	return (h ^ (h >> 15)) & (nb - 1);
}

static size_t tid_slot(uint64_t id, size_t nb)
{
	return (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (nb - 1);
}

static void hash_add(struct sproc *sp)
{
	size_t i = pid_slot(sp->pid, T.nbuckets);

	sp->pid_next = T.pid_hash[i];
	T.pid_hash[i] = sp;
	if (sp->t.id) {
		i = tid_slot(sp->t.id, T.nbuckets);
		sp->tid_next = T.tid_hash[i];
		T.tid_hash[i] = sp;
	}
}

static void tid_unlink(struct sproc *sp)
{
	struct sproc **pp;

	if (!sp->t.id)
		return;
	for (pp = &T.tid_hash[tid_slot(sp->t.id, T.nbuckets)]; *pp;
	     pp = &(*pp)->tid_next) {
		if (*pp == sp) {
			*pp = sp->tid_next;
			break;
		}
	}
	sp->tid_next = NULL;
}

/*
 * Room for one more record: the buckets grow (twice as many) when there
 * are as many records as buckets.  On no memory the old ones serve on.
 */
static int grow(void)
{
	struct sproc **ph, **th, *sp;
	size_t nb;

	if (T.nbuckets && T.count < T.nbuckets)
		return 0;
	nb = T.nbuckets ? T.nbuckets * 2 : BUCKETS_MIN;
	ph = calloc(nb, sizeof(*ph));
	th = calloc(nb, sizeof(*th));
	if (!ph || !th) {
		free(ph);
		free(th);
		return T.nbuckets ? 0 : -1;
	}
	free(T.pid_hash);
	free(T.tid_hash);
	T.pid_hash = ph;
	T.tid_hash = th;
	T.nbuckets = nb;
	for (sp = T.all; sp; sp = sp->next)
		hash_add(sp);
	return 0;
}

struct sproc *sproc_new(int pid, enum sproc_state state)
{
	struct sproc *sp;

	if (grow())
		return NULL;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return NULL;
	sp->pid = pid;
	sp->state = state;
	sp->t.img = -1;
	sp->in = -1;
	sp->out[0] = sp->out[1] = sp->out[2] = -1;
	sp->next = T.all;
	if (T.all)
		T.all->prev = sp;
	T.all = sp;
	hash_add(sp);
	T.count++;
	return sp;
}

void sproc_free(struct sproc *sp)
{
	struct sproc **pp;
	int i;

	for (pp = &T.pid_hash[pid_slot(sp->pid, T.nbuckets)]; *pp;
	     pp = &(*pp)->pid_next) {
		if (*pp == sp) {
			*pp = sp->pid_next;
			break;
		}
	}
	tid_unlink(sp);
	if (sp->prev)
		sp->prev->next = sp->next;
	else
		T.all = sp->next;
	if (sp->next)
		sp->next->prev = sp->prev;
	T.count--;
	sproc_hold(sp, 0);
	if (sp->t.img >= 0)
		close(sp->t.img);
	free(sp->t.img_buf);
	if (sp->in >= 0)
		close(sp->in);
	for (i = 1; i <= 2; i++)
		if (sp->out[i] >= 0)
			close(sp->out[i]);
	free(sp);
}

struct sproc *sproc_by_pid(int pid)
{
	struct sproc *sp;

	if (!T.nbuckets)
		return NULL;
	for (sp = T.pid_hash[pid_slot(pid, T.nbuckets)]; sp; sp = sp->pid_next)
		if (sp->pid == pid)
			return sp;
	return NULL;
}

static bool is_leaving(const struct sproc *sp)
{
	return sp->state == SPROC_LEAVING || sp->state == SPROC_LEAVING_ENDED;
}

struct sproc *sproc_by_transit(uint64_t id, bool leaving)
{
	struct sproc *sp;

	if (!T.nbuckets || !id)
		return NULL;
	for (sp = T.tid_hash[tid_slot(id, T.nbuckets)]; sp; sp = sp->tid_next)
		if (sp->t.id == id &&
		    (leaving ? is_leaving(sp) : sp->state == SPROC_ARRIVING))
			return sp;
	return NULL;
}

void sproc_set_transit(struct sproc *sp, uint64_t id)
{
	size_t i;

	tid_unlink(sp);
	sp->t.id = id;
	if (!id)
		return;
	i = tid_slot(id, T.nbuckets);
	sp->tid_next = T.tid_hash[i];
	T.tid_hash[i] = sp;
}

void sproc_set_state(struct sproc *sp, enum sproc_state state)
{
	if (sp->state == SPROC_LEFT && state != SPROC_LEFT)
		sproc_hold(sp, 0);
	sp->state = state;
}

void sproc_hold(struct sproc *sp, uint64_t until)
{
	if (sp->state != SPROC_LEFT)
		return;
	if (sp->t.hold_until && !until)
		T.holding--;
	else if (!sp->t.hold_until && until)
		T.holding++;
	sp->t.hold_until = until;
}

bool sproc_held(void)
{
	return T.holding > 0;
}

struct sproc *sproc_holding(void)
{
	struct sproc *sp;

	if (!T.holding)
		return NULL;
	for (sp = T.all; sp; sp = sp->next)
		if (sp->state == SPROC_LEFT && sp->t.hold_until)
			return sp;
	return NULL;
}

struct sproc *sproc_first(void)
{
	return T.all;
}

size_t sproc_count(void)
{
	return T.count;
}
