package org.vmm4j.core.annotations;

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
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.vmm4j.core.HypervisorConfig;
import org.vmm4j.core.HypervisorConfigBuilder;
import org.vmm4j.core.config.ConfigDefaults;
import org.vmm4j.persist.InputFileException;
import org.vmm4j.persist.InputFiles;

/**
 * The hypervisor annotations that carry host paths (Kata's custom assets and the six paths with a
 * 1.13 allowlist, plus {@code entropy_source}), each checked against its allowlist ({@link
 * Allowlists#checkPath}), and the {@code <asset>_hash} annotations: the SHA-512 of the asset's file
 * (the annotated path, else the configured one) must be the given hex digest.
 */
final class Assets {
  static final String SHA512 = "sha512";

  private static final Pattern SHA512_HEX = Pattern.compile("[0-9a-fA-F]{128}");

  /** The file each asset kind's hash verifies, in the annotated config. */
  private static final Map<String, Function<HypervisorConfig, String>> HASHED =
      Map.of(
          "kernel", HypervisorConfig::kernelPath,
          "image", HypervisorConfig::imagePath,
          "initrd", HypervisorConfig::initrdPath,
          "firmware", HypervisorConfig::firmwarePath,
          "hypervisor",
              h -> h.hypervisorPath().isEmpty() ? ConfigDefaults.QEMU_PATH : h.hypervisorPath(),
          "hypervisorctl", HypervisorConfig::hypervisorCtlPath,
          "jailer", HypervisorConfig::jailerPath);

  static final List<Spec> SPECS =
      List.of(
          path(
              "path",
              Allowlists.HYPERVISOR,
              "HypervisorPath",
              HypervisorConfigBuilder::hypervisorPath),
          path(
              "ctlpath",
              Allowlists.CTL,
              "HypervisorCtlPath",
              HypervisorConfigBuilder::hypervisorCtlPath),
          path("jailer_path", Allowlists.JAILER, "JailerPath", HypervisorConfigBuilder::jailerPath),
          path("kernel", Allowlists.KERNEL, "KernelPath", HypervisorConfigBuilder::kernelPath),
          rootfs("image", Allowlists.IMAGE),
          rootfs("initrd", Allowlists.INITRD),
          path(
              "firmware",
              Allowlists.FIRMWARE,
              "FirmwarePath",
              HypervisorConfigBuilder::firmwarePath),
          path(
              "virtio_fs_daemon",
              Allowlists.VIRTIOFSD,
              "VirtioFSDaemon",
              HypervisorConfigBuilder::virtioFSDaemon),
          path(
              "file_mem_backend",
              Allowlists.FILE_MEM,
              "FileBackedMemRootDir",
              HypervisorConfigBuilder::fileBackedMemRootDir),
          path(
              "vhost_user_store_path",
              Allowlists.VHOST_USER_STORE,
              "VhostUserStorePath",
              HypervisorConfigBuilder::vhostUserStorePath),
          path(
              "entropy_source",
              Allowlists.ENTROPY,
              "EntropySource",
              HypervisorConfigBuilder::entropySource),
          hash("kernel"),
          hash("image"),
          hash("initrd"),
          hash("firmware"),
          hash("hypervisor"),
          hash("hypervisorctl"),
          hash("jailer"));

  private Assets() {}

  private static Spec path(
      String name,
      Allowlists.PathList list,
      String field,
      BiConsumer<HypervisorConfigBuilder, String> set) {
    return new Spec(
        name,
        (c, v) -> {
          set.accept(c.hv, Allowlists.checkPath(list, c.gates(), v));
          c.touch(field);
        });
  }

  /** {@code image} and {@code initrd}: the guest's root file system is one or the other. */
  private static Spec rootfs(String name, Allowlists.PathList list) {
    return new Spec(
        name,
        (c, v) -> {
          String path = Allowlists.checkPath(list, c.gates(), v);
          if (name.equals("image")) {
            c.hv.imagePath(path).initrdPath("");
          } else {
            c.hv.initrdPath(path).imagePath("");
          }
          c.rootfsKeys.put(c.current(), v);
          c.touch("ImagePath", "InitrdPath");
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
