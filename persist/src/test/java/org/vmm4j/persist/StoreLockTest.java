package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sandbox locks between threads of one JVM and between two JVMs. */
class StoreLockTest {
  private static final Duration SHORT = Duration.ofMillis(300);
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path tmp;

  private FsStore store() {
    return new FsStore(tmp.resolve("vc"));
  }

  @Test
  void inOneJvmSharedLocksCoexistAndExclusiveExcludes() throws Exception {
    FsStore store = store();
    try (StoreLock a = store.lock("sb", false, SHORT);
        StoreLock b = store.lock("sb", false, SHORT)) {
      assertThat(a.exclusive()).isFalse();
      assertThat(b.sandboxId()).isEqualTo("sb");
      assertThatThrownBy(() -> store.lock("sb", true, SHORT))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessageContaining("lock sandbox sb (exclusive): not acquired within 300 ms");
      try (StoreLock other = store.lock("other", true, SHORT)) {
        assertThat(other.exclusive()).isTrue();
      }
    }
    try (StoreLock x = store.lock("sb", true, SHORT)) {
      assertThatThrownBy(() -> store.lock("sb", false, SHORT))
          .isInstanceOf(LockTimeoutException.class);
      assertThatThrownBy(() -> new FsStore(tmp.resolve("vc")).lock("sb", true, SHORT))
          .isInstanceOf(LockTimeoutException.class);
    }
  }

  @Test
  void aWaiterGetsTheLockWhenTheHolderReleasesIt() throws Exception {
    FsStore store = store();
    StoreLock held = store.lock("sb", true, SHORT);
    CompletableFuture<StoreLock> waiter =
        CompletableFuture.supplyAsync(() -> store.lock("sb", true, LONG));
    Thread.sleep(200);
    assertThat(waiter).isNotDone();
    held.close();
    held.close(); // a second close does nothing
    try (StoreLock got = waiter.get(LONG.toSeconds(), TimeUnit.SECONDS)) {
      assertThat(got.exclusive()).isTrue();
    }
  }

  @Test
  void twoJvmsSharedCoexistExclusiveExcludes() throws Exception {
    Path root = tmp.resolve("vc");
    FsStore store = store();
    try (ChildJvm child = ChildJvm.start("lock", root.toString(), "sb", "shared", "30000")) {
      assertThat(child.nextLine()).isEqualTo("locked");
      try (StoreLock mine = store.lock("sb", false, LONG)) {
        assertThat(mine.exclusive()).isFalse(); // shared + shared across processes
      }
      assertThatThrownBy(() -> store.lock("sb", true, SHORT))
          .isInstanceOf(LockTimeoutException.class);
      child.send("release");
      assertThat(child.nextLine()).isEqualTo("released");
      assertThat(child.waitFor()).isZero();
    }
    try (ChildJvm child = ChildJvm.start("lock", root.toString(), "sb", "exclusive", "30000")) {
      assertThat(child.nextLine()).isEqualTo("locked");
      assertThatThrownBy(() -> store.lock("sb", false, SHORT))
          .isInstanceOf(LockTimeoutException.class);
      assertThatThrownBy(() -> store.lock("sb", true, SHORT))
          .isInstanceOf(LockTimeoutException.class);
      child.send("release");
      assertThat(child.nextLine()).isEqualTo("released");
    }
    try (StoreLock mine = store.lock("sb", true, LONG);
        ChildJvm child = ChildJvm.start("lock", root.toString(), "sb", "shared", "500")) {
      assertThat(child.nextLine()).isEqualTo("timeout"); // my exclusive lock excludes the child
    }
  }

  @Test
  void aLockIsReleasedWhenItsHolderIsKilled() throws Exception {
    Path root = tmp.resolve("vc");
    try (ChildJvm child = ChildJvm.start("lock", root.toString(), "sb", "exclusive", "30000")) {
      assertThat(child.nextLine()).isEqualTo("locked");
      assertThatThrownBy(() -> store().lock("sb", true, SHORT))
          .isInstanceOf(LockTimeoutException.class);
      child.kill(); // SIGKILL: no release, no shutdown hook
      try (StoreLock mine = store().lock("sb", true, LONG)) {
        assertThat(mine.exclusive()).isTrue();
      }
    }
  }
}
