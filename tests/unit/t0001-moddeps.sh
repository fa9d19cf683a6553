#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/moddeps resolves modules.dep: dependencies first, each module
# once, built-in modules skipped, unknown modules an error.
. "$(dirname "$0")/lib.sh"

cat > "$d/modules.dep" <<'DEP'
kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/net/net_failover.ko: kernel/net/core/failover.ko
kernel/net/core/failover.ko:
kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/fs/fuse/fuse-extra.ko:
DEP
printf 'kernel/drivers/block/loop.ko\n' > "$d/modules.builtin"

test_expect_success 'dependencies first, each once, in load order' '
	out=$("$top/scripts/moddeps" "$d" virtio_net virtio_pci | tr "\n" " ") &&
	is "$out" "kernel/net/core/failover.ko kernel/drivers/net/net_failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko kernel/drivers/net/virtio_net.ko kernel/drivers/virtio/virtio_pci.ko "
'

test_expect_success 'built-in modules are skipped' '
	is "$("$top/scripts/moddeps" "$d" loop virtio_ring)" kernel/drivers/virtio/virtio_ring.ko
'

test_expect_success 'dashes and underscores are the same name' '
	is "$("$top/scripts/moddeps" "$d" fuse_extra)" kernel/fs/fuse/fuse-extra.ko
'

test_expect_success 'an unknown module is an error' '
	! "$top/scripts/moddeps" "$d" no_such_module
'

test_expect_success 'a missing modules.dep is an error' '
	! "$top/scripts/moddeps" "$d/missing" virtio
'

test_done
