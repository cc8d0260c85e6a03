package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a refused operation leaves: nothing. A root below a regular file is refused naming that file
 * (not as the file system's {@code ENOTDIR}), and {@link FsStore#lockExisting} makes no root, lock
 * directory or lock file for a sandbox that has no state.
 */
class FsStoreRefusalTest {
  static final Duration T = Duration.ofSeconds(5);

  @TempDir Path tmp;

  @Test
  void aRootBelowARegularFileIsRefusedNamingThatFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Path root = file.resolve("sub/vc");
    FsStore store = new FsStore(root);
    Map<String, ThrowingCallable> ops = new LinkedHashMap<>();
    ops.put("list sandboxes", store::list);
    ops.put("load sandbox sb", () -> store.load("sb"));
    ops.put("look up sandbox sb", () -> store.exists("sb"));
    ops.put("lock sandbox sb", () -> store.lock("sb", true, T));
    ops.put("save sandbox sb", () -> store.save(StoreSamples.sandbox("sb", 1, 0), Map.of()));
    ops.put("destroy sandbox sb", () -> store.destroy("sb"));
    ops.put("create directory " + store.vmDir("sb"), () -> store.createVmDir("sb"));
    ops.forEach(
        (op, call) ->
            assertThatThrownBy(call)
                .as(op)
                .isInstanceOf(UnsafePathException.class)
                .hasMessage(
                    op
                        + ": refusing "
                        + root
                        + ": its ancestor "
                        + file
                        + " is a regular file (owner uid "
                        + Rootless.effectiveUid()
                        + ", mode 0644), not a directory"));
    assertThat(Files.readString(file, UTF_8)).isEqualTo("x");
  }

  @Test
  void lockExistingMakesNothingForASandboxWithoutState() throws IOException {
    Path root = tmp.resolve("vc");
    FsStore store = new FsStore(root);
    assertThatThrownBy(() -> store.lockExisting("nope", true, T))
        .isInstanceOf(StateNotFoundException.class)
        .hasMessage("lock sandbox nope: no state at " + root.resolve("sbs/nope/persist.json"));
    assertThat(root).doesNotExist();

    store.save(StoreSamples.sandbox("sb", 1, 0), Map.of());
    assertThatThrownBy(() -> store.lockExisting("nope", false, T))
        .isInstanceOf(StateNotFoundException.class);
    assertThat(root.resolve("locks")).doesNotExist();
    try (StoreLock l = store.lockExisting("sb", true, T)) {
      assertThat(l.exclusive()).isTrue();
    }
    assertThat(root.resolve("locks/sb.lock")).isRegularFile();
  }
}
