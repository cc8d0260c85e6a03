package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.testing.files.TreeSnapshot;
import org.vmm4j.testing.files.Victim;

/**
 * The store never follows a symbolic link it did not create: a link at the sandbox directory, a
 * state file, a container directory, the VM directory, a lock file or a global file's directory is
 * refused ({@link UnsafePathException}, naming the path, its owner and mode) by every operation,
 * before anything is written or removed, and what the link points at stays as it was. Removals
 * never descend through a link and remove only what the store's own naming says it created.
 */
class FsStoreNoFollowTest {
  @TempDir Path tmp;
  Path root;
  FsStore store;
  Victim victim;

  @BeforeEach
  void setUp() throws Exception {
    root = mkdir(tmp.resolve("vc"));
    store = new FsStore(root);
    victim = Victim.create(tmp.resolve("victim"));
  }

  @Test
  void aLinkAtTheSandboxDirectoryIsRefusedByEveryOperationAndNothingIsWritten() throws Exception {
    mkdir(root.resolve("sbs"));
    Path link = Files.createSymbolicLink(root.resolve("sbs/sb1"), victim.dir());
    Map<String, String> before = TreeSnapshot.of(root);
    SandboxState s = StoreSamples.sandbox("sb1", 1, 1);
    List<ThrowingCallable> ops =
        List.of(
            () -> store.save(s, Map.of("c1", StoreSamples.container("c1", 1))),
            () -> store.save(s, Map.of()),
            () -> store.load("sb1"),
            () -> store.exists("sb1"),
            () -> store.destroy("sb1"),
            () -> store.lock("sb1", true).close());
    for (ThrowingCallable op : ops) {
      assertRefused(op, link, "a symbolic link to " + victim.dir());
    }
    assertThat(store.list()).isEmpty();
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThat(TreeSnapshot.of(root)).as("the store after the refusals").isEqualTo(before);
  }

  @Test
  void aLinkAtAStateFileOrAContainerDirectoryIsRefused() throws Exception {
    store.save(StoreSamples.sandbox("sb2", 1, 1), Map.of());
    Path file = root.resolve("sbs/sb2/persist.json");
    Files.delete(file);
    Files.createSymbolicLink(file, victim.file());
    SandboxState s2 = StoreSamples.sandbox("sb2", 2, 1);
    for (ThrowingCallable op :
        List.<ThrowingCallable>of(
            () -> store.load("sb2"), () -> store.exists("sb2"), () -> store.save(s2, Map.of()))) {
      assertRefused(op, file, "a symbolic link to " + victim.file());
    }
    store.save(StoreSamples.sandbox("sb3", 1, 1), Map.of());
    Path c1 = Files.createSymbolicLink(root.resolve("sbs/sb3/c1"), victim.dir());
    SandboxState s3 = StoreSamples.sandbox("sb3", 2, 1);
    for (ThrowingCallable op :
        List.<ThrowingCallable>of(
            () -> store.load("sb3"),
            () -> store.save(s3, Map.of("c1", StoreSamples.container("c1", 1))),
            () -> store.save(s3, Map.of()),
            () -> store.destroy("sb3"))) {
      assertRefused(op, c1, "a symbolic link to " + victim.dir());
    }
    assertThat(Files.isSymbolicLink(c1)).isTrue();
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
  }

  @Test
  void aLinkAtTheVmDirectoryALockFileOrAGlobalDirectoryIsRefused() throws Exception {
    mkdir(root.resolve("vm"));
    Path vm = Files.createSymbolicLink(root.resolve("vm/sb4"), victim.dir());
    assertRefused(() -> store.createVmDir("sb4"), vm, "a symbolic link");
    assertRefused(() -> store.directoryExists(vm), vm, "a symbolic link");
    assertRefused(() -> store.removeTree(vm), vm, "a symbolic link");
    assertRefused(() -> store.lock("sb4", true).close(), vm, "a symbolic link");
    assertThat(Files.isSymbolicLink(vm)).isTrue();

    mkdir(root.resolve("locks"));
    Path lockFile = Files.createSymbolicLink(root.resolve("locks/sb5.lock"), victim.file());
    assertRefused(() -> store.lock("sb5", false).close(), lockFile, "a symbolic link");

    Path uuid = Files.createSymbolicLink(root.resolve("uuid"), victim.dir());
    byte[] data = "{}".getBytes(StandardCharsets.UTF_8);
    assertRefused(() -> store.globalWrite("uuid/uuid.json", data), uuid, "a symbolic link");
    assertRefused(() -> store.globalRead("uuid/uuid.json"), uuid, "a symbolic link");
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
  }

