// SPDX-License-Identifier: GPL-2.0
/*
 * bproc.ko - the Beowulf Distributed Process Space.
 *
 * This file only wires the subsystems together: module init calls each
 * bproc_<x>_init() in order and unwinds in reverse if one fails; module exit
 * undoes them in reverse.  The devices come last, so user space cannot reach
 * a half-initialised module, and go first at exit.  Object accounting comes
 * first and goes last, so its leak check at exit sees every other
 * subsystem's objects freed.
 */
#define pr_fmt(fmt) "bproc: " fmt

#include <linux/bproc.h>
#include <linux/build_bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "bprocfs.h"
#include "control.h"
#include "crc.h"
#include "daemon.h"
#include "execmove.h"
#include "exit_notes.h"
#include "ghost_loop.h"
#include "ghost_table.h"
#include "nodes.h"
#include "stats.h"
#include "sysfs.h"

/* The ABI is pinned byte for byte: a size change is a protocol change. */
static void __init bproc_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct bproc_msg_hdr) != BPROC_MSG_HDR_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_hello) != BPROC_MSG_HELLO_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_version) != BPROC_VERSION_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_nodes) != BPROC_MSG_NODES_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_node_entry) != BPROC_NODE_ENTRY_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_node_set) !=
		     BPROC_MSG_NODE_SET_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_node_req) !=
		     BPROC_MSG_NODE_REQ_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_node_access) != BPROC_NODE_ACCESS_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_move) != BPROC_MSG_MOVE_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_image) != BPROC_MSG_IMAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_signal) != BPROC_MSG_SIGNAL_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_exit) != BPROC_MSG_EXIT_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_msg_io) != BPROC_MSG_IO_SIZE);
	BUILD_BUG_ON(sizeof(struct bproc_move_req) != BPROC_MOVE_REQ_SIZE);
}

static int __init bproc_init(void)
{
	int err;

	bproc_check_abi();
	bproc_crc_init();

	err = bproc_stats_init();
	if (err)
		return err;
	err = bproc_sysfs_init();
	if (err)
		goto out_stats_exit;
	err = bproc_nodes_init();
	if (err)
		goto out_sysfs_exit;
	err = bproc_fs_init();
	if (err)
		goto out_nodes_exit;
	err = bproc_daemon_init();
	if (err)
		goto out_fs_exit;
	err = bproc_ghosts_init();
	if (err)
		goto out_daemon_exit;
	err = bproc_ghost_reaper_init();
	if (err)
		goto out_ghosts_exit;
	err = bproc_exit_notes_init();
	if (err)
		goto out_reaper_exit;
	err = bproc_execmove_init();
	if (err)
		goto out_exit_notes_exit;
	err = bproc_control_init();
	if (err)
		goto out_execmove_exit;

	pr_info("version %s, protocol %u.%u\n", BPROC_VERSION_STRING,
		BPROC_PROTO_MAJOR, BPROC_PROTO_MINOR);
	return 0;

out_execmove_exit:
	bproc_execmove_exit();
out_exit_notes_exit:
	bproc_exit_notes_exit();
out_reaper_exit:
	bproc_ghost_reaper_exit();
out_ghosts_exit:
	bproc_ghosts_exit();
out_daemon_exit:
	bproc_daemon_exit();
out_fs_exit:
	bproc_fs_exit();
out_nodes_exit:
	bproc_nodes_exit();
out_sysfs_exit:
	bproc_sysfs_exit();
out_stats_exit:
	bproc_stats_exit();
	return err;
}

static void __exit bproc_exit(void)
{
	bproc_control_exit();
	bproc_execmove_exit();
	bproc_exit_notes_exit();
	bproc_ghost_reaper_exit();
	bproc_ghosts_exit();
	bproc_daemon_exit();
	bproc_fs_exit();
	bproc_nodes_exit();
	bproc_sysfs_exit();
	bproc_stats_exit();
}

module_init(bproc_init);
module_exit(bproc_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bproc: Beowulf Distributed Process Space");
MODULE_VERSION(BPROC_VERSION_STRING);
