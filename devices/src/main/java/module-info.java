/**
 * The PCI topology of a sandbox (bridges, slots, PCI paths), block device indexes and drive names,
 * VFIO device discovery in sysfs, and the device manager; its records are the persisted ones.
 */
module org.vmm4j.devices {
  requires transitive org.vmm4j.persist;

  exports org.vmm4j.devices;
}
