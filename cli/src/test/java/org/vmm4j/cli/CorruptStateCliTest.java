package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.SampleStates;

/**
 * {@code vmm4j state|hotplug|unplug|stop|qmp ID} on a sandbox whose {@code persist.json} is
 * truncated, garbage, valid JSON of the wrong shape, or empty: exit 1 (the operation failed: the
 * file is the store's, not the caller's input; {@code state --file} is the command that checks a
 * given file, exit 2), one line on stderr naming the command, the file and what is wrong, and the
 * file's bytes unchanged; the VM directory stays and nothing is plugged. ({@code list} marks such a
 * sandbox broken and {@code delete} removes it: {@link BrokenStateCliTest}.)
 */
class CorruptStateCliTest {
  static final String ID = "cc1";

  @TempDir Path root;
  FsStore store;
  Path file;
  Path disk;
  byte[] good;

  @BeforeEach
  void setUp() throws Exception {
    store = new FsStore(root);
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    SandboxState s = SampleStates.sandbox(ID, 1, 0);
    s =
        s.toBuilder()
            .hypervisorState(s.hypervisorState().toBuilder().pid(p.pid()).build())
            .agentState(new AgentState(p.pid(), "/x/kata.sock"))
            .build();
    store.save(s, Map.of());
    Files.createDirectories(store.vmDir(ID));
    file = store.sandboxDir(ID).resolve(FsStore.STATE_FILE);
    good = Files.readAllBytes(file);
    disk = root.resolve("d.raw");
    try (RandomAccessFile r = new RandomAccessFile(disk.toFile(), "rw")) {
      r.setLength(1 << 20);
    }
  }

  static Map<String, byte[]> corruptions(byte[] good) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    int lastBrace = new String(good, StandardCharsets.ISO_8859_1).lastIndexOf('}');
    for (int cut : new int[] {1, good.length / 3, lastBrace}) {
      m.put("truncated at " + cut, Arrays.copyOf(good, cut));
    }
    byte[] garbage = new byte[256];
    new Random(7).nextBytes(garbage);
    m.put("garbage", garbage);
    m.put("empty", new byte[0]);
    m.put("an array", "[]".getBytes(StandardCharsets.UTF_8));
    m.put("State a number", "{\"State\":5}".getBytes(StandardCharsets.UTF_8));
    return m;
  }

  private CliRun cli(String... args) {
    return CliRun.in(root, args);
  }

  @Test
  void everySandboxCommandFailsNamingTheFileAndLeavesItsBytes() throws Exception {
    String deviceId = store.load(ID).sandbox().devices().get(0).id();
    List<List<String>> commands =
        List.of(
            List.of("state", ID),
            List.of("hotplug", ID, "block", "--file", disk.toString()),
            List.of("unplug", ID, deviceId),
            List.of("stop", ID),
            List.of("qmp", ID, "query-status"));
    for (Map.Entry<String, byte[]> c : corruptions(good).entrySet()) {
      Files.write(file, c.getValue());
      for (List<String> cmd : commands) {
        String what = c.getKey() + ": vmm4j " + String.join(" ", cmd);
        CliRun r = cli(cmd.toArray(String[]::new));
        assertThat(r.exitCode()).as(what + " -> " + r.err()).isEqualTo(1);
        assertThat(r.err())
            .as(what)
            .startsWith("vmm4j " + cmd.get(0))
            .contains(file.toString())
            .hasLineCount(1);
        assertThat(r.out()).as(what).isEmpty();
        assertThat(Files.readAllBytes(file))
            .as(what + ": the file's bytes")
            .isEqualTo(c.getValue());
        assertThat(store.vmDir(ID)).as(what).isDirectory();
      }
    }
    // the file put back, the sandbox is whole again
    Files.write(file, good);
    assertThat(cli("state", ID).exitCode()).isZero();
  }

  @Test
  void theErrorSaysWhatIsWrong() throws Exception {
    Files.write(file, Arrays.copyOf(good, good.length / 3));
    assertThat(cli("stop", ID).err())
        .startsWith("vmm4j stop " + ID + ": " + file + ": $")
        .contains("malformed JSON at line 1 column");
    Files.write(file, new byte[0]);
    assertThat(cli("stop", ID).err())
        .isEqualTo("vmm4j stop " + ID + ": " + file + ": $: no JSON value (empty document)\n");
    Files.write(file, "{\"State\":5}".getBytes(StandardCharsets.UTF_8));
    assertThat(cli("stop", ID).err())
        .isEqualTo(
            "vmm4j stop " + ID + ": " + file + ": $.State: expected a string, found number 5\n");
    Files.write(file, "[]".getBytes(StandardCharsets.UTF_8));
    assertThat(cli("hotplug", ID, "block", "--file", disk.toString()).err())
        .isEqualTo(
            "vmm4j hotplug "
                + ID
                + " block: "
                + file
                + ": $: expected an object (Go SandboxState), found an array\n");
  }
}
