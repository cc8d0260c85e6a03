package org.vmm4j.testguest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Reads a gzip'd newc cpio archive: entry name to (mode, data), in archive order. */
final class CpioEntries {
  record Entry(int mode, byte[] data, int rdevMajor, int rdevMinor) {}

  private CpioEntries() {}

  static Map<String, Entry> read(Path gz) throws IOException {
    byte[] a;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      a = in.readAllBytes();
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    int p = 0;
    while (true) {
      String magic = new String(a, p, 6, StandardCharsets.US_ASCII);
      if (!magic.equals("070701")) {
        throw new IOException("bad cpio magic at " + p + ": " + magic);
      }
      long[] f = new long[13];
      for (int i = 0; i < 13; i++) {
        f[i] = Long.parseLong(new String(a, p + 6 + 8 * i, 8, StandardCharsets.US_ASCII), 16);
      }
      int nameSize = (int) f[11];
      String name = new String(a, p + 110, nameSize - 1, StandardCharsets.UTF_8);
      p = align(p + 110 + nameSize);
      if (name.equals("TRAILER!!!")) {
        return out;
      }
      int size = (int) f[6];
      byte[] data = new byte[size];
      System.arraycopy(a, p, data, 0, size);
      p = align(p + size);
      out.put(name, new Entry((int) f[1], data, (int) f[9], (int) f[10]));
    }
  }

  private static int align(int n) {
    return (n + 3) & ~3;
  }
}
