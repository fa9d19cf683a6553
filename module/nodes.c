// SPDX-License-Identifier: GPL-2.0
/*
 * The node table and its files, /sys/bproc/nodes/N/ and
 * /sys/bproc/{numnodes,master_addr}.
 *
 * The table is the kernel's view of the cluster: how many nodes there are,
 * and each node's status, address and owner.  A daemon keeps it current
 * through its device (BPROC_MSG_NODES sets the size, BPROC_MSG_NODE_SET the
 * nodes' state); the session that last sized it is its owner.  On the master
 * that is bpmaster's session; on a slave, bpslave's session mirrors the
 * master's table so that the node answers questions about the cluster the
 * same way the master does.
 *
 * Administrators act through the files: user, group and mode are applied
 * here and passed on to bpmaster; status, reboot, halt and pwroff are
 * requests that bpmaster carries out (it alone talks to the nodes), so a
 * write of those waits for bpmaster's answer (dev/daemon.c).
 *
 * Locking: bproc_nodes_mutex serialises resizing and ownership changes
 * (everything that may sleep: kobjects come and go); bproc_nodes_lock, a
 * spinlock, protects the array pointer, the count and every node's fields,
 * so readers (sysfs, the ioctls) never sleep on a daemon.  A node's kobject
 * holds its memory; a file of a node being removed is drained by kernfs
 * before the node's last reference goes.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uidgid.h>

#include "nodes.h"
#include "notify.h"
#include "req.h"
#include "stats.h"
#include "sysfs.h"

/**
 * struct bproc_node - one node of the table
 * @kobj:   /sys/bproc/nodes/@nr; its release frees the node.
 * @nr:     node number.
 * @status: BPROC_STATUS_*.
 * @addr:   IPv4 address, network byte order; 0 when unknown.
 * @uid:    owner.
 * @gid:    group.
 * @mode:   x bits (BPROC_NODE_MODE_MASK).
 *
 * Every field but @kobj and @nr is protected by bproc_nodes_lock.
 */
struct bproc_node {
	struct kobject kobj;
	int nr;
	u32 status;
	__be32 addr;
	kuid_t uid;
	kgid_t gid;
	u32 mode;
};

static DEFINE_MUTEX(bproc_nodes_mutex);	/* resize, owner, self */
static DEFINE_SPINLOCK(bproc_nodes_lock);	/* the array and node fields */
static struct bproc_node **bproc_nodes;	/* [bproc_numnodes] */
static int bproc_numnodes;
static __be32 bproc_master_addr;
static int bproc_self = BPROC_NODE_MASTER;
/* The session that owns the table (NULL: none); only compared, never used. */
static const void *bproc_nodes_owner;
static bool bproc_nodes_owner_master;
/* On a slave: the mirror's generation, and how many sessions keep it. */
static u64 bproc_nodes_gen = 1;
static int bproc_nodes_mirrors;

static const char *const bproc_status_names[BPROC_STATUS_NR] = {
	[BPROC_STATUS_DOWN]		= "down",
	[BPROC_STATUS_BOOT]		= "boot",
	[BPROC_STATUS_UP]		= "up",
	[BPROC_STATUS_ERROR]		= "error",
	[BPROC_STATUS_UNAVAILABLE]	= "unavailable",
	[BPROC_STATUS_REBOOT]		= "reboot",
	[BPROC_STATUS_HALT]		= "halt",
	[BPROC_STATUS_PWROFF]		= "pwroff",
};

static inline struct bproc_node *to_node(struct kobject *kobj)
{
	return container_of(kobj, struct bproc_node, kobj);
}

/* ------------------------------------------------------------------ */
/* Node files                                                         */
/* ------------------------------------------------------------------ */

static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct bproc_node *node = to_node(kobj);
	u32 status;

	spin_lock(&bproc_nodes_lock);
	status = node->status;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%s\n", bproc_status_names[status]);
}

/* Node state is changed on the master; a slave's table is a mirror. */
static int bproc_nodes_writable(void)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (bproc_self != BPROC_NODE_MASTER)
		return -EROFS;
	return 0;
}

static ssize_t status_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct bproc_node *node = to_node(kobj);
	int status, err;

	status = sysfs_match_string(bproc_status_names, buf);
	switch (status) {
	case BPROC_STATUS_UP:
	case BPROC_STATUS_ERROR:
	case BPROC_STATUS_UNAVAILABLE:
	case BPROC_STATUS_DOWN:
		break;
	default:
		return -EINVAL;
	}
	err = bproc_nodes_writable();
	if (err)
		return err;
	err = bproc_req_node(node->nr, BPROC_NODE_REQ_STATUS, status);
	return err ?: count;
}

