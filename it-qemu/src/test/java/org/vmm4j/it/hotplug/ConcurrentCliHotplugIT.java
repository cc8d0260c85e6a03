package org.vmm4j.it.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Ten {@code vmm4j hotplug ID block} processes started at once on one sandbox (q35, TCG, {@link
 * HaltKernel}, two pci-bridges), while no other client holds its QMP sockets: QEMU serves one
 * client per socket, so at most two of them talk to QEMU at a time and the others wait for a
 * socket, each its turn. Every one succeeds with one line on stdout and nothing on stderr, and the
 * state records ten disks.
 */
class ConcurrentCliHotplugIT {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final int PROCESSES = 10;
  static final String ID = "many-cli";

  Path root;
  FsStore store;

  record Result(int code, String out, String err) {}

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Files.isExecutable(QEMU), QEMU + " not installed (install qemu-system-x86)");
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-ccli");
    store = new FsStore(root.resolve("store"));
    TestAssets assets = TestAssets.create(root.resolve("assets"));
    HaltKernel.write(assets.kernel());
    HypervisorConfig config =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .hypervisorPath(QEMU.toString())
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .hypervisorMachineType("q35")
                    .numVcpus(1)
                    .memorySize(256)
                    .defaultBridges(2)
                    .blockDeviceDriver("virtio-blk")
                    .build())
            .editLive(l -> l.accelerator(Accelerator.TCG));
    SandboxSpec spec =
        SandboxSpec.of(
            ID,
            RuntimeConfig.shimV2(config, false),
            new HostCapabilities(false, false, false, false, 4096));
    try (Sandbox s = Sandbox.start(store, spec)) {
      assertThat(s.pid()).isPositive(); // closed: QEMU runs on, its sockets free
    }
  }

  @AfterEach
  void cleanUp() throws IOException {
    if (root == null) {
      return;
    }
    if (store.exists(ID)) {
      Sandbox.delete(store, ID, SandboxOptions.defaults());
    }
    Dirs.deleteTree(root);
  }

  @Test
  void tenHotplugProcessesAtOnceAllSucceedEachInTurn() throws Exception {
    List<Process> running = new ArrayList<>();
    List<CompletableFuture<Long>> ended = new ArrayList<>();
    List<Path[]> outputs = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < PROCESSES; i++) {
      Path disk = root.resolve("d" + i + ".raw");
      try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
        f.setLength(1 << 20);
      }
      Path out = root.resolve("out" + i + ".txt");
      Path err = root.resolve("err" + i + ".txt");
      outputs.add(new Path[] {out, err});
      running.add(
          new ProcessBuilder(vmm4j("hotplug", ID, "block", "--file", disk.toString()))
              .redirectInput(new File("/dev/null"))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start());
      ended.add(running.get(i).onExit().thenApply(p -> System.nanoTime()));
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      Process p = running.get(i);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      results.add(
          new Result(
              p.isAlive() ? -1 : p.exitValue(),
              Files.readString(outputs.get(i)[0], StandardCharsets.UTF_8),
              Files.readString(outputs.get(i)[1], StandardCharsets.UTF_8)));
    }
    for (int i = 0; i < PROCESSES; i++) {
      long ms = (ended.get(i).getNow(t0) - t0) / 1_000_000;
      System.out.printf("hotplug %d: exit %d after %d ms%n", i, results.get(i).code(), ms);
    }
    SoftAssertions soft = new SoftAssertions();
    for (int i = 0; i < PROCESSES; i++) {
      Result r = results.get(i);
      soft.assertThat(r.code()).as("hotplug %d exit code; stderr: %s", i, r.err()).isZero();
      soft.assertThat(r.err()).as("hotplug %d stderr", i).isEmpty();
      soft.assertThat(r.out().lines()).as("hotplug %d stdout", i).hasSize(1);
    }
    List<DeviceState> devices = store.load(ID).sandbox().devices();
    soft.assertThat(devices).as("devices recorded").hasSize(PROCESSES);
    soft.assertAll();
  }

  /** {@code java ... org.vmm4j.cli.Vmm4j --root ROOT args...}, with the command's own logging. */
  private List<String> vmm4j(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Dlogback.configurationFile=logback.xml");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.vmm4j.cli.Vmm4j");
    cmd.add("--root");
    cmd.add(store.root().toString());
    cmd.addAll(List.of(args));
    return cmd;
  }
}
