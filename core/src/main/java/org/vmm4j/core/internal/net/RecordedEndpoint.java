package org.vmm4j.core.internal.net;

import java.util.Objects;
import org.vmm4j.network.Endpoint;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.PciPath;

/**
 * An endpoint the sandbox's state records ({@code NetworkInfo.Endpoints[index]}), as a controller
 * restores it.
 *
 * @param index its position in {@code Endpoints}
 * @param persisted the record as stored (kept verbatim when other endpoints change: the schema is
 *     lossy for some kinds, so it is never rewritten from {@link #endpoint})
 * @param endpoint what the record describes, with its PCI path (from {@code PCIPath} or from the
 *     bridges' {@code DeviceAddr}) and, for a macvtap, its name (from the device at that path)
 * @param deviceId its QEMU device id ("" when unknown)
 * @param netdevId its QEMU netdev id ("" when unknown)
 * @param pciPath where the guest sees it (nil when unknown)
 * @param slotKey the id its slot is recorded under in {@code DeviceAddr} (its device id, or the
 *     bare UUID Kata uses); "" when it holds none
 */
public record RecordedEndpoint(
    int index,
    NetworkEndpoint persisted,
    Endpoint endpoint,
    String deviceId,
    String netdevId,
    PciPath pciPath,
    String slotKey) {
  public RecordedEndpoint {
    Objects.requireNonNull(persisted, "persisted");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(netdevId, "netdevId");
    Objects.requireNonNull(pciPath, "pciPath");
    Objects.requireNonNull(slotKey, "slotKey");
  }

  /** The endpoint's name (what {@code unplug} takes). */
  public String name() {
    return endpoint.name();
  }
}