static struct kobj_attribute status_attr = __ATTR_RW(status);

static ssize_t addr_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct bproc_node *node = to_node(kobj);
	__be32 addr;

	spin_lock(&bproc_nodes_lock);
	addr = node->addr;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%pI4\n", &addr);
}

static struct kobj_attribute addr_attr = __ATTR_RO(addr);

static ssize_t user_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct bproc_node *node = to_node(kobj);
	kuid_t uid;

	spin_lock(&bproc_nodes_lock);
	uid = node->uid;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%u\n", from_kuid_munged(&init_user_ns, uid));
}

static ssize_t group_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct bproc_node *node = to_node(kobj);
	kgid_t gid;

	spin_lock(&bproc_nodes_lock);
	gid = node->gid;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%u\n", from_kgid_munged(&init_user_ns, gid));
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct bproc_node *node = to_node(kobj);
	u32 mode;

	spin_lock(&bproc_nodes_lock);
	mode = node->mode;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%03o\n", mode);
}

/* What an owner file's write changes. */
enum bproc_owner_field { BPROC_OWNER_USER, BPROC_OWNER_GROUP, BPROC_OWNER_MODE };

static ssize_t bproc_owner_store(struct bproc_node *node,
				 enum bproc_owner_field field,
				 const char *buf, size_t count)
{
	struct bproc_node_entry entry;
	kuid_t uid = INVALID_UID;
	kgid_t gid = INVALID_GID;
	u32 val;
	int err;

	err = kstrtou32(buf, field == BPROC_OWNER_MODE ? 8 : 10, &val);
	if (err)
		return err;
	switch (field) {
	case BPROC_OWNER_USER:
		uid = make_kuid(&init_user_ns, val);
		if (!uid_valid(uid))
			return -EINVAL;
		break;
	case BPROC_OWNER_GROUP:
		gid = make_kgid(&init_user_ns, val);
		if (!gid_valid(gid))
			return -EINVAL;
		break;
	case BPROC_OWNER_MODE:
		if (val & ~BPROC_NODE_MODE_MASK)
			return -EINVAL;
		break;
	}
	err = bproc_nodes_writable();
	if (err)
		return err;

	memset(&entry, 0, sizeof(entry));
	spin_lock(&bproc_nodes_lock);
	if (field == BPROC_OWNER_USER)
		node->uid = uid;
	else if (field == BPROC_OWNER_GROUP)
		node->gid = gid;
	else
		node->mode = val;
	entry.node = node->nr;
	entry.valid = BPROC_NODE_F_OWNER;
	entry.uid = from_kuid_munged(&init_user_ns, node->uid);
	entry.gid = from_kgid_munged(&init_user_ns, node->gid);
	entry.mode = node->mode;
	spin_unlock(&bproc_nodes_lock);

	/* bpmaster passes the change on to the slaves' mirrors. */
	bproc_notify_node_owner(&entry);
	return count;
}

static ssize_t user_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	return bproc_owner_store(to_node(kobj), BPROC_OWNER_USER, buf, count);
}

static ssize_t group_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	return bproc_owner_store(to_node(kobj), BPROC_OWNER_GROUP, buf, count);
}

static ssize_t mode_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	return bproc_owner_store(to_node(kobj), BPROC_OWNER_MODE, buf, count);
}

static struct kobj_attribute user_attr = __ATTR_RW(user);
static struct kobj_attribute group_attr = __ATTR_RW(group);
static struct kobj_attribute mode_attr = __ATTR_RW(mode);

/* reboot, halt, pwroff: write "1" to ask the node. */
static ssize_t bproc_power_store(struct bproc_node *node, u32 what,
				 const char *buf, size_t count)
{
	u32 val;
	int err;

	err = kstrtou32(buf, 10, &val);
	if (err)
		return err;
	if (val != 1)
		return -EINVAL;
	err = bproc_nodes_writable();
	if (err)
		return err;
	err = bproc_req_node(node->nr, what, 0);
	return err ?: count;
}

static ssize_t reboot_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return bproc_power_store(to_node(kobj), BPROC_NODE_REQ_REBOOT, buf,
				 count);
}

static ssize_t halt_store(struct kobject *kobj, struct kobj_attribute *attr,
			  const char *buf, size_t count)
{
	return bproc_power_store(to_node(kobj), BPROC_NODE_REQ_HALT, buf,
				 count);
}

static ssize_t pwroff_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	return bproc_power_store(to_node(kobj), BPROC_NODE_REQ_PWROFF, buf,
				 count);
}

