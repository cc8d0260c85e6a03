package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.persist.SampleStates;
import tools.jackson.databind.JsonNode;

/**
 * A state root with one whole sandbox and one whose {@code persist.json} is truncated: {@code vmm4j
 * list} lists both and exits 0, the truncated one as {@code ID broken 0 REASON} (one line, its file
 * named within the sandbox's directory); {@code list --json} gives the reason as {@code problem};
 * {@code vmm4j delete ID} removes the truncated one (state, VM and shared directories) and exits 0,
 * leaving the other as it was.
 */
class BrokenStateCliTest {
  static final String GOOD = "ok1";
  static final String BAD = "bad1";

  @TempDir Path root;
  FsStore store;
  Path badFile;
  byte[] goodBytes;

  @BeforeEach
  void twoSandboxes() throws Exception {
    store = new FsStore(root);
    for (String id : new String[] {GOOD, BAD}) {
      store.save(SampleStates.sandbox(id, 1, 0), Map.of());
      store.createVmDir(id);
      store.createDirectories(SandboxPaths.under(store.root(), id).sharedDir());
    }
    goodBytes = Files.readAllBytes(store.sandboxDir(GOOD).resolve(FsStore.STATE_FILE));
    badFile = store.sandboxDir(BAD).resolve(FsStore.STATE_FILE);
    byte[] whole = Files.readAllBytes(badFile);
    Files.write(badFile, Arrays.copyOf(whole, whole.length / 3));
  }

  @Test
  void listShowsBothAndMarksTheTruncatedOne() {
    CliRun r = CliRun.in(root, "list");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    String[] lines = r.out().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .startsWith(BAD + " broken 0 persist.json: $")
        .contains("malformed JSON at line 1 column")
        .doesNotContain(root.toString());
    long pid = store.load(GOOD).sandbox().hypervisorState().pid();
    assertThat(lines[1]).isEqualTo(GOOD + " exited " + pid);
  }

  @Test
  void listJsonGivesTheReasonAsProblem() {
    CliRun r = CliRun.in(root, "list", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode a = CliJson.MAPPER.readTree(r.out());
    assertThat(a.size()).isEqualTo(2);
    assertThat(a.get(0).get("id").asString()).isEqualTo(BAD);
    assertThat(a.get(0).get("state").asString()).isEqualTo("broken");
    assertThat(a.get(0).get("pid").asLong()).isZero();
    assertThat(a.get(0).get("problem").asString()).startsWith(badFile + ": $");
    assertThat(a.get(1).get("id").asString()).isEqualTo(GOOD);
    assertThat(a.get(1).has("problem")).isFalse();
  }

  @Test
  void deleteRemovesTheTruncatedOneAndLeavesTheOther() throws Exception {
    CliRun r = CliRun.in(root, "delete", BAD);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    SandboxPaths bad = SandboxPaths.under(store.root(), BAD);
    assertThat(store.sandboxDir(BAD)).doesNotExist();
    assertThat(bad.vmDir()).doesNotExist();
    assertThat(bad.sharedDir().getParent()).doesNotExist();
    SandboxPaths good = SandboxPaths.under(store.root(), GOOD);
    assertThat(Files.readAllBytes(store.sandboxDir(GOOD).resolve(FsStore.STATE_FILE)))
        .isEqualTo(goodBytes);
    assertThat(good.vmDir()).isDirectory();
    assertThat(good.sharedDir()).isDirectory();
    CliRun list = CliRun.in(root, "list");
    assertThat(list.exitCode()).isZero();
    assertThat(list.out()).startsWith(GOOD + " ").doesNotContain(BAD);
  }
}
