/**
 * QEMU device semantics that need no QMP (see docs/architecture.md): the PCI hotplug topology
 * ({@link org.vmm4j.devices.PciTopology}: {@code pci-bridge}s and q35 root ports, slot reservation,
 * commit and release, {@code HypervisorState.Bridges}), block indexes ({@link
 * org.vmm4j.devices.BlockIndexes}), drive names ({@link org.vmm4j.devices.DriveNames}), SCSI
 * addresses ({@link org.vmm4j.devices.ScsiAddress}), the device manager with reference and attach
 * counts producing {@code DeviceState} ({@link org.vmm4j.devices.DeviceManager}), and VFIO
 * discovery in sysfs ({@link org.vmm4j.devices.VfioDiscovery}). The QMP flows that use these live
 * in {@code org.vmm4j.core.internal.hotplug}.
 */
package org.vmm4j.devices;
