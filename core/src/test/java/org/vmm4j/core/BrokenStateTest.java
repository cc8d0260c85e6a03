package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.api.SandboxSummary;
import org.vmm4j.core.api.StateException;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.UnsafePathException;
import org.vmm4j.testing.persist.SampleStates;

/**
 * One sandbox whose {@code persist.json} cannot be read next to one that is whole: {@link
 * Sandbox#list} lists both, the broken one {@link SandboxSummary#BROKEN} with the reason naming its
 * file; {@link Sandbox#delete(FsStore, String, SandboxOptions)} removes the broken one (state, VM
 * and shared directories) and stops the QEMU its pid file names when that process's command line is
 * the sandbox's, and leaves the other one as it was. A broken sandbox whose VM directory is a link
 * is refused with nothing removed.
 */
class BrokenStateTest {
  static final String GOOD = "ok1";
  static final String BAD = "bad1";

  @TempDir Path tmp;
  FsStore store;
  Path badFile;
  byte[] goodBytes;
  Process fake;

  @BeforeEach
  void twoSandboxes() throws IOException {
    store = new FsStore(tmp.resolve("store"));
    store.save(SampleStates.sandbox(GOOD, 1, 0), Map.of());
    store.save(SampleStates.sandbox(BAD, 2, 1), Map.of());
    goodBytes = Files.readAllBytes(stateFile(GOOD));
    badFile = stateFile(BAD);
  }

  @AfterEach
  void killFake() {
    if (fake != null) {
      fake.destroyForcibly();
    }
  }

  private Path stateFile(String id) {
    return store.sandboxDir(id).resolve(FsStore.STATE_FILE);
  }

  private SandboxPaths paths(String id) {
    return SandboxPaths.under(store.root(), id);
  }

  /** The VM and shared directories a running sandbox has. */
  private void makeDirectories(String id) {
    store.createVmDir(id);
    store.createDirectories(paths(id).sharedDir());
  }

  @Test
  void listMarksTheBrokenOneAndListsTheOther() throws IOException {
    byte[] whole = Files.readAllBytes(badFile);
    for (Map.Entry<String, byte[]> c : CorruptStateTest.corruptions(whole).entrySet()) {
      Files.write(badFile, c.getValue());
      List<SandboxSummary> all = Sandbox.list(store);
      assertThat(all).as(c.getKey()).hasSize(2);
      SandboxSummary bad = all.get(0);
      assertThat(bad.id()).isEqualTo(BAD);
      assertThat(bad.state()).as(c.getKey()).isEqualTo(SandboxSummary.BROKEN);
      assertThat(bad.isBroken()).isTrue();
      assertThat(bad.pid()).isZero();
      assertThat(bad.problem()).as(c.getKey()).startsWith(badFile + ": $");
      // recorded running, its (sample) QEMU not there
      long pid = store.load(GOOD).sandbox().hypervisorState().pid();
      assertThat(all.get(1)).isEqualTo(new SandboxSummary(GOOD, SandboxSummary.EXITED, pid, ""));
      assertThat(Files.readAllBytes(badFile)).as("list writes nothing").isEqualTo(c.getValue());
    }
  }

  @Test
  void deleteRemovesABrokenSandboxAndLeavesTheOther() throws IOException {
    byte[] whole = Files.readAllBytes(badFile);
    for (Map.Entry<String, byte[]> c : CorruptStateTest.corruptions(whole).entrySet()) {
      store.save(SampleStates.sandbox(BAD, 2, 1), Map.of());
      makeDirectories(BAD);
      makeDirectories(GOOD);
      Files.write(badFile, c.getValue());

      Sandbox.delete(store, BAD, SandboxOptions.defaults());

      assertThat(store.sandboxDir(BAD)).as(c.getKey()).doesNotExist();
      assertThat(paths(BAD).vmDir()).as(c.getKey()).doesNotExist();
      assertThat(paths(BAD).sharedDir().getParent()).as(c.getKey()).doesNotExist();
      assertThat(Files.readAllBytes(stateFile(GOOD))).isEqualTo(goodBytes);
      assertThat(paths(GOOD).vmDir()).isDirectory();
      assertThat(paths(GOOD).sharedDir()).isDirectory();
      assertThat(Sandbox.list(store)).extracting(SandboxSummary::id).containsExactly(GOOD);
    }
  }

  @Test
  void deleteStopsTheQemuThePidFileNamesWhenItIsTheSandboxs() throws Exception {
    makeDirectories(BAD);
    fake = fakeQemu(BAD, paths(BAD).pidFile());
    Files.writeString(paths(BAD).pidFile(), fake.pid() + "\n");
    Files.write(badFile, new byte[] {'{'});

    Sandbox.delete(store, BAD, SandboxOptions.defaults());

    assertThat(fake.waitFor(10, TimeUnit.SECONDS)).as("the sandbox's QEMU was stopped").isTrue();
    assertThat(store.sandboxDir(BAD)).doesNotExist();
    assertThat(paths(BAD).vmDir()).doesNotExist();
  }

  @Test
  void deleteLeavesAProcessWhoseCommandLineIsNotTheSandboxs() throws Exception {
    makeDirectories(BAD);
    // the same -name, another -pidfile: not the QEMU of this store's sandbox
    fake = fakeQemu(BAD, tmp.resolve("elsewhere/pid"));
    Files.writeString(paths(BAD).pidFile(), Long.toString(fake.pid()));
    Files.write(badFile, new byte[0]);

    Sandbox.delete(store, BAD, SandboxOptions.defaults());

    assertThat(fake.isAlive()).isTrue();
    assertThat(store.sandboxDir(BAD)).doesNotExist();
    assertThat(paths(BAD).vmDir()).doesNotExist();
  }

  @Test
  void aBrokenSandboxWhoseVmDirectoryIsALinkIsRefusedWithNothingRemoved() throws IOException {
    Path victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("keep"), "x");
    Files.createDirectories(store.root().resolve("vm"));
    Files.createSymbolicLink(paths(BAD).vmDir(), victim);
    Files.write(badFile, new byte[] {'['});

    assertThatThrownBy(() -> Sandbox.delete(store, BAD, SandboxOptions.defaults()))
        .isInstanceOf(StateException.class)
        .hasCauseInstanceOf(UnsafePathException.class)
        .hasMessageContaining("refusing " + paths(BAD).vmDir());

    assertThat(Files.readAllBytes(badFile)).containsExactly('[');
    assertThat(Files.isSymbolicLink(paths(BAD).vmDir())).isTrue();
    assertThat(victim.resolve("keep")).hasContent("x");
  }

  /**
   * A process whose command line has QEMU's {@code -name sandbox-<id>} and {@code -pidfile}: a
   * shell looping on {@code sleep 1} (it dies on SIGTERM).
   */
  private static Process fakeQemu(String id, Path pidFile) throws IOException {
    return new ProcessBuilder(
            "sh",
            "-c",
            "while :; do sleep 1; done",
            "sh",
            "-name",
            "sandbox-" + id,
            "-pidfile",
            pidFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }
}
