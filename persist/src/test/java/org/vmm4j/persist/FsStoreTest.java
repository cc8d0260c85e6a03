package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsStoreTest {
  @TempDir Path tmp;

  private FsStore store() {
    return new FsStore(tmp.resolve("vc"));
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void savesInKataLayoutAndLoadsBothSandboxAndContainers() throws IOException {
    FsStore store = store();
    SandboxState s = StoreSamples.sandbox("sb-1", 3, 2);
    Map<String, ContainerState> cs =
        Map.of("sb-1", StoreSamples.container("sb-1", 1), "c2", StoreSamples.container("c2", 2));
    store.save(s, cs);
    Path sbs = tmp.resolve("vc/sbs");
    assertThat(Files.readAllBytes(sbs.resolve("sb-1/persist.json")))
        .isEqualTo(PersistCodec.encode(s));
    assertThat(Files.readAllBytes(sbs.resolve("sb-1/c2/persist.json")))
        .isEqualTo(PersistCodec.encode(cs.get("c2")));
    StoredSandbox loaded = store.load("sb-1");
    assertThat(loaded.sandbox()).isEqualTo(s);
    assertThat(loaded.containers()).isEqualTo(cs);
    assertThat(loaded.containers().keySet()).containsExactly("c2", "sb-1");
    assertThat(store.list()).containsExactly("sb-1");
    assertThat(store.exists("sb-1")).isTrue();
    assertThat(store.vmDir("sb-1")).isEqualTo(tmp.resolve("vc/vm/sb-1"));
    assertThat(store.sandboxDir("sb-1")).isEqualTo(sbs.resolve("sb-1"));
    try (Stream<Path> files = Files.list(sbs.resolve("sb-1"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("persist.json", "sb-1", "c2");
    }
  }

  @Test
  void filesAre0600AndCreatedDirectories0700() throws IOException {
    FsStore store = store();
    store.save(StoreSamples.sandbox("m", 1, 1), Map.of("c", StoreSamples.container("c", 0)));
    store.globalWrite("uuid/uuid.json", "{}".getBytes(UTF_8));
    store.createVmDir("m");
    for (String d :
        List.of("vc", "vc/sbs", "vc/sbs/m", "vc/sbs/m/c", "vc/uuid", "vc/vm", "vc/vm/m")) {
      assertThat(mode(tmp.resolve(d))).as(d).isEqualTo("rwx------");
    }
    for (String f :
        List.of("vc/sbs/m/persist.json", "vc/sbs/m/c/persist.json", "vc/uuid/uuid.json")) {
      assertThat(mode(tmp.resolve(f))).as(f).isEqualTo("rw-------");
    }
    try (StoreLock l = store.lock("m", true)) {
      assertThat(mode(tmp.resolve("vc/locks/m.lock"))).isEqualTo("rw-------");
    }
  }

  @Test
  void removesContainerDirectoriesTheNewStateNoLongerHas() throws IOException {
    FsStore store = store();
    SandboxState s = StoreSamples.sandbox("sb", 1, 1);
    store.save(s, Map.of("a", StoreSamples.container("a", 1), "b", StoreSamples.container("b", 1)));
    store.save(s, Map.of("b", StoreSamples.container("b", 2)));
    assertThat(Files.exists(tmp.resolve("vc/sbs/sb/a"))).isFalse();
    assertThat(store.load("sb").containers()).containsOnlyKeys("b");
    assertThat(store.load("sb").containers().get("b")).isEqualTo(StoreSamples.container("b", 2));
    store.save(s, null);
    assertThat(store.load("sb").containers()).isEmpty();
  }

  @Test
  void skipsContainerDirectoriesWithoutStateAsKataDoes() throws IOException {
    FsStore store = store();
    store.save(StoreSamples.sandbox("sb", 1, 1), Map.of());
    Files.createDirectory(tmp.resolve("vc/sbs/sb/empty"));
    assertThat(store.load("sb").containers()).isEmpty();
  }

  @Test
  void aCorruptFileIsAClearErrorAndNothingIsOverwritten() throws IOException {
    FsStore store = store();
    store.save(StoreSamples.sandbox("sb", 2, 1), Map.of("c", StoreSamples.container("c", 1)));
    Path file = tmp.resolve("vc/sbs/sb/persist.json");
    byte[] whole = Files.readAllBytes(file);
    byte[] truncated = Arrays.copyOf(whole, whole.length / 3);
    Files.write(file, truncated);
    assertThatThrownBy(() -> store.load("sb"))
        .isInstanceOf(StateFormatException.class)
        .hasMessageStartingWith(file + ": $.")
        .hasMessageContaining("malformed JSON");
    assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
    Path cfile = tmp.resolve("vc/sbs/sb/c/persist.json");
    Files.write(file, whole);
    Files.write(cfile, "{\"State\":1}\n".getBytes(UTF_8));
    assertThatThrownBy(() -> store.load("sb"))
        .hasMessage(cfile + ": $.State: expected a string, found number 1");
    assertThat(Files.readAllBytes(cfile)).isEqualTo("{\"State\":1}\n".getBytes(UTF_8));
  }

  @Test
  void aStateThatCannotBeEncodedWritesNothing() throws IOException {
    FsStore store = store();
    SandboxState good = StoreSamples.sandbox("sb", 1, 1);
    store.save(good, Map.of());
    SandboxState bad = good.toBuilder().guestMemoryBlockSizeMb(-1).build();
    assertThatThrownBy(() -> store.save(bad, Map.of("new", StoreSamples.container("new", 0))))
        .isInstanceOf(StateFormatException.class)
        .hasMessageContaining("$.GuestMemoryBlockSizeMB");
    assertThat(store.load("sb").sandbox()).isEqualTo(good);
    assertThat(Files.exists(tmp.resolve("vc/sbs/sb/new"))).isFalse();
  }

  @Test
  void loadOfAnUnknownSandboxIsNotFound() {
    assertThatThrownBy(() -> store().load("nope"))
        .isInstanceOf(StateNotFoundException.class)
        .hasMessageContaining(
            "load sandbox nope: no state at " + tmp.resolve("vc/sbs/nope/persist.json"));
    assertThat(store().list()).isEmpty();
  }

  @Test
  void destroyRemovesEverythingOfTheSandboxOnly() {
    FsStore store = store();
    store.save(StoreSamples.sandbox("a", 1, 1), Map.of("c", StoreSamples.container("c", 1)));
    store.save(StoreSamples.sandbox("b", 1, 1), Map.of());
    store.destroy("a");
    assertThat(store.list()).containsExactly("b");
    assertThat(Files.exists(tmp.resolve("vc/sbs/a"))).isFalse();
    try (Stream<Path> left = Files.list(tmp.resolve("vc/sbs"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("b");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    store.destroy("a"); // nothing left: no error
    store().destroy("never-existed");
  }

  @Test
  void idsAndRelativePathsAreCheckedBeforeTouchingTheFileSystem() throws IOException {
    FsStore store = store();
    for (String bad : List.of("", "../x", ".hidden", "a/b", "-a", "a b", "x".repeat(129), "ä")) {
      assertThatThrownBy(() -> store.save(StoreSamples.sandbox(bad, 1, 1), Map.of()))
          .as(bad)
          .isInstanceOf(InvalidNameException.class)
          .hasMessageContaining("invalid sandbox id");
      assertThatThrownBy(() -> store.load(bad)).isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> store.destroy(bad)).isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> store.lock(bad, true)).isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> store.vmDir(bad)).isInstanceOf(InvalidNameException.class);
    }
    assertThat(Ids.isValidId("x".repeat(128))).isTrue();
    assertThat(Ids.isValidId("A.b_c-9")).isTrue();
    assertThatThrownBy(
            () ->
                store.save(
                    StoreSamples.sandbox("ok", 1, 1),
                    Map.of("../c", StoreSamples.container("c", 1))))
        .isInstanceOf(InvalidNameException.class)
        .hasMessage("invalid container id \"../c\": must match " + Ids.ID_PATTERN);
    for (String bad : List.of("../../etc/x", "/etc/x", "a//b", "a/./b", "a/", "", "a/..", "a\0b")) {
      assertThatThrownBy(() -> store.globalWrite(bad, new byte[] {1}))
          .as(bad)
          .isInstanceOf(InvalidNameException.class);
      assertThatThrownBy(() -> store.globalRead(bad)).isInstanceOf(InvalidNameException.class);
    }
    assertThat(Files.exists(tmp.resolve("vc"))).isFalse();
    assertThat(Files.exists(tmp.resolve("etc"))).isFalse();
    store.globalWrite("uuid/uuid.json", "{\"a\":1}".getBytes(UTF_8));
    assertThat(store.globalRead("uuid/uuid.json")).isEqualTo("{\"a\":1}".getBytes(UTF_8));
    store.globalWrite(
        "uuid/uuid.json", "{}".getBytes(UTF_8)); // shorter: no stale tail (Kata's quirk)
    assertThat(store.globalRead("uuid/uuid.json")).isEqualTo("{}".getBytes(UTF_8));
    assertThatThrownBy(() -> store.globalRead("uuid/none.json"))
        .isInstanceOf(StateNotFoundException.class);
  }

  @Test
  void saveNeedsTheSandboxIdInSandboxContainerAsKata() {
    assertThatThrownBy(() -> store().save(SandboxState.builder().build(), Map.of()))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("invalid sandbox id \"\"");
  }

  @Test
  void removesTemporaryFilesThatACrashLeftBehind() throws IOException {
    FsStore store = store();
    store.save(StoreSamples.sandbox("sb", 1, 1), Map.of());
    Path old = tmp.resolve("vc/sbs/sb/.persist.json.tmp-0123");
    Path fresh = tmp.resolve("vc/sbs/sb/.persist.json.tmp-4567");
    Files.write(old, new byte[] {'{'});
    Files.write(fresh, new byte[] {'{'});
    Files.setLastModifiedTime(
        old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
    store.save(StoreSamples.sandbox("sb", 2, 1), Map.of());
    assertThat(Files.exists(old)).isFalse();
    assertThat(Files.exists(fresh))
        .as("a temp file younger than a minute may be a live writer's")
        .isTrue();
  }

  @Test
  void defaultRootIsKatasAndRootlessAware() {
    assertThat(FsStore.defaultRoot(Map.of(), 0, false)).isEqualTo(Path.of("/run/vc"));
    assertThat(FsStore.defaultRoot(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), 1000, false))
        .isEqualTo(Path.of("/run/user/1000/run/vc"));
    assertThat(FsStore.defaultRoot(Map.of(), 1000, false))
        .isEqualTo(Path.of("/run/user/1000/run/vc"));
    assertThat(FsStore.defaultRoot(Map.of("XDG_RUNTIME_DIR", "/x"), 0, true))
        .isEqualTo(Path.of("/x/run/vc"));
    assertThat(Rootless.effectiveUid()).isGreaterThanOrEqualTo(0);
  }
}
