package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.VhostUserSpec;
import picocli.CommandLine.Command;

/** {@code vmm4j hotplug ID vhost-user-blk --socket PATH}. */
@Command(
    name = "vhost-user-blk",
    description = {
      "A disk served by a vhost-user daemon (e.g. qemu-storage-daemon); guest memory must be"
          + " shared. DEVICE-ID is the DeviceState ID."
    })
final class VhostUserBlkKind extends VhostUserKind {
  @Override
  List<Device> plug(Sandbox sandbox) {
    return List.of(sandbox.devices().plugVhostUser(new VhostUserSpec.Blk(socket)));
  }
}
