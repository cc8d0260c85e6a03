package org.vmm4j.devices;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.VfioDev;
import org.vmm4j.persist.VhostUserDeviceAttrs;

/**
 * What a device's real attach produced (the hotplug's result), kept while the device is attached
 * and written into its {@code DeviceState}.
 */
public sealed interface Attachment {
  /** Nothing to record (a generic device). */
  record None() implements Attachment {}

  /** A block device: its {@code BlockDrive} (PCI path or SCSI address, index). */
  record Block(BlockDrive drive) implements Attachment {
    public Block {
      Objects.requireNonNull(drive, "drive");
    }
  }

  /** A VFIO device: every member of its IOMMU group as plugged ({@code VFIODevs}). */
  record Vfio(List<VfioDev> devices) implements Attachment {
    public Vfio {
      devices = List.copyOf(devices);
    }
  }

  /** A vhost-user device: {@code VhostUserDev}. */
  record VhostUser(VhostUserDeviceAttrs attrs) implements Attachment {
    public VhostUser {
      Objects.requireNonNull(attrs, "attrs");
    }
  }
}
