package org.vmm4j.core.internal.net;

import java.util.regex.Pattern;
import org.vmm4j.network.Endpoint;

/**
 * How QEMU knows an endpoint's NIC, derived from what the schema keeps so that any controller finds
 * it again: the device {@code virtio-<pair UUID>} (Kata's {@code "virtio-" + tap.ID}) or {@code
 * virtio-<name>} (macvtap), the netdev {@code br<idx>_kata} or the name; a vhost-user endpoint's
 * chardev is {@link #vhostUserDevId} of its name, its netdev {@code net-<that>}, its device {@code
 * virtio-<that>} ({@link org.vmm4j.core.internal.hotplug.VhostUserHotplug}'s naming).
 */
public final class NetIds {
  private static final Pattern DEV_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,23}");

  private NetIds() {}

  /** The QEMU device id of {@code e}'s NIC ("" for a physical endpoint: not a QEMU NIC). */
  public static String deviceId(Endpoint e) {
    if (e instanceof Endpoint.Paired p) {
      return "virtio-" + p.pair().id();
    } else if (e instanceof Endpoint.Tap t) {
      return "virtio-" + t.id();
    } else if (e instanceof Endpoint.Macvtap m) {
      return m.name().isEmpty() ? "" : "virtio-" + m.name();
    } else if (e instanceof Endpoint.VhostUser v) {
      return "virtio-" + vhostUserDevId(v.name());
    } else if (e instanceof Endpoint.Physical) {
      return "";
    }
    throw new AssertionError(e);
  }

  /** The QEMU netdev id of {@code e} ("" for a physical endpoint). */
  public static String netdevId(Endpoint e) {
    if (e instanceof Endpoint.Paired p) {
      return p.pair().name();
    } else if (e instanceof Endpoint.Tap t) {
      return t.name();
    } else if (e instanceof Endpoint.Macvtap m) {
      return m.name();
    } else if (e instanceof Endpoint.VhostUser v) {
      return "net-" + vhostUserDevId(v.name());
    } else if (e instanceof Endpoint.Physical) {
      return "";
    }
    throw new AssertionError(e);
  }

  /**
   * A vhost-user endpoint's device id (chardev id): its name when that is a valid one (a letter,
   * then up to 23 of {@code [A-Za-z0-9_.-]}), else {@code vu-} and the name with other characters
   * replaced by {@code _}, cut to 24.
   */
  public static String vhostUserDevId(String name) {
    if (DEV_ID.matcher(name).matches()) {
      return name;
    }
    String id = "vu-" + name.replaceAll("[^A-Za-z0-9_.-]", "_");
    return id.length() > 24 ? id.substring(0, 24) : id;
  }
}
