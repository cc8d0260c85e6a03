package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.VhostUserSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmm4j hotplug ID vhost-user-fs --socket PATH --tag TAG [--cache-size SIZE]}. */
@Command(
    name = "vhost-user-fs",
    description = {
      "A file system served by virtiofsd; the guest mounts it by TAG; guest memory must be"
          + " shared. DEVICE-ID is the DeviceState ID."
    })
final class VhostUserFsKind extends VhostUserKind {
  @Option(names = "--tag", required = true, paramLabel = "TAG", description = "The mount tag.")
  String tag;

  @Option(
      names = "--cache-size",
      paramLabel = "SIZE",
      description = "The DAX window (256M, 1G); QEMU 7.2 has none.")
  String cacheSize;

  private long cacheMiB;

  @Override
  void check() {
    if (tag.isEmpty() || tag.length() > 36) {
      throw bad("--tag \"" + tag + "\": 1 to 36 characters");
    }
    if (cacheSize != null) {
      cacheMiB =
          Sizes.mib(cacheSize)
              .orElseThrow(
                  () ->
                      bad(
                          "--cache-size "
                              + Errors.quoted(cacheSize)
                              + ": a whole number of MiB (256M, 1G)"));
    }
    super.check();
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return List.of(sandbox.devices().plugVhostUser(new VhostUserSpec.Fs(socket, tag, cacheMiB)));
  }
}
