package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.SampleStates;

/**
 * The sandbox commands' contract without QEMU: exit codes, one-line errors naming the operation and
 * the value, and what they do with states whose QEMU is gone.
 */
class SandboxCommandsTest {
  @TempDir Path root;
  FsStore store;

  @BeforeEach
  void setUp() {
    store = new FsStore(root);
  }

  private CliRun cli(String... args) {
    return CliRun.in(root, args);
  }

  /** A "running" state whose QEMU pid belongs to a process that has exited. */
  private void saveRunningWithDeadQemu(String id) throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    SandboxState s = SampleStates.sandbox(id, 0, 0);
    s =
        s.toBuilder()
            .state("running")
            .hypervisorState(s.hypervisorState().toBuilder().pid(p.pid()).build())
            .agentState(new AgentState(p.pid(), "/x/kata.sock"))
            .build();
    store.save(s, Map.of());
    Files.createDirectories(store.vmDir(id));
  }

  @Test
  void runRefusesBadInputWithExit2() throws Exception {
    Path cfg = Files.writeString(root.resolve("c.json"), "{\"NoSuchField\":1}");
    CliRun bad = cli("run", "--config", cfg.toString(), "--id", "x1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .startsWith("vmm4j run: start sandbox x1: ")
        .contains("NoSuchField")
        .hasLineCount(1);
    assertThat(cli("run", "--config", root.resolve("missing.toml").toString()).exitCode())
        .isEqualTo(2);
    CliRun empty = cli("run", "--config", cfg.toString(), "--id", "");
    assertThat(empty.exitCode()).isEqualTo(2);
    assertThat(empty.err()).contains("invalid sandbox id \"\"");
    assertThat(cli("run", "--config", cfg.toString(), "--id", "a/b").exitCode()).isEqualTo(2);
    CliRun netns = cli("run", "--config", cfg.toString(), "--id", "n1", "--netns", "no-such-ns");
    assertThat(netns.exitCode()).isEqualTo(2);
    assertThat(netns.err()).contains("--netns no-such-ns: no network namespace at");
    assertThat(cli("run").exitCode()).isEqualTo(2);
    assertThat(root.resolve("vm")).doesNotExist();
  }

  @Test
  void unknownSandboxesAreExit1() {
    for (String cmd : new String[] {"stop", "delete"}) {
      CliRun r = cli(cmd, "nope");
      assertThat(r.exitCode()).as(cmd).isEqualTo(1);
      assertThat(r.err()).as(cmd).startsWith("vmm4j " + cmd + " nope: no such sandbox");
    }
    CliRun q = cli("qmp", "nope", "query-status");
    assertThat(q.exitCode()).isEqualTo(1);
    assertThat(q.err()).startsWith("vmm4j qmp nope: ");
    assertThat(cli("stop", "bad/id").exitCode()).isEqualTo(2);
    assertThat(cli("qmp", "bad/id", "query-status").exitCode()).isEqualTo(2);
  }

  @Test
  void verboseNamesEachCauseOnceAndNoneTheMessageAlreadySaid() {
    CliRun r = CliRun.of("--verbose", "--root", root.toString(), "stop", "nope");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().lines().toList())
        .first()
        .asString()
        .startsWith("vmm4j stop nope: no such sandbox (lock sandbox nope: no state at ");
    assertThat(r.err()).doesNotContain("caused by: lock sandbox nope");
  }

  @Test
  void listShowsIdStatePidAndARecordedRunningSandboxWithoutQemuAsExited() throws Exception {
    assertThat(cli("list").out()).isEmpty();
    saveRunningWithDeadQemu("b1");
    store.save(SampleStates.sandbox("a1", 0, 0).toBuilder().state("stopped").build(), Map.of());
    long pid = store.load("b1").sandbox().hypervisorState().pid();
    CliRun r = cli("list");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            "a1 stopped "
                + store.load("a1").sandbox().hypervisorState().pid()
                + "\nb1 exited "
                + pid
                + "\n");
    assertThat(cli("list", "--json").out())
        .contains("{\"id\":\"b1\",\"state\":\"exited\",\"pid\":" + pid + "}");
  }

  @Test
  void stopOfAGoneQemuRecordsTheStopAndIsExit0EvenTwice() throws Exception {
    saveRunningWithDeadQemu("gone");
    assertThat(cli("stop", "gone").exitCode()).isZero();
    SandboxState s = store.load("gone").sandbox();
    assertThat(s.state()).isEqualTo("stopped");
    assertThat(s.agentState()).isEqualTo(new AgentState(-1, ""));
    assertThat(store.vmDir("gone")).doesNotExist();
    assertThat(cli("stop", "gone").exitCode()).isZero();
    CliRun q = cli("qmp", "gone", "query-status");
    assertThat(q.exitCode()).isEqualTo(1);
    assertThat(q.err()).contains("sandbox gone is stopped, not running");
    assertThat(cli("delete", "gone").exitCode()).isZero();
    assertThat(store.exists("gone")).isFalse();
    assertThat(cli("delete", "gone").exitCode()).isEqualTo(1);
  }

  @Test
  void deleteRemovesAVmDirectoryLeftWithoutState() throws Exception {
    Files.createDirectories(store.vmDir("half"));
    Files.writeString(store.vmDir("half").resolve("pid"), "999999999\n");
    assertThat(cli("delete", "half").exitCode()).isZero();
    assertThat(store.vmDir("half")).doesNotExist();
  }
}
