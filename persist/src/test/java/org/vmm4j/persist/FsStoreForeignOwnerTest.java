package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmm4j.testing.files.TreeSnapshot;
import org.vmm4j.testing.files.Unprivileged;
import org.vmm4j.testing.files.Victim;

/**
 * A less privileged user (uid {@value Unprivileged#UID}, through setpriv) plants links and
 * directories where it can write, and the store (running as root) refuses to use them: a root that
 * group or others can write (1777), a top-level directory or a sandbox directory that user made
 * while it could write there, a root that user made (or linked) in a sticky world-writable
 * directory. Every operation refuses ({@link UnsafePathException} naming the path, its owner and
 * mode) before writing or removing anything; what the links point at stays as it was.
 */
class FsStoreForeignOwnerTest {
  static final int NOBODY = Unprivileged.UID;

  @TempDir Path tmp;
  Path base;
  Victim victim;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Unprivileged.unavailable().isEmpty(), Unprivileged.unavailable().orElse(""));
    base = tmp.toRealPath();
    chmod("0755", base); // the other user must be able to reach what it plants
    victim = Victim.create(base.resolve("victim"));
  }

  @Test
  void aWorldWritableRootIsRefusedAndTheLinkPlantedInItIsNotFollowed() throws Exception {
    Path root = chmod("1777", FsStoreNoFollowTest.mkdir(base.resolve("vc")));
    Unprivileged.run(
        "mkdir -m 0777 \"$1/sbs\" && ln -s \"$2\" \"$1/sbs/sb1\"", root + "", victim.dir() + "");
    Map<String, String> before = TreeSnapshot.of(root);
    for (ThrowingCallable op : everyOperation(new FsStore(root), "sb1")) {
      assertRefused(op, root, "a directory (owner uid 0, mode 1777)");
    }
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThat(TreeSnapshot.of(root)).as("the store after the refusals").isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sbs", "vm", "locks", "shared"})
  void aTopLevelDirectoryAnotherUserMadeIsRefused(String name) throws Exception {
    Path root = chmod("1777", FsStoreNoFollowTest.mkdir(base.resolve("vc")));
    Unprivileged.run("mkdir -m 0755 \"$1/" + name + "\"", root.toString());
    chmod("0755", root); // the root is locked down later; what the user made stays
    Map<String, String> before = TreeSnapshot.of(root);
    Path planted = root.resolve(name);
    for (ThrowingCallable op : everyOperation(new FsStore(root), "sb1")) {
      assertRefused(op, planted, "a directory (owner uid " + NOBODY + ", mode 0755)");
    }
    assertThat(TreeSnapshot.of(root)).isEqualTo(before);
  }

  @Test
  void aWritableSandboxesDirectoryAndADirectoryPlantedInItAreRefused() throws Exception {
    Path root = FsStoreNoFollowTest.mkdir(base.resolve("vc"));
    Path sbs = chmod("0777", FsStoreNoFollowTest.mkdir(root.resolve("sbs")));
    Unprivileged.run(
        "mkdir -m 0777 \"$1/sb1\" && ln -s \"$2\" \"$1/sb1/c1\"", sbs + "", victim.dir() + "");
    FsStore store = new FsStore(root);
    for (ThrowingCallable op : everyOperation(store, "sb1")) {
      assertRefused(op, sbs, "a directory (owner uid 0, mode 0777)");
    }
    chmod("0755", sbs);
    Map<String, String> before = TreeSnapshot.of(root);
    for (ThrowingCallable op : sandboxOperations(store, "sb1")) {
      assertRefused(op, sbs.resolve("sb1"), "a directory (owner uid " + NOBODY + ", mode 0777)");
    }
    assertThat(store.list()).as("a sandbox directory not the store's is not listed").isEmpty();
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThat(TreeSnapshot.of(root)).isEqualTo(before);
  }

  @Test
  void aRootAnotherUserMadeOrLinkedInAStickyDirectoryIsRefused() throws Exception {
    Path sticky = chmod("1777", FsStoreNoFollowTest.mkdir(base.resolve("tmp")));
    Unprivileged.run(
        "mkdir -m 0700 \"$1/vc\" && ln -s \"$2\" \"$1/vc-link\"", sticky + "", victim.dir() + "");
    Path root = sticky.resolve("vc");
    for (ThrowingCallable op : everyOperation(new FsStore(root), "sb1")) {
      assertRefused(op, root, "a directory (owner uid " + NOBODY + ", mode 0700)");
    }
    assertThat(TreeSnapshot.of(root)).containsOnlyKeys("");
    Path link = sticky.resolve("vc-link");
    for (ThrowingCallable op : everyOperation(new FsStore(link), "sb1")) {
      assertRefused(
          op,
          link,
          "a symbolic link to " + victim.dir() + " (owner uid " + NOBODY + ", mode 0777)");
    }
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
  }

  /** save, load, exists, destroy and lock of sandbox {@code sid}. */
  static List<ThrowingCallable> sandboxOperations(FsStore store, String sid) {
    SandboxState s = StoreSamples.sandbox(sid, 1, 1);
    return List.of(
        () -> store.save(s, Map.of("c1", StoreSamples.container("c1", 1))),
        () -> store.load(sid),
        () -> store.exists(sid),
        () -> store.destroy(sid),
        () -> store.lock(sid, true).close());
  }

  /** {@link #sandboxOperations}, list, createVmDir and a global write. */
  static List<ThrowingCallable> everyOperation(FsStore store, String sid) {
    List<ThrowingCallable> all = new ArrayList<>(sandboxOperations(store, sid));
    all.add(() -> store.list());
    all.add(() -> store.createVmDir(sid));
    all.add(() -> store.globalWrite("uuid/uuid.json", new byte[] {'{', '}'}));
    return all;
  }

  static void assertRefused(ThrowingCallable op, Path path, String what) {
    assertThatThrownBy(op)
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("refusing " + path + ": " + what)
        .satisfies(e -> assertThat(((UnsafePathException) e).path()).isEqualTo(path));
  }

  static Path chmod(String mode, Path p) throws Exception {
    Process c = new ProcessBuilder("chmod", mode, p.toString()).inheritIO().start();
    assertThat(c.waitFor(30, TimeUnit.SECONDS) && c.exitValue() == 0).as("chmod " + p).isTrue();
    return p;
  }
}
