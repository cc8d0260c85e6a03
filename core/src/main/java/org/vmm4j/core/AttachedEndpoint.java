package org.vmm4j.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.core.net.Attachment;
import org.vmm4j.core.net.RecordedEndpoint;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.MacAddress;
import org.vmm4j.persist.PciPath;

/**
 * A network endpoint of a sandbox, as {@code vmm4j hotplug ... net} reports it: {@code NAME
 * PCI-PATH DETAILS}.
 *
 * @param name the endpoint's name (its interface's): what {@link SandboxNetwork#detach} takes
 * @param type Kata's endpoint type ({@code virtual}, {@code tuntap}, {@code macvtap}, {@code
 *     vhost-user}, ...)
 * @param pciPath where the guest sees the NIC (from {@code Bridges[].DeviceAddr} for the types
 *     without a {@code PCIPath} field); nil when unknown
 * @param mac the guest NIC's MAC ("" when the schema did not keep it)
 * @param deviceId the QEMU device id
 * @param model the interworking model of a paired endpoint ("" otherwise)
 * @param hostInterface the tap or macvtap QEMU reads ("" for vhost-user)
 * @param queues the queues (0 when not known: restored from the state)
 */
public record AttachedEndpoint(
    String name,
    String type,
    PciPath pciPath,
    String mac,
    String deviceId,
    String model,
    String hostInterface,
    int queues) {
  public AttachedEndpoint {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(pciPath, "pciPath");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(hostInterface, "hostInterface");
  }

  /**
   * What else there is to know, in a stable order: {@code mac} (the guest's; {@code -} when not
   * kept), {@code type}, then when known {@code model}, {@code tap}, {@code queues}.
   */
  public Map<String, String> detailsMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("mac", mac.isEmpty() ? "-" : mac);
    m.put("type", type);
    if (!model.isEmpty()) {
      m.put("model", model);
    }
    if (!hostInterface.isEmpty()) {
      m.put("tap", hostInterface);
    }
    if (queues > 0) {
      m.put("queues", Integer.toString(queues));
    }
    return m;
  }

  /** {@code mac=0a:58:0a:58:00:05 type=virtual model=tcfilter tap=tap0_kata queues=2}. */
  public String details() {
    StringBuilder b = new StringBuilder();
    detailsMap()
        .forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }

  static AttachedEndpoint of(Attachment a) {
    Endpoint e = a.endpoint();
    return new AttachedEndpoint(
        e.name(),
        e.type(),
        a.pciPath(),
        mac(e.guestMac()),
        a.deviceId(),
        model(e),
        a.hostInterface(),
        a.queues());
  }

  static AttachedEndpoint of(RecordedEndpoint r) {
    Endpoint e = r.endpoint();
    return new AttachedEndpoint(
        e.name(),
        e.type(),
        r.pciPath(),
        mac(e.guestMac()),
        r.deviceId(),
        model(e),
        hostInterface(e),
        0);
  }

  private static String mac(MacAddress m) {
    return m == null ? "" : m.toString();
  }

  private static String model(Endpoint e) {
    return e instanceof Endpoint.Paired p ? p.pair().model().resolve().toString() : "";
  }

  private static String hostInterface(Endpoint e) {
    if (e instanceof Endpoint.Paired p) {
      return p.pair().tap().name();
    } else if (e instanceof Endpoint.Tap t) {
      return t.tap().name();
    } else if (e instanceof Endpoint.Macvtap m) {
      return m.name();
    }
    return "";
  }
}
