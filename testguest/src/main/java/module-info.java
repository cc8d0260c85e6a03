/**
 * The test guest (a Debian kernel, a busybox initramfs and an agent), its host-side agent client,
 * and the usable-KVM probe. How the guest is built and cached is package-private.
 */
module org.vmm4j.testguest {
  requires org.slf4j;

  exports org.vmm4j.testguest;
}
