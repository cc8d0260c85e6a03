package org.vmm4j.core.internal.hotplug;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.MacAddress;

/**
 * What a network endpoint's {@link org.vmm4j.core.api.Device} tells, in a stable order: {@code mac}
 * (the guest's; {@code -} when the schema did not keep it), {@code type} (Kata's endpoint type),
 * then when known {@code model} (a paired endpoint's interworking model), {@code tap} (the tap or
 * macvtap QEMU reads) and {@code queues}.
 */
final class EndpointDetails {
  private EndpointDetails() {}

  /**
   * @param queues the queues (0: not known, e.g. restored from the state)
   * @param tap the host interface QEMU reads ("": the endpoint's own, when it names one)
   */
  static Map<String, String> of(Endpoint e, int queues, String tap) {
    Map<String, String> m = new LinkedHashMap<>();
    MacAddress mac = e.guestMac();
    m.put("mac", mac == null ? "-" : mac.toString());
    m.put("type", e.type());
    if (e instanceof Endpoint.Paired p) {
      m.put("model", p.pair().model().resolve().toString());
    }
    String host = tap.isEmpty() ? hostInterface(e) : tap;
    if (!host.isEmpty()) {
      m.put("tap", host);
    }
    if (queues > 0) {
      m.put("queues", Integer.toString(queues));
    }
    return m;
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
