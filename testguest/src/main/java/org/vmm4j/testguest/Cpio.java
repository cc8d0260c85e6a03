package org.vmm4j.testguest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes a newc ("070701") cpio archive, the initramfs format, with fixed owners (root) and times
 * (0) so the same inputs give the same bytes. Parent directories must be added before their
 * entries.
 */
final class Cpio implements AutoCloseable {
  private static final int S_IFDIR = 0040000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;

  private final OutputStream out;
  private final Set<String> names = new HashSet<>();
  private long written;
  private int ino = 1;

  public Cpio(OutputStream out) {
    this.out = out;
  }

  public void dir(String name) throws IOException {
    entry(name, S_IFDIR | 0755, 2, 0, 0, new byte[0]);
  }

  public void file(String name, int perm, byte[] data) throws IOException {
    entry(name, S_IFREG | perm, 1, 0, 0, data);
  }

  public void symlink(String name, String target) throws IOException {
    entry(name, S_IFLNK | 0777, 1, 0, 0, target.getBytes(StandardCharsets.UTF_8));
  }

  public void charDevice(String name, int perm, int major, int minor) throws IOException {
    entry(name, S_IFCHR | perm, 1, major, minor, new byte[0]);
  }

  private void entry(String name, int mode, int nlink, int rmajor, int rminor, byte[] data)
      throws IOException {
    if (name.startsWith("/") || name.isEmpty() || !names.add(name)) {
      throw new IllegalArgumentException("cpio entry name '" + name + "' (relative, unique)");
    }
    header(name, ino++, mode, nlink, data.length, rmajor, rminor);
    write(data);
    pad();
  }

  private void header(String name, int inode, int mode, int nlink, int size, int rmaj, int rmin)
      throws IOException {
    byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
    StringBuilder h = new StringBuilder("070701");
    for (long v : new long[] {inode, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, n.length, 0}) {
      h.append(String.format("%08X", v));
    }
    write(h.toString().getBytes(StandardCharsets.US_ASCII));
    write(n);
    pad();
  }

  private void write(byte[] b) throws IOException {
    out.write(b);
    written += b.length;
  }

  private void pad() throws IOException {
    while (written % 4 != 0) {
      out.write(0);
      written++;
    }
  }

  /** Writes the trailer (the stream itself stays open: its owner closes it). */
  @Override
  public void close() throws IOException {
    header("TRAILER!!!", 0, 0, 1, 0, 0, 0);
    out.flush();
  }
}
