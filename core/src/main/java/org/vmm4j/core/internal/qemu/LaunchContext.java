package org.vmm4j.core.internal.qemu;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.SandboxPaths;

/**
 * The per-launch inputs of {@link QemuCommandLine#build}: who the sandbox is, where its files go,
 * what the host offers, and where the random device ids come from.
 *
 * @param sandboxId the sandbox id ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}})
 * @param uuid QEMU's {@code -uuid} (persisted as {@code HypervisorState.UUID})
 * @param paths the VM and shared directories
 * @param host the host's capabilities
 * @param ids source of Kata's 16-hex-digit device ids ({@code iothread-<hex16>}, {@code
 *     image-<hex16>}, {@code char-<hex16>}); {@link #randomIds()} in production, a fixed sequence
 *     in golden tests
 */
public record LaunchContext(
    String sandboxId, UUID uuid, SandboxPaths paths, HostCapabilities host, Supplier<String> ids) {

  /** A sandbox id, as the store checks it before it touches a path. */
  public static final Pattern SANDBOX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final SecureRandom RANDOM = new SecureRandom();

  public LaunchContext {
    Objects.requireNonNull(sandboxId, "sandboxId");
    if (!SANDBOX_ID.matcher(sandboxId).matches()) {
      throw new ConfigException(
          "sandboxId",
          sandboxId,
          "sandbox id \"" + sandboxId + "\" does not match " + SANDBOX_ID.pattern());
    }
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ids, "ids");
  }

  /** A context with a random UUID and random device ids. */
  public static LaunchContext of(String sandboxId, SandboxPaths paths, HostCapabilities host) {
    return new LaunchContext(sandboxId, UUID.randomUUID(), paths, host, randomIds());
  }

  /** Kata's ids: 8 random bytes, hex-encoded (crypto/rand there, SecureRandom here). */
  public static Supplier<String> randomIds() {
    return () -> {
      byte[] b = new byte[8];
      RANDOM.nextBytes(b);
      return HexFormat.of().formatHex(b);
    };
  }
}