static struct kobj_attribute reboot_attr = __ATTR_WO(reboot);
static struct kobj_attribute halt_attr = __ATTR_WO(halt);
static struct kobj_attribute pwroff_attr = __ATTR_WO(pwroff);

static struct attribute *bproc_node_attrs[] = {
	&status_attr.attr,
	&addr_attr.attr,
	&user_attr.attr,
	&group_attr.attr,
	&mode_attr.attr,
	&reboot_attr.attr,
	&halt_attr.attr,
	&pwroff_attr.attr,
	NULL
};
ATTRIBUTE_GROUPS(bproc_node);

static void bproc_node_release(struct kobject *kobj)
{
	kfree(to_node(kobj));
	bproc_stat_dec(BPROC_STAT_NODES);
}

static const struct kobj_type bproc_node_ktype = {
	.sysfs_ops	= &kobj_sysfs_ops,
	.release	= bproc_node_release,
	.default_groups	= bproc_node_groups,
};

/* ------------------------------------------------------------------ */
/* /sys/bproc/{numnodes,master_addr}                                  */
/* ------------------------------------------------------------------ */

static ssize_t numnodes_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(bproc_numnodes));
}

static ssize_t master_addr_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	__be32 addr;

	spin_lock(&bproc_nodes_lock);
	addr = bproc_master_addr;
	spin_unlock(&bproc_nodes_lock);
	return sysfs_emit(buf, "%pI4\n", &addr);
}

static struct kobj_attribute numnodes_attr = __ATTR_RO(numnodes);
static struct kobj_attribute master_addr_attr = __ATTR_RO(master_addr);

static struct attribute *bproc_cluster_attrs[] = {
	&numnodes_attr.attr,
	&master_addr_attr.attr,
	NULL
};

const struct attribute_group bproc_cluster_group = {
	.attrs = bproc_cluster_attrs,
};

/* ------------------------------------------------------------------ */
/* The table                                                          */
/* ------------------------------------------------------------------ */

static struct bproc_node *bproc_node_create(int nr)
{
	struct bproc_node *node;
	int err;

	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
	bproc_stat_inc(BPROC_STAT_NODES);
	node->nr = nr;
	node->status = BPROC_STATUS_DOWN;
	node->uid = GLOBAL_ROOT_UID;
	node->gid = GLOBAL_ROOT_GID;
	node->mode = BPROC_NODE_MODE_DEFAULT;

	node->kobj.kset = bproc_nodes_kset;
	err = kobject_init_and_add(&node->kobj, &bproc_node_ktype, NULL, "%d",
				   nr);
	if (err) {
		/* The release frees it (samples/kobject/kset-example.c). */
		kobject_put(&node->kobj);
		return NULL;
	}
	kobject_uevent(&node->kobj, KOBJ_ADD);
	return node;
}

/* Resize the table to @n nodes.  Caller holds bproc_nodes_mutex. */
static int bproc_nodes_resize(int n)
{
	struct bproc_node **new, **old;
	int old_n, i, keep;

	lockdep_assert_held(&bproc_nodes_mutex);
	old_n = bproc_numnodes;
	if (n == old_n)
		return 0;

	new = n ? kvcalloc(n, sizeof(*new), GFP_KERNEL) : NULL;
	if (n && !new)
		return -ENOMEM;
	keep = min(n, old_n);
	for (i = keep; i < n; i++) {
		new[i] = bproc_node_create(i);
		if (!new[i]) {
			while (--i >= keep)
				kobject_put(&new[i]->kobj);
			kvfree(new);
			return -ENOMEM;
		}
	}

	spin_lock(&bproc_nodes_lock);
	old = bproc_nodes;
	for (i = 0; i < keep; i++)
		new[i] = old[i];
	bproc_nodes = new;
	WRITE_ONCE(bproc_numnodes, n);
	spin_unlock(&bproc_nodes_lock);

	/* The nodes that went away: their files go with their last put. */
	for (i = keep; i < old_n; i++)
		kobject_put(&old[i]->kobj);
	kvfree(old);
	return 0;
}

/* Node @nr, or NULL.  Caller holds bproc_nodes_lock. */
static struct bproc_node *bproc_node_get_locked(int nr)
{
	lockdep_assert_held(&bproc_nodes_lock);
	if (nr < 0 || nr >= bproc_numnodes)
		return NULL;
	return bproc_nodes[array_index_nospec(nr, bproc_numnodes)];
}

