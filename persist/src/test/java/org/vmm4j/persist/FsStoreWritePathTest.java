package org.vmm4j.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill cannot reveal a missing fsync (the page cache survives it); this shows, with a spy on the
 * file operations, that every write is: new temporary file in the same directory, write, fsync,
 * rename over the target, fsync of the directory, and that a failure leaves the old file.
 */
class FsStoreWritePathTest {
  @TempDir Path tmp;
  private RecordingFileOps ops;
  private FsStore store;

  @BeforeEach
  void setUp() {
    ops = new RecordingFileOps(tmp);
    store = new FsStore(tmp, ops);
  }

  @Test
  void savingAStateFileIsTempWriteFsyncRenameFsyncDirectory() {
    store.save(StoreSamples.sandbox("sb", 1, 1), Map.of("c", StoreSamples.container("c", 1)));
    List<String> calls = ops.calls();
    String cTmp = tempOf(calls, "sbs/sb/c/");
    String sTmp = tempOf(calls, "sbs/sb/");
    assertThat(calls)
        .containsSubsequence(
            "createDirectory sbs",
            "fsyncDirectory .",
            "createDirectory sbs/sb",
            "fsyncDirectory sbs",
            "createDirectory sbs/sb/c",
            "fsyncDirectory sbs/sb",
            "createNew " + cTmp,
            "write " + cTmp,
            "fsync " + cTmp,
            "rename " + cTmp + " sbs/sb/c/persist.json",
            "fsyncDirectory sbs/sb/c",
            "createNew " + sTmp,
            "write " + sTmp,
            "fsync " + sTmp,
            "rename " + sTmp + " sbs/sb/persist.json",
            "fsyncDirectory sbs/sb");
    // the last fsync of each temporary file comes after its last write and before its rename
    for (String t : List.of(cTmp, sTmp)) {
      assertThat(calls.lastIndexOf("fsync " + t)).isGreaterThan(calls.lastIndexOf("write " + t));
      assertThat(calls.indexOf("fsync " + t)).isLessThan(indexStarting(calls, "rename " + t));
    }
  }

  @Test
  void staleContainersAreRemovedOnlyAfterTheNewSandboxFileIsInPlace() {
    SandboxState s = StoreSamples.sandbox("sb", 1, 1);
    store.save(s, Map.of("old", StoreSamples.container("old", 1)));
    ops.clear();
    store.save(s, Map.of("new", StoreSamples.container("new", 1)));
    List<String> calls = ops.calls();
    int renamed = indexStarting(calls, "rename sbs/sb/.persist.json.tmp-");
    int removed = calls.indexOf("delete sbs/sb/old/persist.json");
    assertThat(renamed).isNotNegative();
    assertThat(removed).isGreaterThan(renamed);
    assertThat(calls.indexOf("delete sbs/sb/old")).isGreaterThan(removed);
    assertThat(calls.get(calls.size() - 1)).isEqualTo("fsyncDirectory sbs/sb");
  }

  @Test
  void aFailedFsyncRenamesNothingAndLeavesTheOldFile() throws Exception {
    SandboxState old = StoreSamples.sandbox("sb", 1, 1);
    store.save(old, Map.of());
    ops.clear();
    ops.failOn("fsync");
    assertThatThrownBy(() -> store.save(StoreSamples.sandbox("sb", 5, 1), Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("save sandbox sb:")
        .hasMessageContaining("injected failure of fsync");
    assertThat(ops.calls()).noneMatch(c -> c.startsWith("rename"));
    assertThat(store.load("sb").sandbox()).isEqualTo(old);
    try (Stream<Path> files = Files.list(tmp.resolve("sbs/sb"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("persist.json");
    }
  }

  @Test
  void globalWritesAndVmDirectoriesGoTheSameWay() {
    store.globalWrite("uuid/uuid.json", new byte[] {'{', '}'});
    List<String> calls = ops.calls();
    String t = tempOf(calls, "uuid/");
    assertThat(calls)
        .containsSubsequence(
            "createDirectory uuid",
            "fsyncDirectory .",
            "createNew " + t,
            "write " + t,
            "fsync " + t,
            "rename " + t + " uuid/uuid.json",
            "fsyncDirectory uuid");
  }

  private static String tempOf(List<String> calls, String dir) {
    return calls.stream()
        .filter(
            c ->
                c.startsWith("createNew " + dir + ".persist.json.tmp-")
                    || c.startsWith("createNew " + dir + ".uuid.json.tmp-"))
        .map(c -> c.substring("createNew ".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no temporary file in " + dir + ": " + calls));
  }

  private static int indexStarting(List<String> calls, String prefix) {
    for (int i = 0; i < calls.size(); i++) {
      if (calls.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }
}
