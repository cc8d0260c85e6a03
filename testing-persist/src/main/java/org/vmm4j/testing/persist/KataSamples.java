package org.vmm4j.testing.persist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A sandbox's and a container's {@code persist.json} exactly as Kata Containers 1.13's own Go types
 * wrote them (the same files as persist's golden {@code go/sandbox-sample.json} and {@code
 * go/container-sample.json}), for tests that read or print what Kata wrote.
 */
public final class KataSamples {
  private KataSamples() {}

  /** The sandbox file's bytes. */
  public static byte[] sandboxJson() {
    return read("kata-sandbox.json");
  }

  /** The container file's bytes. */
  public static byte[] containerJson() {
    return read("kata-container.json");
  }

  private static byte[] read(String name) {
    try (InputStream in = KataSamples.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("vmm4j-testing lacks its resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
