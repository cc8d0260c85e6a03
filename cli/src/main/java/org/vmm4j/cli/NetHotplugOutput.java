package org.vmm4j.cli;

import org.vmm4j.core.AttachedEndpoint;
import org.vmm4j.core.HotpluggedDevice;
import org.vmm4j.core.Sandbox;

/**
 * The network side of {@code vmm4j hotplug} and {@code vmm4j unplug}: an endpoint as a line {@code
 * NAME PCI-PATH DETAILS} (DETAILS with the guest MAC first), and unplug by endpoint name.
 */
final class NetHotplugOutput {
  private NetHotplugOutput() {}

  /**
   * The endpoint as {@code vmm4j hotplug} prints every device: {@code eth0 02/01
   * mac=0a:58:0a:58:00:05 type=virtual model=tcfilter tap=tap0_kata queues=2}.
   */
  static HotpluggedDevice device(String kind, AttachedEndpoint e) {
    return new HotpluggedDevice(e.name(), e.pciPath(), kind, e.detailsMap());
  }

  /**
   * {@code vmm4j unplug ID DEVICE-ID} for network endpoints: detaches {@code deviceId} when it is
   * the name of one of the sandbox's endpoints.
   *
   * @return false when no endpoint has that name (the devices' turn)
   */
  static boolean unplug(Sandbox s, String deviceId) {
    if (s.network().find(deviceId).isEmpty()) {
      return false;
    }
    s.network().detach(deviceId);
    return true;
  }
}
