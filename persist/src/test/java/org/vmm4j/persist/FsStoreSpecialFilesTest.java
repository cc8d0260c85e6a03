package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * A {@code persist.json} (a sandbox's or a container's) that is a FIFO, a link to {@code
 * /dev/zero}, or larger than 16 MiB: {@link FsStore#load} refuses it at once with a {@link
 * StoreException} naming the file and what it is, instead of blocking in {@code open()} or reading
 * until memory runs out (each load runs under a deadline, so that a hang fails the test); the
 * sandbox is still listed, and the file is left as it is.
 */
class FsStoreSpecialFilesTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir Path tmp;
  FsStore store;
  Path file;

  @BeforeEach
  void save() throws IOException {
    store = new FsStore(tmp.toRealPath().resolve("vc"));
    store.save(StoreSamples.sandbox("sb", 1, 1), Map.of("c1", StoreSamples.container("c1", 1)));
    file = store.sandboxDir("sb").resolve(FsStore.STATE_FILE);
  }

  private Throwable loadFails() {
    Throwable[] thrown = new Throwable[1];
    assertTimeoutPreemptively(
        DEADLINE,
        () -> {
          try {
            store.load("sb");
          } catch (RuntimeException | Error e) {
            thrown[0] = e;
          }
        });
    assertThat(thrown[0]).as("load failed").isInstanceOf(PersistException.class);
    return thrown[0];
  }

  @Test
  void aFifoIsRefusedWithoutBlocking() throws IOException {
    Files.delete(file);
    SpecialFiles.fifo(file);
    // the store's own check refuses it before anything opens it (no read can block)
    assertThat(loadFails())
        .isInstanceOf(UnsafePathException.class)
        .hasMessage(
            "load sandbox sb: refusing "
                + file
                + ": a fifo (owner uid 0, mode 0644), not a regular file");
    // listing does not block on it either (the store's check skips what it would refuse)
    assertThat(assertTimeoutPreemptively(DEADLINE, () -> store.list())).doesNotContain("sb");
    assertThat(Files.isRegularFile(file)).isFalse();
  }

  @Test
  void aLinkToDevZeroIsRefusedBeforeReading() throws IOException {
    Files.delete(file);
    SpecialFiles.link(file, SpecialFiles.DEV_ZERO);
    assertThat(loadFails())
        .isInstanceOf(UnsafePathException.class)
        .hasMessageStartingWith(
            "load sandbox sb: refusing " + file + ": a symbolic link to /dev/zero");
  }

  @Test
  void aContainersFifoIsRefusedToo() throws IOException {
    Path cfile = store.sandboxDir("sb").resolve("c1").resolve(FsStore.STATE_FILE);
    Files.delete(cfile);
    SpecialFiles.fifo(cfile);
    assertThat(loadFails())
        .isInstanceOf(UnsafePathException.class)
        .hasMessage(
            "load sandbox sb: refusing "
                + cfile
                + ": a fifo (owner uid 0, mode 0644), not a regular file");
  }

  @Test
  void aFileOver16MibIsRefusedByItsSize() throws IOException {
    SpecialFiles.sparse(file, 16L * 1024 * 1024 + 1);
    assertThat(loadFails())
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "load sandbox sb: "
                + file
                + ": 16777217 bytes, more than the 16 MiB a state file may have");
    assertThat(Files.size(file)).isEqualTo(16L * 1024 * 1024 + 1);
  }
}
