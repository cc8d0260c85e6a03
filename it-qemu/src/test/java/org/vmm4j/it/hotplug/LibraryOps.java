package org.vmm4j.it.hotplug;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.BlockFormat;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.core.api.Vmm4jException;

/**
 * {@link HotplugOps} on a {@link SandboxDevices}; vmm4j's failures (a refusal, QEMU's error, a
 * device QEMU keeps) are exit 1 as in the CLI.
 */
record LibraryOps(SandboxDevices devices) implements HotplugOps {
  @Override
  public List<Device> disk(Path file, String format, boolean readOnly, String driver) {
    DiskSpec d = DiskSpec.raw(file).withFormat(BlockFormat.of(format)).withReadOnly(readOnly);
    if (driver != null) {
      d =
          d.withDriver(
              driver.equals("virtio-blk") ? BlockDriver.VIRTIO_BLK : BlockDriver.VIRTIO_SCSI);
    }
    DiskSpec disk = d;
    return run(() -> List.of(devices.plugDisk(disk)));
  }

  @Override
  public List<Device> vhostUser(String kind, Path socket, String tag) {
    VhostUserSpec spec =
        switch (kind) {
          case "vhost-user-blk" -> new VhostUserSpec.Blk(socket);
          case "vhost-user-scsi" -> new VhostUserSpec.Scsi(socket);
          case "vhost-user-fs" -> new VhostUserSpec.Fs(socket, tag, 0);
          default -> throw new IllegalArgumentException(kind);
        };
    return run(() -> List.of(devices.plugVhostUser(spec)));
  }

  @Override
  public List<Device> cpus(int count) {
    return run(() -> devices.addVcpus(count));
  }

  @Override
  public List<Device> memory(long mib) {
    return run(() -> List.of(devices.addMemory(mib)));
  }

  @Override
  public void unplug(String id) {
    run(
        () -> {
          devices.unplug(id);
          return List.of();
        });
  }

  private static List<Device> run(Supplier<List<Device>> op) {
    try {
      return op.get();
    } catch (Vmm4jException e) {
      throw new OpFailed(1, e.getMessage());
    }
  }
}
