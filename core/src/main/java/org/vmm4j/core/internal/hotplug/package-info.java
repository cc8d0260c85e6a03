/**
 * Hotplug flows over QMP, each a transaction with deadlines (see docs/architecture.md): disks
 * ({@link org.vmm4j.core.internal.hotplug.BlockHotplug}), VFIO groups ({@link
 * org.vmm4j.core.internal.hotplug.VfioHotplug}), vhost-user devices ({@link
 * org.vmm4j.core.internal.hotplug.VhostUserHotplug}), network devices on a tap ({@link
 * org.vmm4j.core.internal.hotplug.NetHotplug}), vCPUs ({@link
 * org.vmm4j.core.internal.hotplug.CpuHotplug}) and memory ({@link
 * org.vmm4j.core.internal.hotplug.MemoryHotplug}), gathered per sandbox by {@link
 * org.vmm4j.core.internal.hotplug.SandboxHotplug}.
 *
 * <p>Each plug is a transaction: every completed step registers its undo (blockdev-del,
 * chardev-remove, netdev_del, object-del, device_del, slot and index release) and a failure undoes
 * the completed steps last first; an undo that fails stops the rollback and the error lists what is
 * left. Each unplug waits for {@code DEVICE_DELETED} up to a deadline, then asks {@code qom-list
 * /machine/peripheral}; a slot is freed only once its device is gone. Flows take an explicit {@link
 * org.vmm4j.core.internal.hotplug.HotplugContext} and return records ({@code Plugged*}) that
 * convert to and from the persisted {@code BlockDrive}, {@code VFIODevs} and {@code VhostUserDev};
 * nothing here saves state or holds globals.
 */
package org.vmm4j.core.internal.hotplug;
