package org.vmm4j.network;

import java.util.List;

/** Interface addresses, IPv4 and IPv6 ({@code ip addr}). */
public final class Addresses {
  private final RtnlSession session;

  Addresses(RtnlSession session) {
    this.session = session;
  }

  /** Every address in the namespace, in the kernel's order (per link, primary first). */
  public List<Address> list() {
    return session.dump(AddrCodec.dump(), "addresses").stream()
        .filter(m -> m.type() == NlConst.RTM_NEWADDR)
        .map(AddrCodec::decode)
        .toList();
  }

  /** The addresses on one link. */
  public List<Address> list(int linkIndex) {
    return list().stream().filter(a -> a.linkIndex() == linkIndex).toList();
  }

  /**
   * Adds {@code address} to its link ({@link Address#linkIndex()}).
   *
   * @throws NetlinkException.Exists if it is already there
   */
  public void add(Address address) {
    session.call(AddrCodec.add(address), address.local() + " dev #" + address.linkIndex());
  }

  /**
   * Removes {@code address} from its link.
   *
   * @throws NetlinkException.NotFound (EADDRNOTAVAIL) if it is not there
   */
  public void delete(Address address) {
    session.call(AddrCodec.delete(address), address.local() + " dev #" + address.linkIndex());
  }
}
