package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.testing.files.TreeSnapshot;
import org.vmm4j.testing.files.Unprivileged;
import org.vmm4j.testing.files.Victim;
import org.vmm4j.testing.host.FakeHost;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * {@code mkdir -p R/sbs; ln -s /some/dir R/sbs/sb1; vmm4j --root R run --config C --id sb1}, the
 * same with the link at the VM directory {@code vm/sb1} or the shared directory's {@code
 * shared/sandboxes/sb1}, and with {@code sbs/} made by a less privileged user in a root it could
 * write: exit 2, one line naming the path, its owner and mode; {@code /some/dir} keeps every file
 * and directory, no {@code persist.json} appears in it, and the state root is as it was (no lock
 * file either). {@code delete} and {@code state} refuse the same way; {@code list} does not show
 * the sandbox.
 */
class StoreRefusalCliTest {
  @TempDir static Path shared;
  static TestAssets assets;
  static FakeHost host;

  @BeforeAll
  static void fixtures() throws IOException {
    Path base = shared.toRealPath();
    assets = TestAssets.create(base.resolve("assets"));
    host = FakeHost.in(base.resolve("host"));
  }

  @Test
  void aLinkPlantedAtTheSandboxDirectoryIsRefusedWithExit2(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path root = mkdir(dir.resolve("R"));
    mkdir(root.resolve("sbs"));
    Victim victim = Victim.create(dir.resolve("some-dir"));
    Path link = Files.createSymbolicLink(root.resolve("sbs/sb1"), victim.dir());
    Path config = config(dir);
    Map<String, String> before = TreeSnapshot.of(root);
    String refusal = "refusing " + link + ": a symbolic link to " + victim.dir();

    CliRun run = cli(root, "run", "--config", config.toString(), "--id", "sb1");
    assertRefused(run, "vmm4j run", refusal, "owner uid 0, mode 0777");
    assertRefused(cli(root, "delete", "sb1"), "vmm4j delete", refusal, "owner uid 0, mode 0777");
    assertRefused(cli(root, "state", "sb1"), "vmm4j state", refusal, "owner uid 0, mode 0777");
    CliRun list = cli(root, "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).doesNotContain("sb1");

    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThat(victim.dir().resolve("persist.json")).doesNotExist();
    assertThat(TreeSnapshot.of(root)).as("the state root after the refusals").isEqualTo(before);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vm/sb1", "shared/sandboxes/sb1"})
  void aLinkPlantedAtTheVmOrSharedDirectoryIsRefusedWithExit2(String at, @TempDir Path tmp)
      throws Exception {
    Path dir = tmp.toRealPath();
    Path root = mkdir(dir.resolve("R"));
    mkdir(root.resolve(at).getParent());
    Victim victim = Victim.create(dir.resolve("some-dir"));
    Path link = Files.createSymbolicLink(root.resolve(at), victim.dir());
    Map<String, String> before = TreeSnapshot.of(root);
    String refusal = "refusing " + link + ": a symbolic link to " + victim.dir();

    CliRun run = cli(root, "run", "--config", config(dir).toString(), "--id", "sb1");
    assertRefused(run, "vmm4j run", refusal, "owner uid 0, mode 0777");
    assertThat(TreeSnapshot.of(root)).as("the state root after the refusal").isEqualTo(before);
    CliRun delete = cli(root, "delete", "sb1");
    if (at.startsWith("vm/")) {
      assertRefused(delete, "vmm4j delete", refusal, "owner uid 0, mode 0777");
      assertThat(TreeSnapshot.of(root)).isEqualTo(before);
    } else { // without a state or a VM directory there is no sandbox to delete
      assertThat(delete.exitCode()).as(delete.err()).isEqualTo(1);
      assertThat(delete.err()).startsWith("vmm4j delete sb1: no such sandbox");
      assertThat(Files.isSymbolicLink(link)).isTrue();
    }
    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
  }

  @Test
  void aSandboxesDirectoryALessPrivilegedUserMadeIsRefusedWithExit2(@TempDir Path tmp)
      throws Exception {
    assumeTrue(Unprivileged.unavailable().isEmpty(), Unprivileged.unavailable().orElse(""));
    Path dir = tmp.toRealPath();
    chmod("0755", dir);
    Path root = chmod("1777", mkdir(dir.resolve("R")));
    Victim victim = Victim.create(dir.resolve("some-dir"));
    Unprivileged.run(
        "mkdir -m 0777 \"$1/sbs\" && ln -s \"$2\" \"$1/sbs/sb1\"",
        root.toString(),
        victim.dir().toString());
    Path config = config(dir);
    String[] run = {"run", "--config", config.toString(), "--id", "sb1"};

    assertRefused(cli(root, run), "vmm4j run", "refusing " + root, "owner uid 0, mode 1777");
    chmod("0755", root);
    Map<String, String> before = TreeSnapshot.of(root);
    String sbs = "refusing " + root.resolve("sbs") + ": a directory";
    String owner = "owner uid " + Unprivileged.UID + ", mode 0777";
    assertRefused(cli(root, run), "vmm4j run", sbs, owner);
    assertRefused(cli(root, "delete", "sb1"), "vmm4j delete", sbs, owner);

    assertThat(victim.now())
        .as("the directory a planted link points at")
        .isEqualTo(victim.before());
    assertThat(TreeSnapshot.of(root)).isEqualTo(before);
  }

  private static CliRun cli(Path root, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--root";
    all[1] = root.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return ContextRun.context().hostCheck(progress -> FakeHostChecks.check(host)).run(all);
  }

  private static void assertRefused(CliRun r, String command, String... parts) {
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
    assertThat(r.out()).as("stdout").isEmpty();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).as("stderr").hasSize(1);
    assertThat(lines.get(0)).startsWith(command).contains(parts);
  }

  private static Path config(Path dir) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file,
        ConfigLoader.toJson(
            HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .hypervisorPath(host.qemuPath().toString())
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .memorySize(256)
                    .build())));
    return file;
  }

  private static Path mkdir(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static Path chmod(String mode, Path p) throws Exception {
    Process c = new ProcessBuilder("chmod", mode, p.toString()).inheritIO().start();
    assertThat(c.waitFor(30, TimeUnit.SECONDS) && c.exitValue() == 0).as("chmod " + p).isTrue();
    return p;
  }
}
