package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * persistapi.NetworkInterface: a network interface's name, MAC and addresses.
 *
 * <p>Go type: {@code persistapi.NetworkInterface}.
 */
public record NetworkInterface(
    @GoField("Name") String name,
    @GoField("HardAddr") String hardAddr,
    @GoField("Addrs") List<NetlinkAddr> addrs) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public NetworkInterface {
    Objects.requireNonNull(name, "Name");
    Objects.requireNonNull(hardAddr, "HardAddr");
    addrs = Copies.list(addrs);
  }
}
