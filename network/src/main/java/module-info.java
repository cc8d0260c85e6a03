/**
 * Network namespaces, links, addresses, routes and traffic control over rtnetlink, tap and macvtap
 * file descriptors, and the endpoints a sandbox connects (recorded as persisted endpoints). The
 * rtnetlink codecs and the libc calls through JNA are package-private classes of the one package;
 * JNA binds the native methods of its {@code LibC} class reflectively, hence the {@code opens}.
 */
module org.vmm4j.network {
  requires transitive org.vmm4j.persist;
  requires com.sun.jna;
  requires org.slf4j;

  exports org.vmm4j.network;

  opens org.vmm4j.network to
      com.sun.jna;
}
