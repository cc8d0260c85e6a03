package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.host.FakeHost;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Every case of the bad-input corpus ({@link BadInputCorpus}), run in process against a fresh state
 * root: the exit code (2, bad input), nothing on stdout, one error line that names the operation
 * and the offending value, and nothing left behind: the state root is exactly as before (no state,
 * VM or shared directory, lock or temporary file) and no process mentions the case's directory (no
 * QEMU). The host check sees a fake host whose QEMU is a script.
 *
 * <p>Setups: {@code taken} saves a stopped sandbox {@code taken} (and its lock file) first; {@code
 * stale} leaves a VM directory {@code vm/stale} without a state. {@code {assets}/vmlinuz-link} is a
 * symbolic link to the kernel.
 */
class BadInputCorpusTest {
  @TempDir static Path shared;
  static TestAssets assets;
  static FakeHost host;

  @BeforeAll
  static void fixtures() throws IOException {
    Path base = shared.toRealPath();
    assets = TestAssets.create(base.resolve("assets"));
    host = FakeHost.in(base.resolve("host"));
    Files.createSymbolicLink(assets.root().resolve("vmlinuz-link"), assets.kernel());
  }

  static List<BadInputCorpus> cases() {
    return BadInputCorpus.load();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedCleanly(BadInputCorpus c, @TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path root = Files.createDirectories(dir.resolve("root"));
    Placeholders p = new Placeholders(dir, root);
    writeConfigs(p);
    for (Map.Entry<String, String> f : c.files().entrySet()) {
      Path file = dir.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, p.expand(f.getValue()));
    }
    setup(c.setup(), root);
    Map<String, String> before = tree(root);
    List<String> args = new ArrayList<>(List.of("--root", root.toString()));
    c.args().forEach(a -> args.add(p.expand(a)));

    CliRun r =
        ContextRun.context()
            .hostCheck(progress -> FakeHostChecks.check(host))
            .run(args.toArray(String[]::new));

    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(c.exit());
    assertThat(r.out()).as("stdout").isEmpty();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).as("stderr").isNotEmpty().hasSizeLessThanOrEqualTo(2);
    if (lines.size() == 2) {
      assertThat(lines.get(1)).as("usage hint").startsWith("Try 'vmm4j");
    }
    assertThat(c.err()).as("the case names the operation and the value").hasSizeGreaterThan(1);
    for (String expected : c.err()) {
      assertThat(lines.get(0)).contains(p.expand(expected));
    }
    assertThat(tree(root)).as("state root after the case").isEqualTo(before);
    assertThat(processesMentioning(dir)).as("processes left").isEmpty();
  }

  @Test
  void theCorpusCoversEveryKindWithAtLeast40Cases() {
    List<BadInputCorpus> all = cases();
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    assertThat(all.stream().map(BadInputCorpus::name).distinct().count()).isEqualTo(all.size());
    Map<String, Long> byKind =
        all.stream().collect(Collectors.groupingBy(BadInputCorpus::kind, Collectors.counting()));
    for (String kind : List.of("config", "annotation", "id", "cli", "device")) {
      assertThat(byKind.getOrDefault(kind, 0L)).as(kind).isGreaterThanOrEqualTo(5);
    }
    assertThat(byKind.keySet())
        .as("kinds (BadInputCorpus)")
        .isSubsetOf("config", "annotation", "id", "cli", "device");
  }

  /** The placeholders of {@link BadInputCorpus}. */
  record Placeholders(Path dir, Path root) {
    String expand(String s) {
      return s.replace("{root}", root.toString())
          .replace("{dir}", dir.toString())
          .replace("{valid.json}", dir.resolve("valid.json").toString())
          .replace("{valid.toml}", dir.resolve("valid.toml").toString())
          .replace("{kernel}", assets.kernel().toString())
          .replace("{initrd}", assets.initrd().toString())
          .replace("{image}", assets.image().toString())
          .replace("{assets}", assets.root().toString())
          .replace("{qemu}", host.qemuPath().toString())
          .replace("{id129}", "a".repeat(129));
    }
  }

  private static void writeConfigs(Placeholders p) throws IOException {
    String a = assets.root().toString();
    HypervisorConfig valid =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .hypervisorPath(host.qemuPath().toString())
                    .memorySize(256)
                    .enableAnnotations(List.of(".*"))
                    .hypervisorPathList(List.of(host.qemuPath().toString()))
                    .virtioFsDaemonList(List.of(a + "/virtiofsd"))
                    .fileBackedMemRootList(List.of(a + "/shm"))
                    .build())
            .withLive(
                LiveSettings.builder()
                    .kernelPathList(List.of(a + "/vmlinu*"))
                    .initrdPathList(List.of(a + "/*.img"))
                    .imagePathList(List.of(a + "/*.img"))
                    .entropySourceList(List.of("/dev/urandom"))
                    .configPathList(List.of(p.dir() + "/allowed-*.json"))
                    .build());
    Files.writeString(p.dir().resolve("valid.json"), ConfigLoader.toJson(valid));
    Files.writeString(
        p.dir().resolve("valid.toml"),
        "[hypervisor.qemu]\npath = \""
            + host.qemuPath()
            + "\"\nkernel = \""
            + assets.kernel()
            + "\"\ninitrd = \""
            + assets.initrd()
            + "\"\ndefault_memory = 256\nenable_annotations = [\".*\"]\n"
            + "valid_hypervisor_paths = [\""
            + host.qemuPath()
            + "\"]\n");
  }

  private static void setup(String setup, Path root) throws IOException {
    FsStore store = new FsStore(root);
    switch (setup) {
      case "" -> {}
      case "taken" -> {
        store.save(
            SampleStates.sandbox("taken", 0, 0).toBuilder().state("stopped").build(), Map.of());
        store.lock("taken", true).close();
      }
      case "stale" -> {
        Files.createDirectories(store.vmDir("stale"));
        store.lock("stale", true).close();
      }
      default -> throw new IllegalArgumentException("unknown setup " + setup);
    }
  }

  /** Every file and directory under {@code root}: relative path → size and modification time. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path f : all.toList()) {
        String kind = Files.isDirectory(f) ? "dir" : Files.size(f) + "B";
        out.put(root.relativize(f).toString(), kind + "@" + Files.getLastModifiedTime(f));
      }
    }
    return out;
  }

  /** Pids of live processes whose command line contains {@code dir}. */
  private static List<String> processesMentioning(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    String needle = dir.toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String pid = p.getFileName().toString();
        if (!pid.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains(needle)) {
            out.add(pid + ": " + cmd.replace('\0', ' '));
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return out;
  }
}
