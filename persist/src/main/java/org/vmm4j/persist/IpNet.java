package org.vmm4j.persist;

import java.util.Objects;
import org.vmm4j.persist.codec.GoField;

/**
 * Go {@code net.IPNet}: an address and its mask ({@code mask} null for Go's nil mask).
 *
 * <p>Go type: {@code net.IPNet}.
 */
public record IpNet(@GoField("IP") NetIp ip, @GoField("Mask") IpMask mask) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public IpNet {
    Objects.requireNonNull(ip, "IP");
  }
}
