/**
 * The test guest (a Debian kernel, a busybox initramfs and an agent), its host-side agent client,
 * and the usable-KVM probe. {@code org.vmm4j.testguest.build} (how the guest is built and cached)
 * is internal.
 */
module org.vmm4j.testguest {
  requires org.slf4j;

  exports org.vmm4j.testguest;
}
