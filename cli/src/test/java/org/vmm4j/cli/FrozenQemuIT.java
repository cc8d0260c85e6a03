package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.modules.ChildClassPath;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;
import org.vmm4j.testing.qmp.FullBacklogSocket;

/**
 * A frozen QEMU ({@code SIGSTOP}) whose QMP sockets' listen backlogs (one connection each) are full
 * after two {@code vmm4j qmp} clients gave up on it: a blocking connect to either socket would wait
 * until QEMU runs again. {@code hotplug} (exit 1: the operation failed) and {@code qmp --timeout 3}
 * (exit 2: no connection), each a JVM of its own, end on their own with one line on stderr; {@code
 * stop} signals QEMU (it acts on SIGTERM once continued), leaves no QEMU and records the sandbox
 * stopped.
 */
class FrozenQemuIT {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  /** Far beyond every deadline of these commands: a command still running then hangs. */
  static final Duration HANG = Duration.ofSeconds(60);

  static final String ID = "frozen";

  Path root;
  FsStore store;
  long pid;

  record Result(int code, String out, String err, Duration took, boolean hung) {}

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Files.isExecutable(QEMU), QEMU + " not installed (install qemu-system-x86)");
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-frozen");
    store = new FsStore(root.resolve("store"));
    TestAssets assets = TestAssets.create(root.resolve("assets"));
    HaltKernel.write(assets.kernel());
    SandboxSpec spec =
        SandboxSpec.of(
            ID,
            RuntimeConfig.shimV2(
                HypervisorConfig.of(
                        HypervisorConfig.kataBuilder()
                            .hypervisorPath(QEMU.toString())
                            .kernelPath(assets.kernel().toString())
                            .initrdPath(assets.initrd().toString())
                            .hypervisorMachineType("q35")
                            .numVcpus(1)
                            .memorySize(256)
                            .build())
                    .withLive(LiveSettings.builder().accelerator(Accelerator.TCG).build()),
                false),
            new HostCapabilities(false, false, false, false, 4096));
    try (Sandbox s = Sandbox.start(store, spec)) {
      pid = s.pid(); // closed: this JVM lets go of the controller socket, QEMU runs on
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (root == null) {
      return;
    }
    if (!exited(pid)) {
      signal(pid, "KILL"); // works on a stopped process
    }
    if (store.exists(ID)) {
      Sandbox.delete(store, ID, SandboxOptions.defaults());
    }
    deleteTree(root);
  }

  @Test
  void hotplugQmpAndStopEndOnTheirOwnWhenQemuIsStoppedAndItsBacklogsAreFull() throws Exception {
    Path disk = root.resolve("disk.raw");
    try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
      f.setLength(1 << 20);
    }
    signal(pid, "STOP");
    for (int i = 0; i < 2; i++) {
      Result gaveUp = vmm4j("qmp", ID, "query-status", "--timeout", "1");
      assertThat(gaveUp.hung()).as("vmm4j qmp --timeout 1 on an empty backlog hung").isFalse();
      assertThat(gaveUp.code()).as(gaveUp.err()).isEqualTo(2);
    }
    Path vm = store.vmDir(ID);
    assertThat(FullBacklogSocket.isFull(vm.resolve("qmp.sock"))).as("controller full").isTrue();
    assertThat(FullBacklogSocket.isFull(vm.resolve("qmp-tools.sock"))).as("tools full").isTrue();

    SoftAssertions soft = new SoftAssertions();
    Result hotplug = vmm4j("hotplug", ID, "block", "--file", disk.toString());
    soft.assertThat(hotplug.hung()).as("vmm4j hotplug hung").isFalse();
    soft.assertThat(hotplug.code()).as(hotplug.err()).isEqualTo(1);
    soft.assertThat(hotplug.err())
        .as("one line naming the operation and the sockets")
        .startsWith("vmm4j hotplug " + ID + " block: ")
        .contains(vm.resolve("qmp.sock") + " or " + vm.resolve("qmp-tools.sock"))
        .contains("QEMU served neither within 30 s")
        .hasLineCount(1);

    Result qmp = vmm4j("qmp", ID, "query-status", "--timeout", "3");
    soft.assertThat(qmp.hung()).as("vmm4j qmp --timeout 3 hung").isFalse();
    soft.assertThat(qmp.code()).as(qmp.err()).isEqualTo(2);
    soft.assertThat(qmp.err())
        .isEqualTo(
            "vmm4j qmp: query-status: connect QMP "
                + vm.resolve("qmp.sock")
                + " or "
                + vm.resolve("qmp-tools.sock")
                + ": QEMU served neither within 3 s (it serves one client per socket: other"
                + " clients hold them, or QEMU is stopped)\n");

    Result stop = vmm4j("stop", ID);
    soft.assertThat(stop.hung()).as("vmm4j stop hung").isFalse();
    soft.assertThat(stop.code()).as(stop.err()).isZero();
    soft.assertThat(exited(pid)).as("QEMU pid %d gone", pid).isTrue();
    soft.assertThat(store.load(ID).sandbox().state()).isEqualTo(Sandbox.STATE_STOPPED);
    for (Result r : List.of(hotplug, qmp, stop)) {
      System.out.printf("%d ms, exit %d: %s%n", r.took().toMillis(), r.code(), r.err().strip());
    }
    soft.assertAll();
  }

  /**
   * {@code vmm4j --root ROOT args...} in a JVM of its own, killed when it runs past {@link #HANG}.
   */
  Result vmm4j(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dlogback.configurationFile=logback.xml"); // the command's own logging set-up
    cmd.add("-cp");
    cmd.add(ChildClassPath.of(FrozenQemuIT.class));
    cmd.add(Vmm4j.class.getName());
    cmd.add("--root");
    cmd.add(store.root().toString());
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(root, "out", ".txt");
    Path err = Files.createTempFile(root, "err", ".txt");
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    boolean ended = p.waitFor(HANG.toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    if (!ended) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return new Result(
        ended ? p.exitValue() : -1,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8),
        took,
        !ended);
  }

  /** Whether {@code pid} is gone or a zombie (state Z or X in {@code /proc/PID/stat}). */
  static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state == 'Z' || state == 'X';
    } catch (IOException e) {
      return true;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  static void signal(long pid, String signal) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as("kill -%s %d", signal, pid)
        .isTrue();
  }
}
