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

out=$("$top/scripts/moddeps" "$d" virtio_net virtio_pci | tr '\n' ' ')
want="kernel/net/core/failover.ko kernel/drivers/net/net_failover.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko kernel/drivers/net/virtio_net.ko kernel/drivers/virtio/virtio_pci.ko "
[ "$out" = "$want" ]; t $? "dependencies first, each once, in load order"
[ "$out" = "$want" ] || echo "#   got: $out"

out=$("$top/scripts/moddeps" "$d" loop virtio_ring)
[ "$out" = kernel/drivers/virtio/virtio_ring.ko ]; t $? "built-in modules are skipped"

out=$("$top/scripts/moddeps" "$d" fuse_extra)
[ "$out" = kernel/fs/fuse/fuse-extra.ko ]; t $? "dashes and underscores are the same name"

"$top/scripts/moddeps" "$d" no_such_module >/dev/null 2>&1
[ $? != 0 ]; t $? "an unknown module is an error"

"$top/scripts/moddeps" "$d/missing" virtio >/dev/null 2>&1
[ $? != 0 ]; t $? "a missing modules.dep is an error"

done_testing
