package org.vmm4j.network;

import java.nio.file.Path;

/**
 * How {@link NetworkScanner#scan} classifies what it finds.
 *
 * @param model the interworking model of veth-like endpoints
 * @param sysfsRoot the sysfs to read PCI details from; null = the namespace's own view ({@link
 *     NetNs.Context#sysfs()}); tests pass a fake tree
 * @param vhostUserDir where vhost-user sockets are looked for: {@code DIR/vhostuser_<ip>/vhu.sock}
 */
public record ScanOptions(InterworkingModel model, Path sysfsRoot, Path vhostUserDir) {
  /** Kata's defaults: {@code model}, the namespace's sysfs, sockets under {@code /tmp}. */
  public static ScanOptions of(InterworkingModel model) {
    return new ScanOptions(model, null, Path.of("/tmp"));
  }
}
