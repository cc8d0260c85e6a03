package org.vmm4j.it.launch;

/** {@link BootITBase} on pc. */
class PcBootIT extends BootITBase {
  @Override
  String machine() {
    return "pc";
  }
}
