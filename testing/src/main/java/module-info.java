/**
 * Fakes and fixtures shared by vmm4j's tests and benchmarks, and usable by programs that embed
 * vmm4j: a scriptable QMP server and a real stopped QEMU ({@code qmp}), files a QEMU config names
 * and a halting kernel ({@code qemu}), a fake host root ({@code host}), a fake sysfs ({@code
 * devices}), files a reader should refuse and store roots to plant links in ({@code files}), a pod
 * network namespace as a CNI plugin leaves it, set up and read with {@code ip} and {@code tc}
 * ({@code network}), and the package cycles {@code jdeps} finds in a module's classes ({@code
 * modules}). Sample persisted states are in module {@code org.vmm4j.testing.persist}.
 */
module org.vmm4j.testing {
  requires transitive tools.jackson.databind;
  requires org.newsclub.net.unix;

  exports org.vmm4j.testing.devices;
  exports org.vmm4j.testing.files;
  exports org.vmm4j.testing.host;
  exports org.vmm4j.testing.modules;
  exports org.vmm4j.testing.network;
  exports org.vmm4j.testing.qemu;
  exports org.vmm4j.testing.qmp;
}
