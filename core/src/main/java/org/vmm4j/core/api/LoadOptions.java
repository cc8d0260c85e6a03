package org.vmm4j.core.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host facts loading a configuration depends on, as Kata's katautils reads them.
 *
 * @param hostCpus the host's CPU count ({@code default_vcpus < 0} and the default {@code
 *     DefaultMaxVCPUs})
 * @param vhostVsockAvailable whether {@code /dev/vhost-vsock} exists: {@code use_vsock = true}
 *     falls back to the serial channel, with a warning, when it does not
 * @param fipsEnabled whether {@code /proc/sys/crypto/fips_enabled} is 1 ({@code fips=1} is then
 *     appended to the kernel parameters of a TOML config)
 */
public record LoadOptions(int hostCpus, boolean vhostVsockAvailable, boolean fipsEnabled) {

  /** The device whose presence makes vsock usable, as Kata checks it. */
  public static final Path VHOST_VSOCK = Path.of("/dev/vhost-vsock");

  private static final Path FIPS = Path.of("/proc/sys/crypto/fips_enabled");

  /** The facts of this host. */
  public static LoadOptions ofHost() {
    return new LoadOptions(
        Runtime.getRuntime().availableProcessors(), Files.exists(VHOST_VSOCK), fips());
  }

  private static boolean fips() {
    try {
      return Files.exists(FIPS) && Files.readString(FIPS).trim().equals("1");
    } catch (IOException e) {
      return false;
    }
  }
}
