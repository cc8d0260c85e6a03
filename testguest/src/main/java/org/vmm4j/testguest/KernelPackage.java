package org.vmm4j.testguest;

/** A Debian kernel image package at one version, e.g. linux-image-6.1.0-57-amd64 6.1.192-3. */
record KernelPackage(String name, String version) {
  public KernelPackage {
    if (!name.matches("[a-z0-9][a-z0-9.+-]+")) {
      throw new IllegalArgumentException("kernel package name '" + name + "'");
    }
    if (!version.matches("[A-Za-z0-9.+~:-]+")) {
      throw new IllegalArgumentException("kernel package version '" + version + "'");
    }
  }

  @Override
  public String toString() {
    return name + " " + version;
  }
}
