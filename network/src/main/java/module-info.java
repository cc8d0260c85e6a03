/**
 * Network namespaces, links, addresses, routes and traffic control over rtnetlink, tap and macvtap
 * file descriptors, and the endpoints a sandbox connects (recorded as persisted endpoints).
 * Internal: {@code org.vmm4j.network.rtnl} (the rtnetlink message codecs) and {@code
 * org.vmm4j.network.nativ} (the libc calls through JNA, which maps its structures and library
 * interfaces reflectively, hence the {@code opens}).
 */
module org.vmm4j.network {
  requires transitive org.vmm4j.persist;
  requires com.sun.jna;
  requires org.slf4j;

  exports org.vmm4j.network;

  opens org.vmm4j.network.nativ to
      com.sun.jna;
}
