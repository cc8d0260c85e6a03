package org.vmm4j.testguest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Extracts the uncompressed kernel (an ELF with a PVH entry note) from a bzImage whose payload is
 * XZ-compressed (Debian's {@code CONFIG_KERNEL_XZ=y}): finds the XZ stream magic, decompresses the
 * first stream with {@code xz -dc --single-stream} (which ignores the bzImage's trailing bytes) and
 * checks the result.
 */
final class Vmlinux {
  private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

  private Vmlinux() {}

  /** Writes the ELF inside {@code bzImage} to {@code out}. */
  public static void extract(Path bzImage, Path out, Duration timeout) {
    byte[] image;
    try {
      image = Files.readAllBytes(bzImage);
    } catch (IOException e) {
      throw new TestGuestException("test guest build: cannot read " + bzImage, e);
    }
    String last = "no XZ stream magic (FD 37 7A 58 5A 00) in the file";
    for (int at = indexOf(image, XZ_MAGIC, 0); at >= 0; at = indexOf(image, XZ_MAGIC, at + 1)) {
      String problem = tryAt(image, at, out, timeout);
      if (problem == null) {
        return;
      }
      last = "XZ stream at offset " + at + ": " + problem;
    }
    throw new TestGuestException(
        "test guest build: cannot extract vmlinux from " + bzImage + ": " + last);
  }

  /**
   * Decompresses the stream at {@code at}; null when {@code out} is now a PVH ELF, else why not.
   */
  private static String tryAt(byte[] image, int at, Path out, Duration timeout) {
    Path payload = out.resolveSibling(out.getFileName() + ".xz");
    try {
      try (OutputStream os = Files.newOutputStream(payload)) {
        os.write(image, at, image.length - at);
      }
      Exec.Result r =
          Exec.run(
              List.of("xz", "-dc", "--single-stream", payload.toString()),
              out.getParent(),
              out,
              timeout);
      if (!r.ok()) {
        return "xz failed: " + r.tail(200);
      }
      Elf elf = Elf.open(out);
      if (elf == null) {
        return "the decompressed data is not an ELF64 file";
      }
      if (!elf.hasPvhNote()) {
        return "the ELF has no PVH entry note (CONFIG_PVH off?): QEMU could not boot it";
      }
      return null;
    } catch (IOException e) {
      return e.toString();
    } finally {
      try {
        Files.deleteIfExists(payload);
      } catch (IOException ignored) {
        // in the build's temp dir, removed with it
      }
    }
  }

  static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
