package org.vmm4j.cli;

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
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.files.SpecialFiles;
import org.vmm4j.testing.persist.SampleStates;

/**
 * Inputs that are not regular files, or are too large: a FIFO, a link to {@code /dev/zero} or
 * {@code /dev/urandom}, a sparse file of 2 GiB given as {@code run --config}, {@code state --file}
 * or {@code hotplug block --file} are bad input: exit 2 at once, one line naming the operation, the
 * path and what it is, no stack trace. A sandbox whose own {@code persist.json} is a FIFO fails
 * {@code state} and {@code list} the same way (exit 1: the store is not the caller's input). Every
 * command runs under a deadline, so that a blocking open or an endless read fails the test.
 */
class NonRegularInputsCliTest {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path tmp;
  Path dir;
  Path root;

  @BeforeEach
  void dirs() throws IOException {
    dir = tmp.toRealPath();
    root = dir.resolve("root");
  }

  private CliRun cli(String... args) {
    return assertTimeoutPreemptively(DEADLINE, () -> CliRun.in(root, args));
  }

  private static void assertOneLine(CliRun r, int exit, String err) {
    assertThat(r.exitCode()).as(r.err()).isEqualTo(exit);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo(err + "\n");
  }

  @Test
  void aConfigThatIsAFifoOrADeviceIsBadInput() throws IOException {
    Path fifo = SpecialFiles.fifo(dir.resolve("fifo.json"));
    assertOneLine(
        cli("run", "--config", fifo.toString()),
        2,
        "vmm4j run: --config " + fifo + ": not a regular file (a FIFO)");
    Path zero = SpecialFiles.link(dir.resolve("zero.json"), SpecialFiles.DEV_ZERO);
    assertOneLine(
        cli("run", "--config", zero.toString()),
        2,
        "vmm4j run: --config " + zero + ": not a regular file (a character device, /dev/zero)");
    Path random = SpecialFiles.link(dir.resolve("random.toml"), Path.of("/dev/urandom"));
    assertOneLine(
        cli("run", "--config", random.toString()),
        2,
        "vmm4j run: --config "
            + random
            + ": not a regular file (a character device, /dev/urandom)");
  }

  @Test
  void aConfigOver1MibIsBadInput() throws IOException {
    Path big = SpecialFiles.sparse(dir.resolve("big.json"), 2L * 1024 * 1024 * 1024);
    assertOneLine(
        cli("run", "--config", big.toString()),
        2,
        "vmm4j run: --config " + big + ": 2147483648 bytes, more than the 1 MiB a config may have");
  }

  @Test
  void aStateFileThatIsADeviceAFifoOrOver16MibIsBadInput() throws IOException {
    assertOneLine(
        cli("state", "--file", "/dev/zero"),
        2,
        "vmm4j state: /dev/zero: not a regular file (a character device)");
    Path fifo = SpecialFiles.fifo(dir.resolve("persist.json"));
    assertOneLine(
        cli("state", "--file", fifo.toString()),
        2,
        "vmm4j state: " + fifo + ": not a regular file (a FIFO)");
    Path big = SpecialFiles.sparse(dir.resolve("big.json"), 16L * 1024 * 1024 + 1);
    assertOneLine(
        cli("state", "--file", big.toString()),
        2,
        "vmm4j state: " + big + ": 16777217 bytes, more than the 16 MiB a state file may have");
  }

  @Test
  void aDiskThatIsAFifoOrACharacterDeviceIsBadInput() throws IOException {
    Path fifo = SpecialFiles.fifo(dir.resolve("disk.raw"));
    assertOneLine(
        cli("hotplug", "sb1", "block", "--file", fifo.toString(), "--readonly"),
        2,
        "vmm4j hotplug sb1 block: --file "
            + fifo
            + ": not a regular file or block device (a FIFO)");
    assertOneLine(
        cli("hotplug", "sb1", "block", "--file", "/dev/zero"),
        2,
        "vmm4j hotplug sb1 block: --file /dev/zero: not a regular file or block device"
            + " (a character device)");
  }

  @Test
  void aSandboxWhosePersistJsonIsAFifoFailsStateAndListAtOnce() throws IOException {
    FsStore store = new FsStore(root);
    store.save(SampleStates.sandbox("sb1", 0, 0), Map.of());
    Path file = store.sandboxDir("sb1").resolve(FsStore.STATE_FILE);
    Files.delete(file);
    SpecialFiles.fifo(file);
    // the store refuses what it did not make before anything opens it: a refusal of the state
    // root, exit 2 naming the path, owner and mode; list leaves that sandbox out
    assertOneLine(
        cli("state", "sb1"),
        2,
        "vmm4j state: load sandbox sb1: refusing "
            + file
            + ": a fifo (owner uid 0, mode 0644), not a regular file");
    CliRun list = cli("list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).doesNotContain("sb1");
  }
}
