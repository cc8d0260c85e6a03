/**
 * QEMU device semantics that need no QMP: PCI topology (bridges, root ports, slots), PCI paths,
 * block indexes and drive names, SCSI addresses, and the device manager that produces DeviceState.
 */
package org.vmm4j.devices;