/**
 * bproc_nodes_set_size - BPROC_MSG_NODES: size the table, take ownership
 * @owner:       the session sending it (an opaque cookie).
 * @master:      the session is on /dev/bproc/master.
 * @numnodes:    0..BPROC_NODES_MAX, checked by the caller.
 * @self:        BPROC_NODE_MASTER, or the slave's node (< @numnodes).
 * @master_addr: network byte order.
 * @mirror_gen:  a slave session's membership of the mirror (in/out; 0 at
 *               first), under bproc_nodes_mutex.
 *
 * On the master, bpmaster's session owns the table alone.  On a slave the
 * table is a mirror of the master's, and every bpslave session of the
 * kernel (one per node it is) keeps it: each is a member of the current
 * generation of the mirror once it sized it, and the mirror goes down with
 * its last member.
 *
 * Returns 0, -EBUSY (a slave session while the master owns the table),
 * -ENOMEM.
 */
int bproc_nodes_set_size(const void *owner, bool master, int numnodes,
			 int self, __be32 master_addr, u64 *mirror_gen)
{
	int err;

	mutex_lock(&bproc_nodes_mutex);
	if (!master && bproc_nodes_owner && bproc_nodes_owner_master) {
		err = -EBUSY;
		goto out;
	}
	err = bproc_nodes_resize(numnodes);
	if (err)
		goto out;
	if (master) {
		bproc_nodes_owner = owner;
		bproc_nodes_owner_master = true;
		/* Slave sessions that mirrored before are members no more. */
		bproc_nodes_gen++;
		bproc_nodes_mirrors = 0;
	} else if (*mirror_gen != bproc_nodes_gen) {
		*mirror_gen = bproc_nodes_gen;
		bproc_nodes_mirrors++;
	}
	WRITE_ONCE(bproc_self, self);
	spin_lock(&bproc_nodes_lock);
	bproc_master_addr = master_addr;
	spin_unlock(&bproc_nodes_lock);
out:
	mutex_unlock(&bproc_nodes_mutex);
	return err;
}

/* May @owner (@mirror_gen) change the table?  Caller holds the mutex. */
static bool bproc_nodes_may_change(const void *owner, u64 mirror_gen)
{
	lockdep_assert_held(&bproc_nodes_mutex);
	if (bproc_nodes_owner_master)
		return owner && bproc_nodes_owner == owner;
	return mirror_gen && mirror_gen == bproc_nodes_gen;
}

/**
 * bproc_nodes_apply - BPROC_MSG_NODE_SET: apply entries, all or none
 * @owner:   the session sending them; must own the table (else -EPERM)...
 * @mirror_gen: ... or be a member of the mirror (a slave session).
 * @entries: @count entries, in kernel memory.
 * @count:   at least 1.
 * @owner_ok: whether BPROC_NODE_F_OWNER may be applied (a mirror table).
 *
 * Returns 0, -EPERM, -EINVAL (an invalid entry: nothing was applied).
 */
int bproc_nodes_apply(const void *owner, u64 mirror_gen,
		      const struct bproc_node_entry *entries, u32 count,
		      bool owner_ok)
{
	const u32 allowed = BPROC_NODE_F_STATUS | BPROC_NODE_F_ADDR |
			    (owner_ok ? BPROC_NODE_F_OWNER : 0);
	unsigned long *changed;
	int n, err = 0;
	u32 i;

	mutex_lock(&bproc_nodes_mutex);
	if (!bproc_nodes_may_change(owner, mirror_gen)) {
		err = -EPERM;
		goto out;
	}
	n = bproc_numnodes;

	/* Check every entry before changing anything. */
	for (i = 0; i < count; i++) {
		const struct bproc_node_entry *e = &entries[i];

		if (e->node < 0 || e->node >= n || !e->valid ||
		    (e->valid & ~allowed) || e->reserved)
			goto invalid;
		if ((e->valid & BPROC_NODE_F_STATUS) ?
		    e->status >= BPROC_STATUS_NR : e->status)
			goto invalid;
		if (!(e->valid & BPROC_NODE_F_ADDR) && e->addr)
			goto invalid;
		if (e->valid & BPROC_NODE_F_OWNER) {
			if ((e->mode & ~BPROC_NODE_MODE_MASK) ||
			    !uid_valid(make_kuid(&init_user_ns, e->uid)) ||
			    !gid_valid(make_kgid(&init_user_ns, e->gid)))
				goto invalid;
		} else if (e->uid || e->gid || e->mode) {
			goto invalid;
		}
	}

	/* Nodes whose status changed get a sysfs_notify() for pollers. */
	changed = bitmap_zalloc(n, GFP_KERNEL);

	spin_lock(&bproc_nodes_lock);
	for (i = 0; i < count; i++) {
		const struct bproc_node_entry *e = &entries[i];
		struct bproc_node *node = bproc_node_get_locked(e->node);

		if (e->valid & BPROC_NODE_F_STATUS) {
			if (changed && node->status != e->status)
				__set_bit(e->node, changed);
			node->status = e->status;
		}
		if (e->valid & BPROC_NODE_F_ADDR)
			node->addr = e->addr;
		if (e->valid & BPROC_NODE_F_OWNER) {
			node->uid = make_kuid(&init_user_ns, e->uid);
			node->gid = make_kgid(&init_user_ns, e->gid);
			node->mode = e->mode;
		}
	}
	spin_unlock(&bproc_nodes_lock);

	if (changed) {
		int nr;

		for_each_set_bit(nr, changed, n)
			sysfs_notify(&bproc_nodes[nr]->kobj, NULL, "status");
		bitmap_free(changed);
	}
	goto out;

invalid:
	err = -EINVAL;
out:
	mutex_unlock(&bproc_nodes_mutex);
	return err;
}

