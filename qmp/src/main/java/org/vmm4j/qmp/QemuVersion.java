package org.vmm4j.qmp;

import tools.jackson.databind.JsonNode;

/**
 * QEMU's version, from the greeting or {@code query-version}.
 *
 * @param packageName the distribution's package string, e.g. {@code Debian 1:7.2+dfsg-7+deb12u18}
 */
public record QemuVersion(int major, int minor, int micro, String packageName) {

  /** True when this version is at least {@code major.minor}. */
  public boolean atLeast(int major, int minor) {
    return this.major > major || (this.major == major && this.minor >= minor);
  }

  @Override
  public String toString() {
    return major
        + "."
        + minor
        + "."
        + micro
        + (packageName.isEmpty() ? "" : " (" + packageName + ")");
  }

  /** Parses QMP's {@code VersionInfo}: {@code {"qemu":{"major":..},"package":".."}}. */
  static QemuVersion fromJson(JsonNode node) {
    JsonNode q = node.get("qemu");
    if (q == null || !q.isObject()) {
      throw new IllegalArgumentException("VersionInfo without a 'qemu' object: " + node);
    }
    return new QemuVersion(
        q.path("major").asInt(),
        q.path("minor").asInt(),
        q.path("micro").asInt(),
        node.path("package").asString(""));
  }
}
