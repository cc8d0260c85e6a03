package org.vmm4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testguest.TestGuest;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The embedding example end to end against a real QEMU (q35 under TCG): its output, and the state
 * it leaves at each step. In-process with a JSON config naming the halting kernel (a running QEMU
 * without a guest OS; native PCIe hotplug, so a disk on the pci-bridge's SHPC slot leaves at once),
 * where each step's line lets the test read {@code persist.json} as that step left it; then {@code
 * main} in a JVM of its own with the config built for the test guest; then its error handling.
 */
class EmbeddingExampleIT {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final String ID = EmbeddingExample.SANDBOX_ID;
  static final String SECOND = SecondJvm.PREFIX;
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** The example's step lines after which the test reads the state. */
  static final List<String> STEPS = List.of("plugged: ", "second JVM exited", "stopped: ");

  static final Pattern STARTED =
      Pattern.compile("started: sandbox " + ID + ", QEMU pid (\\d+), TCG");

  static final Pattern PLUGGED =
      Pattern.compile(
          "plugged: block (\\S+) pci-path=(\\d\\d/\\d\\d) qemu-device=(\\S+) \\{.*file=([^,}]+).*");

  Path dir;
  FsStore store;

  @BeforeEach
  void dirs() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-example");
    store = new FsStore(dir.resolve("root"));
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (store.exists(ID) || Files.exists(store.vmDir(ID))) {
      Sandbox.delete(store, ID, EmbeddingExample.OPTIONS); // a failed test's sandbox
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void theLifeCycleFromAJsonConfigAcrossTwoJvms() throws Exception {
    assumeTrue(Files.isExecutable(QEMU), "QEMU is not installed: no " + QEMU);
    Map<String, JsonNode> states = new ConcurrentHashMap<>();
    Lines out =
        new Lines(
            line ->
                STEPS.stream().filter(line::startsWith).forEach(s -> states.put(s, persisted())));
    Lines err = new Lines();
    String[] args = {store.root().toString(), haltingKernelConfig().toString()};

    int status = EmbeddingExample.run(args, out.stream, err.stream);

    assertThat(status).as(out + "\nstderr:\n" + err).isZero();
    assertThat(err.all()).isEmpty();
    Matcher started = STARTED.matcher(out.one("started: "));
    assertThat(started.matches()).as(out.one("started: ")).isTrue();
    long pid = Long.parseLong(started.group(1));
    Plugged disk = Plugged.of(out.one("plugged: "));
    firstJvmPlugged(out, states.get("plugged: "), disk);
    secondJvmUnplugged(out, states.get("second JVM exited"), disk, pid);
    firstJvmStoppedAndDeleted(out, states.get("stopped: "), disk, pid);
  }

  /** The disk saved with its PCI path, in the first JVM's device list, told as an event. */
  private static void firstJvmPlugged(Lines out, JsonNode state, Plugged disk) {
    assertThat(recordedDisks(state))
        .as(out.toString())
        .containsExactly(disk.id() + " " + disk.pci());
    assertThat(bridgeSlots(state)).as(out.toString()).containsExactly(disk.qemuDevice());
    assertThat(out.all())
        .contains("event: device added: block " + disk.id(), "devices: 1")
        .anyMatch(l -> l.startsWith("  block " + disk.id() + " pci-path=" + disk.pci() + " "));
  }

  /** The second JVM restored the sandbox by id, saw the disk, unplugged it, heard it, let go. */
  private static void secondJvmUnplugged(Lines out, JsonNode state, Plugged disk, long pid) {
    assertThat(out.all())
        .contains(
            SECOND + "in the store: sandbox " + ID + " running, QEMU pid " + pid,
            SECOND + "restored: sandbox " + ID + ", QEMU pid " + pid,
            SECOND + "devices: 1",
            SECOND + "event: device removed: block " + disk.id(),
            SECOND + "devices: none",
            SECOND + "detached: sandbox " + ID + " runs on")
        .anyMatch(
            l -> l.startsWith(SECOND + "  block " + disk.id() + " pci-path=" + disk.pci() + " "))
        .anyMatch(l -> l.startsWith(SECOND + "unplugged: block " + disk.id() + " pci-path="));
    assertThat(state.path("State").asString()).isEqualTo("running");
    assertThat(recordedDisks(state)).as("persist.json after the unplug").isEmpty();
    assertThat(bridgeSlots(state)).as("bridge slots after the unplug").isEmpty();
  }

  /** Back in the first JVM: the unplug seen, QEMU stopped (QMP quit) and heard, all deleted. */
  private void firstJvmStoppedAndDeleted(Lines out, JsonNode state, Plugged disk, long pid)
      throws IOException {
    assertThat(state.path("State").asString()).isEqualTo("stopped");
    assertThat(mainThreadLines(out))
        .containsExactly(
            "host:",
            "started:",
            "plugged:",
            "devices: 1",
            "second JVM exited with status 0",
            "devices: none",
            "stopped: QUIT",
            "deleted: sandbox " + ID);
    assertThat(out.all())
        .contains(
            "event: sandbox "
                + ID
                + ": qemu pid "
                + pid
                + " exited (exit status 0)"
                + " (stopped by vmm4j)");
    assertThat(store.sandboxDir(ID)).doesNotExist();
    assertThat(store.vmDir(ID)).doesNotExist();
    assertThat(gone(pid)).as("QEMU pid " + pid + " gone").isTrue();
    assertThat(disk.file()).as("the example's disk image").doesNotExist();
  }

  /** What the example's {@code plugged:} line says. */
  record Plugged(String id, String pci, String qemuDevice, Path file) {
    static Plugged of(String line) {
      Matcher m = PLUGGED.matcher(line);
      assertThat(m.matches()).as(line).isTrue();
      return new Plugged(m.group(1), m.group(2), m.group(3), Path.of(m.group(4)));
    }
  }

  @Test
  void mainRunsTheBuiltTestGuestConfigInAJvmOfItsOwn() throws Exception {
    assumeTrue(Files.isExecutable(QEMU), "QEMU is not installed: no " + QEMU);
    TestGuest.withDefaults().ensureBuilt(System.err::println); // a first build takes minutes

    Run run = java(store.root().toString());

    assertThat(run.code()).as(run.out() + run.err()).isZero();
    Plugged disk =
        Plugged.of(run.out().lines().filter(l -> l.startsWith("plugged: ")).findFirst().orElse(""));
    assertThat(run.out())
        .contains(SECOND + "unplugged: block " + disk.id() + " pci-path=" + disk.pci())
        .contains("second JVM exited with status 0\ndevices: none\n")
        .endsWith("deleted: sandbox " + ID + "\n");
    assertThat(store.sandboxDir(ID)).doesNotExist();
    assertThat(store.vmDir(ID)).doesNotExist();
  }

  @Test
  void aConfigNamingAMissingKernelIsARequestFaultAndStartsNothing() throws Exception {
    Path config = dir.resolve("bad.json");
    Files.writeString(config, "{\"KernelPath\": \"/nonexistent/vmlinuz\", \"InitrdPath\": \"/x\"}");
    Lines out = new Lines();
    Lines err = new Lines();

    int status =
        EmbeddingExample.run(
            new String[] {store.root().toString(), config.toString()}, out.stream, err.stream);

    assertThat(status).isEqualTo(2);
    assertThat(err.one("failed, "))
        .startsWith("failed, invalid request (fix the config, id or spec): ")
        .contains("/nonexistent/vmlinuz");
    assertThat(out.all()).isEmpty();
    assertThat(store.sandboxDir(ID)).doesNotExist();
  }

  @Test
  void restoringASandboxThatDoesNotExistIsAStateFault() throws Exception {
    Lines out = new Lines();
    Lines err = new Lines();

    int status =
        EmbeddingExample.run(
            new String[] {"restore", store.root().toString(), "nobody", "disk0"},
            out.stream,
            err.stream);

    assertThat(status).isEqualTo(1);
    assertThat(err.one("failed, "))
        .startsWith("failed, the sandbox's state does not allow it: ")
        .contains("nobody");
    assertThat(out.all()).isEmpty();
  }

  /** q35 under TCG with the halting kernel, one pci-bridge and native PCIe hotplug. */
  private Path haltingKernelConfig() throws IOException {
    TestAssets assets = TestAssets.create(dir.resolve("assets"));
    HaltKernel.write(assets.kernel());
    Path config = dir.resolve("sandbox.json");
    Files.writeString(
        config,
        "{\n"
            + "  \"HypervisorPath\": \""
            + QEMU
            + "\",\n"
            + "  \"KernelPath\": \""
            + assets.kernel()
            + "\",\n"
            + "  \"InitrdPath\": \""
            + assets.initrd()
            + "\",\n"
            + "  \"HypervisorMachineType\": \"q35\",\n"
            + "  \"NumVCPUs\": 1,\n"
            + "  \"DefaultMaxVCPUs\": 1,\n"
            + "  \"MemorySize\": 128,\n"
            + "  \"DefaultBridges\": 1,\n"
            + "  \"BlockDeviceDriver\": \"virtio-blk\",\n"
            + "  \"NativePCIeHotplug\": true,\n"
            + "  \"Accelerator\": \"tcg\"\n"
            + "}\n");
    return config;
  }

  /** {@code persist.json} now; a missing node when there is none. */
  private JsonNode persisted() {
    Path file = store.sandboxDir(ID).resolve(FsStore.STATE_FILE);
    try {
      return Files.exists(file) ? JSON.readTree(Files.readString(file)) : JSON.missingNode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code "ID PCIPath"} of every block device {@code persist.json} records. */
  private static List<String> recordedDisks(JsonNode state) {
    List<String> out = new ArrayList<>();
    for (JsonNode d : state.path("Devices")) {
      if (d.has("BlockDrive")) {
        out.add(d.path("ID").asString() + " " + d.path("BlockDrive").path("PCIPath").asString());
      }
    }
    return out;
  }

  /** What the bridges' slots hold ({@code HypervisorState.Bridges[].DeviceAddr}). */
  private static List<String> bridgeSlots(JsonNode state) {
    List<String> out = new ArrayList<>();
    for (JsonNode b : state.path("HypervisorState").path("Bridges")) {
      b.path("DeviceAddr").forEach(v -> out.add(v.asString()));
    }
    return out;
  }

  /** The first JVM's own step lines (not events, not the second JVM's), trimmed after a colon. */
  private static List<String> mainThreadLines(Lines out) {
    return out.all().stream()
        .filter(l -> !l.startsWith("event: ") && !l.startsWith(" "))
        .map(l -> l.matches("(host|started|plugged): .*") ? l.substring(0, l.indexOf(':') + 1) : l)
        .toList();
  }

  /** Whether {@code pid} has exited: no such process, or a zombie. */
  private static boolean gone(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return true;
    }
    String s = Files.readString(stat);
    return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
  }

  record Run(int code, String out, String err) {}

  /** {@code java EmbeddingExample ARGS...} with this JVM's class path; 120 s deadline. */
  private Run java(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.add(EmbeddingExample.class.getName());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError("the example did not end within 120 s: " + Files.readString(out));
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
