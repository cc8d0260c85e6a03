package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.files.TreeSnapshot;
import org.vmm4j.testing.host.FakeHost;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Refused commands leave nothing they made: {@code run} with an id whose socket paths would be
 * longer than a unix socket address takes, and every by-id command on an unknown sandbox, make no
 * state root, lock directory or lock file. A {@code --root} that is a regular file, or lies below
 * one, is refused by every command in one line naming that file and what is wrong, exit 2.
 */
class RefusedCommandsCliTest {
  @TempDir static Path shared;
  static Path config;

  @TempDir Path tmp;

  @BeforeAll
  static void fixtures() throws IOException {
    Path base = shared.toRealPath();
    TestAssets assets = TestAssets.create(base.resolve("assets"));
    FakeHost host = FakeHost.in(base.resolve("host"));
    config = base.resolve("config.json");
    Files.writeString(
        config,
        ConfigLoader.toJson(
            HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .hypervisorPath(host.qemuPath().toString())
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .memorySize(256)
                    .build())));
  }

  /** The commands that name sandbox {@code id}, {@code run} aside. */
  static List<List<String>> byId(String id) {
    return List.of(
        List.of("state", id),
        List.of("stop", id),
        List.of("delete", id),
        List.of("qmp", id, "query-status"),
        List.of("reconcile", id),
        List.of("hotplug", id, "cpu", "--count", "1"),
        List.of("unplug", id, "dev1"),
        List.of("console", id));
  }

  private static CliRun cli(Path root, List<String> args) {
    return CliRun.in(root, args.toArray(String[]::new));
  }

  /** An id for which {@code <root>/vm/<id>/qmp-tools.sock} has 108 bytes, one too many. */
  private static String tooLongId(Path root) {
    int dir = root.toAbsolutePath().resolve("vm").toString().length();
    return "a".repeat(SandboxPaths.MAX_SOCKET_PATH_BYTES - dir - "/qmp-tools.sock".length());
  }

  @Test
  void aRunRefusedForItsSocketPathsMakesNothing() throws IOException {
    Path root = tmp.resolve("R");
    List<String> run = List.of("run", "--config", config.toString(), "--id", tooLongId(root));
    CliRun r = cli(root, run);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .hasLineCount(1)
        .contains("qmp-tools.sock is 108 bytes long; a unix socket path has at most 107");
    assertThat(root).as("no state root made").doesNotExist();

    new FsStore(root).save(SampleStates.sandbox("sb1", 1, 0), Map.of());
    Map<String, String> before = TreeSnapshot.of(root);
    assertThat(cli(root, run).exitCode()).isEqualTo(2);
    assertThat(TreeSnapshot.of(root)).as("no lock file made").isEqualTo(before);
  }

  @Test
  void commandsOnAnUnknownSandboxMakeNothing() throws IOException {
    Path fresh = tmp.resolve("fresh");
    Path root = tmp.resolve("R");
    new FsStore(root).save(SampleStates.sandbox("sb1", 1, 0), Map.of());
    Map<String, String> before = TreeSnapshot.of(root);
    for (List<String> cmd : byId("nope")) {
      String what = "vmm4j " + String.join(" ", cmd);
      CliRun r = cli(fresh, cmd);
      assertThat(r.exitCode()).as(what + " -> " + r.err()).isEqualTo(1);
      assertThat(r.err()).as(what).hasLineCount(1);
      assertThat(fresh).as(what + ": no state root made").doesNotExist();
      r = cli(root, cmd);
      assertThat(r.exitCode()).as(what + " -> " + r.err()).isEqualTo(1);
      assertThat(TreeSnapshot.of(root)).as(what + ": nothing made").isEqualTo(before);
    }
  }

  @Test
  void aRootThatIsARegularFileOrBelowOneIsRefusedInOneLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("file"), "x");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    List<List<String>> all = new ArrayList<>(byId("sb1"));
    all.add(List.of("list"));
    all.add(List.of("run", "--config", config.toString(), "--id", "sb1"));
    for (Path root : List.of(file, file.resolve("sub"), file.resolve("sub/vc"))) {
      for (List<String> cmd : all) {
        String what = "vmm4j --root " + root + " " + String.join(" ", cmd);
        CliRun r = cli(root, cmd);
        assertThat(r.exitCode()).as(what + " -> " + r.err()).isEqualTo(2);
        assertThat(r.err())
            .as(what)
            .startsWith("vmm4j " + cmd.get(0))
            .hasLineCount(1)
            .contains("refusing " + root)
            .contains(file + (root.equals(file) ? ": " : " is ") + "a regular file (owner uid")
            .contains("not a directory")
            .doesNotContain("Exception");
        assertThat(r.out()).as(what).isEmpty();
      }
    }
    assertThat(file).hasContent("x");
  }
}
