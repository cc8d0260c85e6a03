/**
 * A QMP client for QEMU: one reader thread, replies routed by id, deadlines, events and file
 * descriptor passing over a unix socket. {@code org.vmm4j.qmp.transport} (the socket and the line
 * splitter) is internal. The commands' arguments and results are Jackson trees, so Jackson's
 * databind comes with this module; it reads the reply records here reflectively.
 */
module org.vmm4j.qmp {
  requires transitive tools.jackson.databind;
  requires com.fasterxml.jackson.annotation;
  requires org.newsclub.net.unix;
  requires org.slf4j;

  exports org.vmm4j.qmp;

  opens org.vmm4j.qmp to
      tools.jackson.databind;
}
