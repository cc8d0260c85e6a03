package org.vmm4j.qmp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

  /** Hands out at most {@code chunk} bytes per read, like a socket. */
  private static InputStream chunked(String s, int chunk) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new ByteArrayInputStream(b) {
      @Override
      public synchronized int read(byte[] buf, int off, int len) {
        return super.read(buf, off, Math.min(len, chunk));
      }
    };
  }

  private static List<String> lines(InputStream in, int max) throws IOException {
    List<String> out = new ArrayList<>();
    new LineReader(in, max)
        .run((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void splitsLinesAcrossReadsOfAnySize() throws IOException {
    String text = "{\"a\":1}\r\n\n{\"b\":\"é\"}\n{\"c\":3}\n";
    for (int chunk = 1; chunk <= text.length(); chunk++) {
      assertThat(lines(chunked(text, chunk), 100))
          .as("chunk %d", chunk)
          .containsExactly("{\"a\":1}\r", "", "{\"b\":\"é\"}", "{\"c\":3}");
    }
  }

  @Test
  void reportsTheUnterminatedTailAtEndOfStream() throws IOException {
    List<String> out = new ArrayList<>();
    int tail =
        new LineReader(chunked("one\ntwo-without-newline", 3), 100)
            .run((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)));
    assertThat(out).containsExactly("one");
    assertThat(tail).isEqualTo("two-without-newline".length());
  }

  @Test
  void acceptsALineOfExactlyTheLimitAndGrowsItsBuffer() throws IOException {
    String big = "x".repeat(200_000);
    assertThat(lines(chunked(big + "\n" + "y\n", 65536), 200_000)).containsExactly(big, "y");
  }

  @Test
  void failsALineOverTheLimitBeforeBufferingIt() {
    // An endless stream without a newline: the reader must stop at the limit, not run out of
    // memory.
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 'x';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 'x');
            return len;
          }
        };
    assertThatThrownBy(() -> lines(endless, 1 << 20))
        .isInstanceOf(LineReader.LineTooLongException.class)
        .hasMessageContaining("longer than 1048576 bytes");
  }

  @Test
  void failsAnOverlongLineEvenWhenItsNewlineArrivedInTheSameRead() {
    assertThatThrownBy(() -> lines(chunked("x".repeat(2000) + "\nok\n", 4096), 1024))
        .isInstanceOf(LineReader.LineTooLongException.class);
  }
}
