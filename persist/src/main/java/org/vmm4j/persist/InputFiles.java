package org.vmm4j.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;

/**
 * The checks vmm4j makes on a file it is given (a config, a state file, a disk, a kernel) before it
 * opens it for real. Anything but a regular file (or, for a disk, a block device) is refused, not
 * opened: a FIFO blocks {@code open(2)} until a writer comes, stalling this process or QEMU's main
 * loop with it, and a character device such as {@code /dev/zero} never ends, so reading it whole
 * exhausts memory. Symbolic links are resolved first and the file they lead to is what is checked.
 *
 * <p>{@link #read} opens the resolved path without following links, checks after the open that the
 * path still names the file it checked (same device and inode), and reads at most the limit plus
 * one byte, so a file swapped or grown after the check is refused too. Plain Java cannot open with
 * {@code O_NONBLOCK}: a FIFO put in place of a checked file between the check and the open (which
 * needs write access to its directory) still blocks that open.
 *
 * <p>Refusals are {@link InputFileException}s naming the path and what it is.
 */
public final class InputFiles {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final long KIB = 1024;
  private static final long MIB = KIB * KIB;

  private InputFiles() {}

  /** What the resolved path is: the path, its type bits, size, device and inode. */
  private record Resolved(Path real, int mode, long size, long dev, long ino) {
    int type() {
      return mode & S_IFMT;
    }

    boolean sameFile(Resolved o) {
      return dev == o.dev && ino == o.ino;
    }
  }

  /**
   * Reads a regular file whole, at most {@code maxBytes} of it.
   *
   * @param what what the file is, for the refusal of a larger one ({@code "a config"}: "... more
   *     than the 1 MiB a config may have")
   * @throws InputFileException when it is not a regular file or is larger than {@code maxBytes}
   * @throws java.nio.file.NoSuchFileException when it (or a link's target) does not exist
   */
  public static byte[] read(Path file, long maxBytes, String what) throws IOException {
    if (maxBytes < 0 || maxBytes >= Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("maxBytes " + maxBytes + " is not an array size");
    }
    Resolved r = requireSize(file, requireType(file, false), maxBytes, what);
    try (SeekableByteChannel ch =
        Files.newByteChannel(r.real(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (!resolve(r.real()).sameFile(r)) {
        throw new InputFileException(file, "replaced by another file while it was opened");
      }
      return readAtMost(file, ch, r.size(), maxBytes, what);
    }
  }

  /**
   * Checks, without opening it, that {@code file} (its links resolved) is a regular file of at most
   * {@code maxBytes}: what {@link #read} checks before it opens.
   *
   * @return the resolved path
   */
  public static Path requireRegular(Path file, long maxBytes, String what) throws IOException {
    return requireSize(file, requireType(file, false), maxBytes, what).real();
  }

  /**
   * Checks that {@code file} (its links resolved) is a regular file.
   *
   * @return the resolved path
   */
  public static Path requireRegular(Path file) throws IOException {
    return requireType(file, false).real();
  }

  /**
   * Checks that {@code file} (its links resolved) is a regular file or a block device: what a disk
   * may be.
   *
   * @return the resolved path
   */
  public static Path requireRegularOrBlockDevice(Path file) throws IOException {
    return requireType(file, true).real();
  }

  /** What a file of {@code mode}'s type is, e.g. {@code "a FIFO"}, {@code "a directory"}. */
  public static String describeType(int mode) {
    return switch (mode & S_IFMT) {
      case 0140000 -> "a socket";
      case 0120000 -> "a symbolic link";
      case S_IFREG -> "a regular file";
      case S_IFBLK -> "a block device";
      case 0040000 -> "a directory";
      case 0020000 -> "a character device";
      case 0010000 -> "a FIFO";
      default -> "a file of type " + Integer.toOctalString(mode & S_IFMT);
    };
  }

  /** {@code 1048576} is "1 MiB", {@code 1536} "1536 bytes". */
  static String describeSize(long bytes) {
    if (bytes > 0 && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    return bytes > 0 && bytes % KIB == 0 ? bytes / KIB + " KiB" : bytes + " bytes";
  }

  /** The resolved file, when it is a regular file (or, with {@code orBlock}, a block device). */
  private static Resolved requireType(Path file, boolean orBlock) throws IOException {
    Resolved r = resolve(file.toRealPath());
    if (r.type() == S_IFREG || (orBlock && r.type() == S_IFBLK)) {
      return r;
    }
    String wanted = orBlock ? "a regular file or block device" : "a regular file";
    String what = describeType(r.mode());
    if (!r.real().equals(file.toAbsolutePath().normalize())) {
      what += ", " + r.real();
    }
    throw new InputFileException(file, "not " + wanted + " (" + what + ")");
  }

  private static Resolved requireSize(Path file, Resolved r, long maxBytes, String what)
      throws InputFileException {
    if (r.size() > maxBytes) {
      throw new InputFileException(file, r.size() + " bytes, " + moreThan(maxBytes, what));
    }
    return r;
  }

  private static String moreThan(long maxBytes, String what) {
    return "more than the " + describeSize(maxBytes) + " " + what + " may have";
  }

  private static Resolved resolve(Path real) throws IOException {
    Map<String, Object> a =
        Files.readAttributes(real, "unix:mode,size,dev,ino", LinkOption.NOFOLLOW_LINKS);
    return new Resolved(
        real,
        (Integer) a.get("mode"),
        (Long) a.get("size"),
        (Long) a.get("dev"),
        (Long) a.get("ino"));
  }

  private static byte[] readAtMost(
      Path file, SeekableByteChannel ch, long sizeHint, long maxBytes, String what)
      throws IOException {
    long cap = maxBytes + 1;
    byte[] buf = new byte[(int) Math.min(cap, Math.max(sizeHint, 8192))];
    int n = 0;
    while (n < cap) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(cap, (long) buf.length * 2));
      }
      int got = ch.read(ByteBuffer.wrap(buf, n, buf.length - n));
      if (got < 0) {
        return Arrays.copyOf(buf, n);
      }
      n += got;
    }
    throw new InputFileException(
        file, "grew past its limit while read: " + moreThan(maxBytes, what));
  }
}
