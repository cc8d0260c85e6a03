package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * {@link InputFiles}: a FIFO, a device, a directory or a socket is refused without being opened (a
 * FIFO would block the open), through links too; a file over the limit is refused by its size; the
 * message names the path and what it is. Every call runs under a deadline, so that a check that
 * opens a FIFO fails instead of hanging.
 */
class InputFilesTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final long LIMIT = 1024 * 1024;

  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void realDir() throws IOException {
    dir = tmp.toRealPath();
  }

  private byte[] read(Path p) throws Exception {
    return assertTimeoutPreemptively(DEADLINE, () -> InputFiles.read(p, LIMIT, "a config"));
  }

  @Test
  void aRegularFileIsReadWholeThroughALinkToo() throws Exception {
    Path f = Files.writeString(dir.resolve("c.json"), "{\"a\":1}");
    assertThat(read(f)).isEqualTo("{\"a\":1}".getBytes(UTF_8));
    assertThat(read(SpecialFiles.link(dir.resolve("l.json"), f)))
        .isEqualTo("{\"a\":1}".getBytes(UTF_8));
    assertThat(read(Files.createFile(dir.resolve("empty.json")))).isEmpty();
    Path exact = SpecialFiles.sparse(dir.resolve("exact"), LIMIT);
    assertThat(read(exact)).hasSize((int) LIMIT);
    assertThat(InputFiles.requireRegular(dir.resolve("l.json"))).isEqualTo(f);
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws Exception {
    Path fifo = SpecialFiles.fifo(dir.resolve("f.json"));
    assertThatThrownBy(() -> read(fifo))
        .isInstanceOf(InputFileException.class)
        .hasMessage(fifo + ": not a regular file (a FIFO)");
    Path link = SpecialFiles.link(dir.resolve("l.json"), fifo);
    assertThatThrownBy(() -> read(link))
        .hasMessage(link + ": not a regular file (a FIFO, " + fifo + ")");
    assertThatThrownBy(() -> InputFiles.requireRegularOrBlockDevice(link))
        .isInstanceOf(InputFileException.class)
        .hasMessage(link + ": not a regular file or block device (a FIFO, " + fifo + ")");
  }

  @Test
  void anEndlessDeviceIsRefusedBeforeAnythingIsRead() throws Exception {
    Path zero = SpecialFiles.link(dir.resolve("z.json"), SpecialFiles.DEV_ZERO);
    assertThatThrownBy(() -> read(zero))
        .isInstanceOf(InputFileException.class)
        .hasMessage(zero + ": not a regular file (a character device, /dev/zero)");
    assertThatThrownBy(() -> read(SpecialFiles.DEV_ZERO))
        .hasMessage("/dev/zero: not a regular file (a character device)");
    assertThatThrownBy(() -> InputFiles.requireRegularOrBlockDevice(Path.of("/dev/urandom")))
        .hasMessage("/dev/urandom: not a regular file or block device (a character device)");
  }

  @Test
  void directoriesAndSocketsAreRefused() throws Exception {
    assertThatThrownBy(() -> read(dir))
        .isInstanceOf(InputFileException.class)
        .hasMessage(dir + ": not a regular file (a directory)");
    Path sock = dir.resolve("s.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertThatThrownBy(() -> InputFiles.requireRegularOrBlockDevice(sock))
          .hasMessage(sock + ": not a regular file or block device (a socket)");
    }
  }

  @Test
  void aFileOverTheLimitIsRefusedByItsSize() throws Exception {
    Path big = SpecialFiles.sparse(dir.resolve("big.json"), 2L * 1024 * 1024 * 1024);
    assertThatThrownBy(() -> read(big))
        .isInstanceOf(InputFileException.class)
        .hasMessage(big + ": 2147483648 bytes, more than the 1 MiB a config may have");
    Path over = SpecialFiles.sparse(dir.resolve("over.json"), LIMIT + 1);
    assertThatThrownBy(() -> InputFiles.requireRegular(over, LIMIT, "a config"))
        .hasMessage(over + ": 1048577 bytes, more than the 1 MiB a config may have");
    assertThatThrownBy(() -> InputFiles.read(over, 1000, "a state file"))
        .hasMessageEndingWith("more than the 1000 bytes a state file may have");
  }

  @Test
  void aMissingFileOrLinkTargetIsNoSuchFile() throws Exception {
    assertThatThrownBy(() -> read(dir.resolve("none"))).isInstanceOf(NoSuchFileException.class);
    Path dangling = SpecialFiles.link(dir.resolve("dangling"), dir.resolve("gone"));
    assertThatThrownBy(() -> InputFiles.requireRegularOrBlockDevice(dangling))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void aBlockDeviceIsADiskButNotAConfig() throws Exception {
    Path block = firstBlockDevice();
    assumeTrue(block != null, "this host has no block device under /dev to check with");
    assertThat(InputFiles.requireRegularOrBlockDevice(block)).isEqualTo(block.toRealPath());
    assertThatThrownBy(() -> InputFiles.requireRegular(block))
        .hasMessageContaining("not a regular file (a block device");
  }

  private static Path firstBlockDevice() throws IOException {
    try (var entries = Files.list(Path.of("/dev"))) {
      for (Path p : entries.toList()) {
        Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (((Integer) mode & 0170000) == 0060000) {
          return p;
        }
      }
    }
    return null;
  }

  @Test
  void sizesAreSaidInTheirLargestWholeUnit() {
    assertThat(InputFiles.describeSize(16L * 1024 * 1024)).isEqualTo("16 MiB");
    assertThat(InputFiles.describeSize(4096)).isEqualTo("4 KiB");
    assertThat(InputFiles.describeSize(1000)).isEqualTo("1000 bytes");
  }
}
