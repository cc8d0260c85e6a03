package org.vmm4j.it.launch;

/** {@link BootITBase} on q35 (with two PCIe root ports). */
class Q35BootIT extends BootITBase {
  @Override
  String machine() {
    return "q35";
  }

  @Override
  long rootPorts() {
    return 2;
  }
}
