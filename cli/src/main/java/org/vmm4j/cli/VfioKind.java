package org.vmm4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.devices.VfioDiscovery;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmm4j hotplug ID vfio (--bdf DDDD:BB:DD.F | --sysfsdev PATH)}. */
@Command(
    name = "vfio",
    description = {
      "A VFIO device: every member of its IOMMU group, one line each (all with the"
          + " DeviceState ID, which unplugs the whole group). Needs /dev/vfio."
    })
final class VfioKind extends HotplugKind {
  static final class Device {
    @Option(
        names = "--bdf",
        required = true,
        paramLabel = "DDDD:BB:DD.F",
        description = "The host PCI address.")
    String bdf;

    @Option(
        names = "--sysfsdev",
        required = true,
        paramLabel = "PATH",
        description = "The device's sysfs path (a mediated device).")
    Path sysfsDev;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Device device;

  private String name;

  @Override
  void check() {
    if (device.bdf != null) {
      name =
          VfioDiscovery.normalizeBdf(device.bdf)
              .orElseThrow(() -> bad("--bdf " + Errors.quoted(device.bdf) + ": not DDDD:BB:DD.F"));
    } else if (!device.sysfsDev.isAbsolute()) {
      throw bad(
          "--sysfsdev " + Errors.quoted(device.sysfsDev.toString()) + ": not an absolute path");
    } else {
      name = device.sysfsDev.toString();
    }
    if (!Files.isDirectory(VfioSpec.DEV_VFIO)) {
      throw CliException.failed(
          op()
              + " "
              + name
              + ": no "
              + VfioSpec.DEV_VFIO
              + ": this host has no VFIO (load vfio-pci, enable the IOMMU)",
          null);
    }
  }

  @Override
  List<org.vmm4j.core.api.Device> plug(Sandbox sandbox) {
    return List.of(sandbox.devices().plugVfio(VfioSpec.of(name)));
  }
}
