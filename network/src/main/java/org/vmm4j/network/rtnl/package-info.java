/**
 * rtnetlink in plain Java: message building ({@link org.vmm4j.network.rtnl.MessageWriter}) and
 * parsing ({@link org.vmm4j.network.rtnl.Message}, {@link org.vmm4j.network.rtnl.Attrs}), the
 * request/ack/dump protocol ({@link org.vmm4j.network.rtnl.RtnlSession}) and one codec per object
 * kind (links, addresses, routes, traffic control). No native calls: it talks to a {@link
 * org.vmm4j.network.NetlinkTransport}, so every byte can be checked against golden captures.
 */
package org.vmm4j.network.rtnl;
