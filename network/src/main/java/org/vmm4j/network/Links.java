package org.vmm4j.network;

import java.util.List;
import java.util.Optional;

/** Network interfaces: create, delete, change, list, look up ({@code ip link}). */
public final class Links {
  private final RtnlSession session;

  Links(RtnlSession session) {
    this.session = session;
  }

  /**
   * Creates a veth pair, macvtap or bridge and returns it as the kernel reports it (for a veth, the
   * first end).
   *
   * @throws NetlinkException.Exists if the name is taken
   * @throws NetlinkException.Busy if a requested interface index is taken (older kernels; newer
   *     ones report EEXIST for that too)
   */
  public Link create(LinkSpec spec) {
    OwnedFd peerNs =
        spec instanceof LinkSpec.Veth v && v.peerNamespace() != null
            ? v.peerNamespace().fd()
            : null;
    session.call(LinkCodec.create(spec, peerNs), spec.describe());
    return get(spec.name());
  }

  /** The link called {@code name}, or empty. */
  public Optional<Link> find(String name) {
    try {
      return Optional.of(get(name));
    } catch (NetlinkException.NotFound e) {
      return Optional.empty();
    }
  }

  /**
   * The link called {@code name}.
   *
   * @throws NetlinkException.NotFound if there is none
   */
  public Link get(String name) {
    return single(session.call(LinkCodec.getByName(name), "link " + name), "link " + name);
  }

  /**
   * The link with interface index {@code index}.
   *
   * @throws NetlinkException.NotFound if there is none
   */
  public Link get(int index) {
    return single(session.call(LinkCodec.getByIndex(index), "link #" + index), "link #" + index);
  }

  private static Link single(List<Message> replies, String object) {
    return replies.stream()
        .filter(m -> m.type() == NlConst.RTM_NEWLINK)
        .findFirst()
        .map(LinkCodec::decode)
        .orElseThrow(() -> new NetlinkException("RTM_GETLINK", object, "no link in the reply", 0));
  }

  /** Every link in the namespace, in index order. */
  public List<Link> list() {
    return session.dump(LinkCodec.dump(), "links").stream()
        .filter(m -> m.type() == NlConst.RTM_NEWLINK)
        .map(LinkCodec::decode)
        .toList();
  }

  /** Deletes a link (a veth takes its peer with it). */
  public void delete(int index) {
    session.call(LinkCodec.delete(index), "link #" + index);
  }

  /** Deletes the link called {@code name}. */
  public void delete(String name) {
    delete(get(name).index());
  }

  public void setUp(int index) {
    session.call(LinkCodec.setUp(index, true), "link #" + index + " up");
  }

  public void setDown(int index) {
    session.call(LinkCodec.setUp(index, false), "link #" + index + " down");
  }

  public void setMtu(int index, int mtu) {
    session.call(LinkCodec.setMtu(index, mtu), "link #" + index + " mtu " + mtu);
  }

  public void setMac(int index, MacAddress mac) {
    session.call(LinkCodec.setMac(index, mac), "link #" + index + " address " + mac);
  }

  public void setTxQueueLength(int index, int length) {
    session.call(LinkCodec.setTxQueueLength(index, length), "link #" + index + " txqlen " + length);
  }

  /** Enslaves the link to a bridge ({@code ip link set X master BR}). */
  public void setMaster(int index, int masterIndex) {
    session.call(
        LinkCodec.setMaster(index, masterIndex), "link #" + index + " master #" + masterIndex);
  }

  /** {@code ip link set X nomaster}. */
  public void clearMaster(int index) {
    session.call(LinkCodec.setMaster(index, 0), "link #" + index + " nomaster");
  }

  /** Moves the link into {@code target} (it gets a new index there, the name stays). */
  public void setNamespace(int index, NetNs target) {
    session.call(
        LinkCodec.setNamespace(index, target.fd()), "link #" + index + " netns " + target.name());
  }
}
