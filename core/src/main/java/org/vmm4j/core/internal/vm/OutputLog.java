package org.vmm4j.core.internal.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The end of a process's output file, for error reports. */
public final class OutputLog {
  /** How much of the end of a log an error message quotes. */
  public static final int TAIL_BYTES = 2048;

  private OutputLog() {}

  /** The last {@link #TAIL_BYTES} of {@code file}, trimmed; "" when it is missing or empty. */
  public static String tail(Path file) {
    return tail(file, TAIL_BYTES);
  }

  /** The last {@code max} bytes of {@code file}, trimmed. */
  public static String tail(Path file, int max) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      long from = Math.max(0, len - max);
      byte[] b = new byte[(int) (len - from)];
      f.seek(from);
      f.readFully(b);
      String s = new String(b, StandardCharsets.UTF_8).strip();
      return from > 0 ? "..." + s : s;
    } catch (IOException e) {
      return "";
    }
  }
}