  @Test
  void aRootThatIsALinkOfRootsIsFollowedAndWhatTheStoreMakesIs0700() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("vc-link"), root);
    FsStore linked = new FsStore(link);
    linked.save(StoreSamples.sandbox("sb8", 1, 1), Map.of());
    assertThat(store.load("sb8").sandbox()).isEqualTo(StoreSamples.sandbox("sb8", 1, 1));
    assertThat(linked.directoryExists(link)).isTrue();
    Path shared = link.resolve("shared/sandboxes/sb8/shared");
    assertThat(linked.createDirectories(shared)).isEqualTo(shared);
    for (String d :
        List.of("sbs", "sbs/sb8", "shared", "shared/sandboxes", "shared/sandboxes/sb8")) {
      assertThat(FsStoreTest.mode(root.resolve(d))).as(d).isEqualTo("rwx------");
    }
    assertThat(FsStoreTest.mode(root.resolve("shared/sandboxes/sb8/shared")))
        .isEqualTo("rwx------");
    linked.removeTree(link.resolve("shared/sandboxes/sb8"));
    assertThat(root.resolve("shared/sandboxes/sb8")).doesNotExist();
  }

  @Test
  void removeTreeRemovesLinksInsideAndNeverWhatTheyPointAt() throws Exception {
    Path vm = store.createVmDir("sb6");
    Files.createSymbolicLink(vm.resolve("to-dir"), victim.dir());
    Files.createSymbolicLink(vm.resolve("to-file"), victim.file());
    Path sub = Files.createDirectories(vm.resolve("sub/deeper"));
    Files.createSymbolicLink(sub.resolve("to-dir"), victim.dir());
    Files.writeString(sub.resolve("qemu.log"), "log");
    mkfifo(vm.resolve("fifo"));
    assertThat(store.directoryExists(vm)).isTrue();
    store.removeTree(vm);
    assertThat(Files.exists(vm, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(store.directoryExists(vm)).isFalse();
    store.removeTree(vm); // nothing there: nothing to do
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThatThrownBy(() -> store.removeTree(tmp.resolve("victim")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not below the store's root " + root);
    assertThatThrownBy(() -> store.removeTree(root)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void itRemovesOnlyWhatItsOwnNamingSaysItCreated() throws Exception {
    SandboxState s = StoreSamples.sandbox("sb7", 1, 1);
    store.save(s, Map.of("old", StoreSamples.container("old", 1)));
    Path dir = root.resolve("sbs/sb7");
    Files.writeString(dir.resolve("old/extra.bin"), "not the store's");
    Path tempDir = Files.createDirectory(dir.resolve(".persist.json.tmp-0123"));
    Files.writeString(tempDir.resolve("inside"), "x");
    Path other = Files.writeString(dir.resolve(".other.tmp-0123"), "x");
    Path tempLink = Files.createSymbolicLink(dir.resolve(".persist.json.tmp-4567"), victim.file());
    Path notAnId = Files.createDirectory(dir.resolve(".not-an-id"));
    for (Path p : List.of(tempDir, other, tempLink)) {
      run("touch", "-h", "-d", "@" + (System.currentTimeMillis() / 1000 - 600), p.toString());
    }

    store.save(s, Map.of());

    assertThat(dir.resolve("old/persist.json")).doesNotExist();
    assertThat(dir.resolve("old/extra.bin")).hasContent("not the store's");
    assertThat(tempDir.resolve("inside")).exists();
    assertThat(other).exists();
    assertThat(Files.isSymbolicLink(tempLink)).isTrue();
    assertThat(notAnId).isDirectory();
    assertThat(store.load("sb7").containers()).isEmpty();

    store.destroy("sb7");
    assertThat(store.exists("sb7")).isFalse();
    assertThat(store.list()).isEmpty();
    try (var left = Files.walk(root.resolve("sbs"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .as("what the store did not create stays")
          .contains("extra.bin", "inside", ".other.tmp-0123", ".persist.json.tmp-4567")
          .doesNotContain("persist.json");
    }
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
  }

  private void assertRefused(ThrowingCallable op, Path path, String what) {
    assertThatThrownBy(op)
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("refusing " + path + ": " + what)
        .hasMessageContaining("owner uid 0")
        .hasMessageContaining("mode 0777")
        .satisfies(e -> assertThat(((UnsafePathException) e).path()).isEqualTo(path));
  }

  /** A directory 0755 (whatever the umask), as {@code mkdir -p} makes it under umask 022. */
  static Path mkdir(Path dir) throws Exception {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static void mkfifo(Path p) throws Exception {
    run("mkfifo", p.toString());
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as(String.join(" ", cmd))
        .isTrue();
  }
}
