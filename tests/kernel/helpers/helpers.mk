# SPDX-License-Identifier: GPL-2.0
#
# Static helpers the qemu tests run inside the VMs (tests/tests.mk).

# bphello: the module skeleton from user space (devices, HELLO, stats, control).
KTEST_HELPERS += bphello

# bpnodes: the node table's messages, files and access rule (master, no bpmaster).
KTEST_HELPERS += bpnodes
