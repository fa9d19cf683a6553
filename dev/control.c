// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/bproc/control: the device libbproc's ioctls go through.
 *
 * Any user may open it (mode 0666), so it grants nothing by itself: every
 * ioctl checks the caller's rights on its own.  Unknown commands get -ENOTTY
 * (Documentation/driver-api/ioctl.rst).  All argument structs are built of
 * fixed-width fields with pointers as __u64, so 32-bit callers use the same
 * layout and compat_ptr_ioctl() only has to convert the argument pointer.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "nodes.h"
#include "control.h"
#include "execmove.h"
#include "move.h"
#include "req.h"

/* BPROC_IOC_VERSION: any user. */
static long bproc_ioc_version(struct bproc_version __user *uver)
{
	struct bproc_version ver;

	BUILD_BUG_ON(sizeof(BPROC_VERSION_STRING) > sizeof(ver.release));

	memset(&ver, 0, sizeof(ver));
	ver.proto_major = BPROC_PROTO_MAJOR;
	ver.proto_minor = BPROC_PROTO_MINOR;
	ver.abi = sizeof(ver);
	strscpy(ver.release, BPROC_VERSION_STRING, sizeof(ver.release));

	if (copy_to_user(uver, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

/* BPROC_IOC_NODE_ACCESS: any user, about themselves. */
static long bproc_ioc_node_access(struct bproc_node_access __user *ureq)
{
	struct bproc_node_access req;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.mode != BPROC_X_OK || req.reserved)
		return -EINVAL;
	return bproc_node_access(req.node);
}

static long bproc_control_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case BPROC_IOC_VERSION:
		return bproc_ioc_version(argp);
	case BPROC_IOC_CURRNODE:
		return put_user(bproc_node_here(), (__s32 __user *)argp);
	case BPROC_IOC_NODE_ACCESS:
		return bproc_ioc_node_access(argp);
	case BPROC_IOC_VMADUMP:
		return bproc_vmad_dump_ioctl(argp);
	case BPROC_IOC_VMAUNDUMP:
		return bproc_vmad_undump_ioctl(argp);
	case BPROC_IOC_MOVE:
		return bproc_move_ioctl(file, argp);
	case BPROC_IOC_EXECMOVE:
		return bproc_execmove_ioctl(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations bproc_control_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= bproc_control_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice bproc_control_dev = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= "bproc_control",
	.nodename	= "bproc/control",
	.mode		= 0666,
	.fops		= &bproc_control_fops,
};

int __init bproc_control_init(void)
{
	int err;

	err = misc_register(&bproc_control_dev);
	if (err)
		pr_err("cannot register /dev/%s: %d\n",
		       bproc_control_dev.nodename, err);
	return err;
}

void bproc_control_exit(void)
{
	misc_deregister(&bproc_control_dev);
}
