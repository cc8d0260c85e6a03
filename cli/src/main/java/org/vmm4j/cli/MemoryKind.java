package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmm4j hotplug ID memory --size SIZE}. */
@Command(
    name = "memory",
    description = {
      "Memory: a DIMM within maxmem and the memory slots (with VirtioMem, the virtio-mem device"
          + " grows). DEVICE-ID is the memory device's QEMU id. The guest onlines it movable,"
          + " so that it can be unplugged."
    })
final class MemoryKind extends HotplugKind {
  @Option(
      names = "--size",
      required = true,
      paramLabel = "SIZE",
      description = "256M, 1G (a bare number is MiB).")
  String size;

  private long mib;

  @Override
  void check() {
    mib =
        Sizes.mib(size).stream()
            .filter(m -> m > 0)
            .boxed()
            .findFirst()
            .orElseThrow(
                () ->
                    bad(
                        "--size "
                            + Errors.quoted(size)
                            + ": a positive whole number of MiB, below 8 EiB"));
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return List.of(sandbox.devices().addMemory(mib));
  }
}
