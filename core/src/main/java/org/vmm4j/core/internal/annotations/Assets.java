package org.vmm4j.core.internal.annotations;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.internal.config.ConfigDefaults;
import org.vmm4j.core.internal.config.KataKeys;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * The hypervisor annotations of Kata's custom assets: {@code image} and {@code initrd}, which
 * replace each other (the other host paths are plain path annotations of {@link
 * HypervisorAnnotations}, each checked against its allowlist by {@link Allowlists#checkPath}), and
 * the {@code <asset>_hash} annotations: the SHA-512 of the asset's file (the annotated path, else
 * the configured one) must be the given hex digest.
 */
final class Assets {
  static final String SHA512 = "sha512";

  private static final Pattern SHA512_HEX = Pattern.compile("[0-9a-fA-F]{128}");

  /** The file each asset kind's hash verifies, in the annotated config. */
  private static final Map<String, Function<HypervisorConfig, String>> HASHED =
      Map.of(
          "kernel", h -> h.kata().kernelPath(),
          "image", h -> h.kata().imagePath(),
          "initrd", h -> h.kata().initrdPath(),
          "firmware", h -> h.kata().firmwarePath(),
          "hypervisor",
              h ->
                  h.kata().hypervisorPath().isEmpty()
                      ? ConfigDefaults.QEMU_PATH
                      : h.kata().hypervisorPath(),
          "hypervisorctl", h -> h.kata().hypervisorCtlPath(),
          "jailer", h -> h.kata().jailerPath());

  /** The {@code <asset>_hash} annotations. */
  static final List<Spec> HASHES =
      List.of(
          hash("kernel"),
          hash("image"),
          hash("initrd"),
          hash("firmware"),
          hash("hypervisor"),
          hash("hypervisorctl"),
          hash("jailer"));

  private Assets() {}

  /**
   * {@code image} and {@code initrd}: a host path behind its allowlist, and the guest's root file
   * system is one or the other (setting one clears the other).
   */
  static Spec rootfs(String name) {
    KataKeys.Key key = KataKeys.byAnnotation(name);
    KataKeys.Key other = KataKeys.byAnnotation(name.equals("image") ? "initrd" : "image");
    Allowlists.PathList list = Allowlists.PathList.of(key.allowlist());
    return new Spec(
        name,
        (c, v) -> {
          c.set(key.field(), Allowlists.checkPath(list, c.gates(), v));
          c.set(other.field(), "");
          c.rootfsKeys.put(c.current(), v);
        });
  }

  private static Spec hash(String kind) {
    return new Spec(
        kind + "_hash",
        (c, v) -> {
          if (!SHA512_HEX.matcher(v).matches()) {
            throw new Refusal("not a SHA-512 digest (128 hexadecimal digits)");
          }
          c.hashes.put(kind, new Changes.Hash(c.current(), v));
        });
  }

  /**
   * The checks that need every annotation applied: {@code image} and {@code initrd} are not both
   * given, and each hash matches its asset's file in {@code annotated}.
   */
  static List<Annotations.Refused> crossCheck(Changes c, HypervisorConfig annotated) {
    List<Annotations.Refused> out = new ArrayList<>();
    if (c.rootfsKeys.size() > 1) {
      c.rootfsKeys.forEach(
          (k, v) ->
              out.add(
                  new Annotations.Refused(
                      k, v, "image and initrd exclude each other: give one of them")));
    }
    for (Map.Entry<String, Changes.Hash> e : c.hashes.entrySet()) {
      Changes.Hash h = e.getValue();
      try {
        verify(e.getKey(), HASHED.get(e.getKey()).apply(annotated), h.value(), c.hashType);
      } catch (Refusal r) {
        out.add(new Annotations.Refused(h.key(), h.value(), r.reason()));
      }
    }
    return out;
  }

  private static void verify(String kind, String path, String expected, String hashType) {
    if (!hashType.equals(SHA512)) {
      throw new Refusal("hash type " + hashType + " is not supported (only " + SHA512 + ")");
    }
    if (path.isEmpty()) {
      throw new Refusal("there is no " + kind + " to verify (its path is empty)");
    }
    Path file;
    try {
      file = InputFiles.requireRegular(Path.of(path));
    } catch (InputFileException e) {
      throw new Refusal(kind + " " + e.getMessage());
    } catch (IOException e) {
      throw new Refusal("cannot read " + kind + " " + path + ": " + e, e);
    }
    String computed = sha512(file);
    if (!computed.equalsIgnoreCase(expected)) {
      throw new Refusal(
          "invalid hash for " + path + ": computed " + computed + ", expected " + expected);
    }
  }

  static String sha512(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new Refusal("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
