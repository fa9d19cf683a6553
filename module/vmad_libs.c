// SPDX-License-Identifier: GPL-2.0
/*
 * The remote-file list: files known to exist, identical, on every node, so
 * that VMADump sends a read-only mapping of one as a reference (path and
 * fingerprint) instead of its data, unless VMAD_DUMP_LIBS is asked for.
 *
 * /proc/bproc/libraries (a file of the bproc file system, module/bprocfs.c,
 * whose inode has bproc_vmad_libs_fops) shows it, one path per line.  Root
 * (CAP_SYS_ADMIN) changes it with one command per write(): "+PATH" adds,
 * "-PATH" removes, "clear" empties; a trailing newline is allowed.  An entry ending in '/'
 * is a directory prefix (everything under it), any other an exact path.
 * The default is the original bproc's rule: "/lib/" and "/usr/lib/".
 *
 * A mutex protects the list; it is only used in process context (dumps and
 * the file).  The list is configuration, not a per-operation object,
 * so it has no /sys/bproc/stats class (those counters are 0 when bproc is
 * idle); it is bounded (BPROC_LIBS_MAX) and freed whole at unload.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc_image.h>
#include <linux/capability.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "vmad_libs.h"

#define BPROC_LIBS_MAX	4096	/* entries */

struct bproc_lib {
	struct list_head list;
	size_t len;
	char path[];
};

static LIST_HEAD(bproc_libs);
static unsigned int bproc_nr_libs;
static DEFINE_MUTEX(bproc_libs_lock);

/* The entry equal to @path (@len bytes), or NULL.  Lock held. */
static struct bproc_lib *bproc_lib_find(const char *path, size_t len)
{
	struct bproc_lib *l;

	list_for_each_entry(l, &bproc_libs, list)
		if (l->len == len && !memcmp(l->path, path, len))
			return l;
	return NULL;
}

static void bproc_lib_free(struct bproc_lib *l)
{
	list_del(&l->list);
	bproc_nr_libs--;
	kfree(l);
}

/* Remove the entry equal to @path; -ENOENT if there is none. */
static int bproc_lib_remove(const char *path, size_t len)
{
	struct bproc_lib *l = bproc_lib_find(path, len);

	if (!l)
		return -ENOENT;
	bproc_lib_free(l);
	return 0;
}

/* Add @path (@len bytes, checked); a duplicate is not added twice. */
static int bproc_lib_add(const char *path, size_t len)
{
	struct bproc_lib *l;

	if (bproc_lib_find(path, len))
		return 0;
	if (bproc_nr_libs >= BPROC_LIBS_MAX)
		return -ENOSPC;
	l = kmalloc(struct_size(l, path, len + 1), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->len = len;
	memcpy(l->path, path, len);
	l->path[len] = '\0';
	list_add_tail(&l->list, &bproc_libs);
	bproc_nr_libs++;
	return 0;
}

static void bproc_lib_clear(void)
{
	struct bproc_lib *l, *tmp;

	list_for_each_entry_safe(l, tmp, &bproc_libs, list)
		bproc_lib_free(l);
}

bool bproc_vmad_is_lib(const char *path)
{
	struct bproc_lib *l;
	bool found = false;

	mutex_lock(&bproc_libs_lock);
	list_for_each_entry(l, &bproc_libs, list) {
		if (l->path[l->len - 1] == '/' ?
		    !strncmp(path, l->path, l->len) : !strcmp(path, l->path)) {
			found = true;
			break;
		}
	}
	mutex_unlock(&bproc_libs_lock);
	return found;
}

static int bproc_libs_show(struct seq_file *m, void *v)
{
	struct bproc_lib *l;

	mutex_lock(&bproc_libs_lock);
	list_for_each_entry(l, &bproc_libs, list) {
		seq_puts(m, l->path);
		seq_putc(m, '\n');
	}
	mutex_unlock(&bproc_libs_lock);
	return 0;
}

static int bproc_libs_open(struct inode *inode, struct file *file)
{
	/* 4096 entries of up to 4096 bytes: let seq_file grow its buffer. */
	return single_open(file, bproc_libs_show, NULL);
}

/* One command: "+PATH", "-PATH" or "clear", optionally newline-ended. */
static ssize_t bproc_libs_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char *buf, *path;
	size_t len;
	int err;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (count == 0 || count > VMAD_PATH_MAX + 1)
		return -EINVAL;	/* '+', up to 4095 bytes, '\n' */
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	len = count;
	if (buf[len - 1] == '\n')
		len--;
	err = -EINVAL;
	if (!len || memchr(buf, '\0', len) || memchr(buf, '\n', len))
		goto out_free;

	mutex_lock(&bproc_libs_lock);
	if (len == 5 && !memcmp(buf, "clear", 5)) {
		bproc_lib_clear();
		err = 0;
	} else if (buf[0] == '+' || buf[0] == '-') {
		path = buf + 1;
		len--;
		if (!len || path[0] != '/' || len > VMAD_PATH_MAX - 1)
			err = -EINVAL;
		else if (buf[0] == '+')
			err = bproc_lib_add(path, len);
		else
			err = bproc_lib_remove(path, len);
	}
	mutex_unlock(&bproc_libs_lock);
out_free:
	kfree(buf);
	return err ? err : count;
}

const struct file_operations bproc_vmad_libs_fops = {
	.owner = THIS_MODULE,
	.open = bproc_libs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = bproc_libs_write,
};

int bproc_vmad_libs_init(void)
{
	static const char *const defaults[] = { "/lib/", "/usr/lib/" };
	unsigned int i;
	int err = 0;

	mutex_lock(&bproc_libs_lock);
	for (i = 0; i < ARRAY_SIZE(defaults) && !err; i++)
		err = bproc_lib_add(defaults[i], strlen(defaults[i]));
	if (err)
		bproc_lib_clear();
	mutex_unlock(&bproc_libs_lock);
	return err;
}

/* After the file system is unregistered (no reader or writer left). */
void bproc_vmad_libs_exit(void)
{
	mutex_lock(&bproc_libs_lock);
	bproc_lib_clear();
	mutex_unlock(&bproc_libs_lock);
}
