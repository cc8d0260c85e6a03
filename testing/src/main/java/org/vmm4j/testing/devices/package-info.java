/**
 * A fake sysfs tree with the layout Linux gives PCI functions, IOMMU groups and mediated devices,
 * for VFIO discovery without VFIO hardware ({@link org.vmm4j.testing.devices.FakeSysfs}).
 */
package org.vmm4j.testing.devices;
