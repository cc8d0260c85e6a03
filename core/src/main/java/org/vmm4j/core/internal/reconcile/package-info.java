/**
 * Reconciling a restored sandbox with its QEMU ({@link org.vmm4j.core.Sandbox#reconcile}).
 *
 * <p><b>What is compared.</b> QEMU's side ({@link
 * org.vmm4j.core.internal.reconcile.QemuInventory}): the devices under {@code /machine/peripheral}
 * with QOM's {@code hotplugged} flag, parent bus and PCI {@code addr} (or SCSI address), the named
 * block nodes and their users ({@code query-named-block-nodes}, {@code query-block}) and the
 * hot-plugged DIMMs. The state's side ({@link org.vmm4j.core.internal.reconcile.Recorded}): the
 * QEMU ids of the {@code DeviceState}s, of the network endpoints' NICs and of {@code
 * HotpluggedVCPUs}, the drives' nodes, {@code HotpluggedMemory}. A device QEMU reports as not
 * hot-plugged was made by the command line (bridges, root ports, console, rng, scsi0, ... whatever
 * the command line was, Kata's included), so it is never a leftover; neither is the vhost-vsock
 * device a launch adds before {@code cont}. Devices created by the command line are thus known from
 * QEMU itself, which stays true for a command line vmm4j did not build (Kata's).
 *
 * <p><b>Where the fence lives: in the persisted state.</b> A leftover really occupies its slot and
 * its SCSI address, so reconcile records that: the leftover's QEMU id in its bridge's {@code
 * Bridges[].DeviceAddr} at its slot, a SCSI disk's index ({@code scsi-id * 256 + lun}) in {@code
 * BlockIndexMap}, and saves. Every later hotplug session, in any process, restores its topology and
 * indexes from those fields and so never hands the slot or index out again, without asking QEMU on
 * every hotplug (which re-deriving the fence each session would cost, and which a session of a
 * controller that never reconciled would skip). Kata reads the same fields the same way. The fenced
 * device is in no {@code Devices} entry, so an unplug by id is refused with "QEMU has a device ...
 * that vmm4j did not hot-plug"; {@link org.vmm4j.core.api.ReconcileOptions#removeLeftovers} removes
 * it and frees its fence. Reconciling again finds the same leftover fenced already (idempotent). A
 * virtio-blk leftover's block index is not fenced: QEMU keeps no trace of it (the index only names
 * the drive {@code /dev/vd<x>} in the state, and the guest names disks in probe order), so there is
 * nothing to clash with. Device ids, node names, chardev and netdev ids of new devices are 64
 * random bits (DeviceManager), vCPU and DIMM ids skip every id QEMU lists: none of them needs a
 * fence.
 *
 * <p><b>PCI paths.</b> Kata 1.13 writes every {@code PciPath} as {@code {}} (no JSON marshaller): a
 * recorded virtio-blk disk with a nil path gets the one QEMU gives it (bridge slot / device slot),
 * saved in its {@code BlockDrive.PCIPath}; its {@code DeviceAddr} entry is keyed by its QEMU id
 * ({@code virtio-drive-..}, vmm4j's key) instead of Kata's drive id, so that vmm4j's unplug frees
 * the slot.
 *
 * <p>Nothing recorded is ever dropped: a record QEMU lacks is reported as missing, for the caller
 * to decide.
 */
package org.vmm4j.core.internal.reconcile;
