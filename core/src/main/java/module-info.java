/**
 * The sandbox: one QEMU per sandbox, launched from a {@code HypervisorConfig}, driven over QMP,
 * hot-plugging devices in transactions and recording everything in Kata Containers 1.13's persisted
 * schema. The API is three packages: {@code org.vmm4j.core} (the entry points: {@code Sandbox} and
 * its views, {@code ConfigLoader}, {@code SandboxEvents}), {@code org.vmm4j.core.api} (what they
 * take and give: configs, specs, devices, events, exceptions) and {@code org.vmm4j.core.host} (what
 * the host offers). {@code org.vmm4j.core.internal.*} is not exported. The persisted records, the
 * QMP client, the device topology and network types the API names come with it ({@code requires
 * transitive}).
 */
module org.vmm4j.core {
  requires transitive org.vmm4j.persist;
  requires transitive org.vmm4j.qmp;
  requires transitive org.vmm4j.devices;
  requires transitive org.vmm4j.network;
  requires tools.jackson.core;
  requires tools.jackson.databind;
  requires tools.jackson.dataformat.toml;
  requires org.slf4j;
  requires com.sun.jna;
  requires org.newsclub.net.unix;

  exports org.vmm4j.core;
  exports org.vmm4j.core.api;
  exports org.vmm4j.core.host;

  // JNA binds the libc interfaces of internal.vm (pidfd_open, vhost-vsock ioctls) reflectively.
  opens org.vmm4j.core.internal.vm to
      com.sun.jna;
}