/*
 * The owner's session ended (on a slave: the mirror's last member):
 * nobody can reach the nodes any more, so every node goes down.  The table
 * itself (size, addresses, owners) stays for the next daemon.
 */
void bproc_nodes_owner_gone(const void *owner, u64 mirror_gen)
{
	int nr;

	mutex_lock(&bproc_nodes_mutex);
	if (bproc_nodes_owner_master) {
		if (!owner || bproc_nodes_owner != owner)
			goto out;
		bproc_nodes_owner = NULL;
		bproc_nodes_owner_master = false;
	} else {
		if (!mirror_gen || mirror_gen != bproc_nodes_gen ||
		    !bproc_nodes_mirrors || --bproc_nodes_mirrors)
			goto out;
	}
	for (nr = 0; nr < bproc_numnodes; nr++) {
		bool was_down;

		spin_lock(&bproc_nodes_lock);
		was_down = bproc_nodes[nr]->status == BPROC_STATUS_DOWN;
		bproc_nodes[nr]->status = BPROC_STATUS_DOWN;
		spin_unlock(&bproc_nodes_lock);
		if (!was_down)
			sysfs_notify(&bproc_nodes[nr]->kobj, NULL, "status");
	}
out:
	mutex_unlock(&bproc_nodes_mutex);
}

/*
 * BPROC_NODE_MASTER on the master; on a slave, the node the last NODES
 * named (dev/req.c's bproc_node_here() tells which node a process is on).
 */
int bproc_nodes_self(void)
{
	return READ_ONCE(bproc_self);
}

/**
 * bproc_node_access - may the caller place processes on node @nr?
 * @nr: node number.
 *
 * Root (CAP_SYS_ADMIN) always may; otherwise the node's mode gives the
 * right: 0100 to its owner (effective uid), 0010 to members of its group
 * (effective or supplementary gid), 0001 to anyone; any one of them
 * suffices.  Returns 0, -EACCES or -ENODEV.
 */
int bproc_node_access(int nr)
{
	struct bproc_node *node;
	kuid_t uid;
	kgid_t gid;
	u32 mode;

	spin_lock(&bproc_nodes_lock);
	node = bproc_node_get_locked(nr);
	if (!node) {
		spin_unlock(&bproc_nodes_lock);
		return -ENODEV;
	}
	uid = node->uid;
	gid = node->gid;
	mode = node->mode;
	spin_unlock(&bproc_nodes_lock);

	if ((mode & 0001) ||
	    ((mode & 0100) && uid_eq(current_euid(), uid)) ||
	    ((mode & 0010) && in_egroup_p(gid)))
		return 0;
	if (capable(CAP_SYS_ADMIN))
		return 0;
	return -EACCES;
}

int bproc_node_status(int nr)
{
	struct bproc_node *node;
	int status = -ENODEV;

	spin_lock(&bproc_nodes_lock);
	node = bproc_node_get_locked(nr);
	if (node)
		status = node->status;
	spin_unlock(&bproc_nodes_lock);
	return status;
}

int __init bproc_nodes_init(void)
{
	return 0;
}

/* Module exit: no session is left (each holds the module), so no owner. */
void bproc_nodes_exit(void)
{
	mutex_lock(&bproc_nodes_mutex);
	WARN_ON(bproc_nodes_owner || bproc_nodes_mirrors);
	bproc_nodes_resize(0);
	mutex_unlock(&bproc_nodes_mutex);
}
