package org.vmm4j.it.crossprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.TestGuest;

/**
 * A DIMM plugged by a {@link Sandbox} of this JVM (which keeps the controller socket) and unplugged
 * by a second process, {@code vmm4j unplug ID dimmmem0} in a JVM of its own on the tools socket,
 * with the test guest running: Kata's schema does not name the DIMM, so the second process finds it
 * through QEMU ({@code query-memory-devices}); the guest (which onlined it movable) offlines it and
 * QEMU ejects it; the state's {@code HotpluggedMemory} is back to 0, QEMU has neither the DIMM nor
 * its backend, the guest's memory is as before, and this JVM's sandbox, which did not ask for the
 * unplug, still works. q35 under TCG.
 */
class DimmUnplugBySecondProcessIT {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
  static final Duration GUEST_WAIT = Duration.ofSeconds(30);

  final BlockingQueue<SandboxEvent> heard = new LinkedBlockingQueue<>();
  Path root;
  FsStore store;
  Sandbox sandbox;
  AgentClient agent;

  @AfterEach
  void cleanUp() {
    if (agent != null) {
      agent.close();
    }
    if (sandbox != null && sandbox.status() == Sandbox.Status.RUNNING) {
      sandbox.delete();
    } else if (store != null && store.exists("dimm2p")) {
      Sandbox.delete(store, "dimm2p", SandboxOptions.defaults());
    }
    if (root != null) {
      Dirs.deleteTree(root);
    }
  }

  /** Boots the test guest in sandbox {@code dimm2p} through a {@link Sandbox} of this JVM. */
  private void start() throws Exception {
    assumeTrue(Files.isExecutable(QEMU), "no " + QEMU + " (install qemu-system-x86)");
    GuestArtifacts guest = TestGuest.withDefaults().ensureBuilt(System.err::println);
    root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-dimm2p");
    store = new FsStore(root.resolve("state"));
    SandboxSpec spec = SandboxSpec.of("dimm2p", RuntimeConfig.shimV2(config(guest), false), host());
    sandbox = Sandbox.start(store, spec, SandboxOptions.defaults().withListener(heard::add));
    agent =
        AgentClient.connect(
            store.vmDir("dimm2p").resolve("console.sock"),
            Duration.ofSeconds(60),
            AgentClient.DEFAULT_CALL_TIMEOUT);
  }

  @Test
  void aSecondProcessUnplugsADimmTheGuestOnlined() throws Exception {
    start();
    GuestMemory before = agent.memory();
    Device dimm = sandbox.devices().addMemory(256);
    assertThat(dimm.kind()).isEqualTo(DeviceKind.MEMORY);
    assertThat(dimm.id()).isEqualTo("dimmmem0");
    String backend = dimm.details().get("memdev");
    GuestMemory in =
        await(
            "256 MiB more, online",
            agent::memory,
            g -> g.memTotalKib() >= before.memTotalKib() + 250 * 1024 && g.blocksOffline() == 0);
    assertThat(in.blocksOnline()).isGreaterThan(before.blocksOnline());
    assertThat(store.load("dimm2p").sandbox().hypervisorState().hotpluggedMemory()).isEqualTo(256);

    Cli unplug = vmm4j("unplug", "dimm2p", dimm.id());
    assertThat(unplug.code()).as(unplug.err()).isZero();
    assertThat(unplug.out()).isEmpty();

    assertThat(store.load("dimm2p").sandbox().hypervisorState().hotpluggedMemory()).isZero();
    assertThat(sandbox.qmp().call(new QueryMemoryDevices()))
        .extracting(MemoryDeviceInfo::id)
        .doesNotContain(dimm.id());
    assertThat(objects()).contains("dimm1").doesNotContain(backend);
    await("the memory gone", agent::memory, g -> g.memTotalKib() == before.memTotalKib());
    assertThat(sandbox.devices().list()).extracting(Device::id).doesNotContain(dimm.id());
    // this JVM heard its own plug, not the other process's unplug; its sandbox works on
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isInstanceOf(SandboxEvent.DeviceAdded.class);
    assertThat(sandbox.status()).isEqualTo(Sandbox.Status.RUNNING);
    Device again = sandbox.devices().addMemory(128);
    assertThat(again.id()).as("the slot and name are free again").isEqualTo("dimmmem0");
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isInstanceOf(SandboxEvent.DeviceAdded.class);
    assertThat(heard).isEmpty();
    assertThat(agent.ping()).isTrue();
  }

  /**
   * The guest ejects a DIMM by itself (ACPI eject of its memory device: the kernel offlines the
   * movable blocks, QEMU deletes the DIMM): no request of this process removed it, and Kata's
   * schema does not name it, yet vmm4j finishes the unplug (the backend deleted, {@code
   * HotpluggedMemory} back to 0) and tells it as a {@link SandboxEvent.DeviceRemoved} not
   * requested; memory can be added again.
   */
  @Test
  void aDimmTheGuestEjectsIsFinishedAndTold() throws Exception {
    start();
    GuestMemory before = agent.memory();
    Device dimm = sandbox.devices().addMemory(256);
    assertThat(heard.poll(10, TimeUnit.SECONDS)).isInstanceOf(SandboxEvent.DeviceAdded.class);
    await(
        "256 MiB more, online",
        agent::memory,
        g -> g.memTotalKib() >= before.memTotalKib() + 250 * 1024 && g.blocksOffline() == 0);
    agent.check(
        "sh for d in /sys/bus/acpi/devices/PNP0C80:*; do"
            + " [ \"$(cat $d/status)\" = 15 ] && echo 1 > $d/eject; done; true");
    SandboxEvent e = heard.poll(30, TimeUnit.SECONDS);
    assertThat(e).as("the DIMM's removal told within 30 s").isNotNull();
    assertThat(e).isInstanceOf(SandboxEvent.DeviceRemoved.class);
    SandboxEvent.DeviceRemoved removed = (SandboxEvent.DeviceRemoved) e;
    assertThat(removed.requested()).isFalse();
    assertThat(removed.device().id()).isEqualTo(dimm.id());
    assertThat(removed.device().kind()).isEqualTo(DeviceKind.MEMORY);
    assertThat(store.load("dimm2p").sandbox().hypervisorState().hotpluggedMemory()).isZero();
    assertThat(sandbox.qmp().call(new QueryMemoryDevices())).isEmpty();
    assertThat(objects()).doesNotContain(dimm.details().get("memdev"));
    await("the memory gone", agent::memory, g -> g.memTotalKib() == before.memTotalKib());
    assertThat(sandbox.devices().addMemory(128).id()).isEqualTo(dimm.id());
    assertThat(store.load("dimm2p").sandbox().hypervisorState().hotpluggedMemory()).isEqualTo(128);
  }

  /** The test guest on q35 under TCG: 1 of 4 vCPUs, 384 MiB, 4 memory slots, one pci-bridge. */
  static HypervisorConfig config(GuestArtifacts g) {
    return HypervisorConfig.of(
            HypervisorConfig.kataBuilder()
                .hypervisorPath(QEMU.toString())
                .kernelPath(g.vmlinux().toString())
                .initrdPath(g.initramfs().toString())
                .hypervisorMachineType("q35")
                .numVcpus(1)
                .defaultMaxVcpus(4)
                .memorySize(384)
                .memSlots(4)
                .defaultBridges(1)
                .blockDeviceDriver("virtio-blk")
                .build())
        .withLive(LiveSettings.builder().accelerator(Accelerator.TCG).build());
  }

  static HostCapabilities host() throws IOException {
    long mib = HostCapabilities.memTotalMiB(Files.readString(Path.of("/proc/meminfo")));
    return new HostCapabilities(false, false, false, false, mib);
  }

  private List<String> objects() {
    List<String> names = new ArrayList<>();
    for (QomProperty p : sandbox.qmp().call(new QomList("/objects"))) {
      if (p.isChild()) {
        names.add(p.name());
      }
    }
    return names;
  }

  record Cli(int code, String out, String err) {}

  /** {@code vmm4j --root ROOT ARGS...} in a JVM of its own. */
  private Cli vmm4j(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of("org.vmm4j.cli.Vmm4j", "--root", store.root().toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(root, "cli-out", ".txt");
    Path err = Files.createTempFile(root, "cli-err", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("vmm4j " + List.of(args) + " did not end within 90 s");
    }
    return new Cli(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Asks {@code ask} every 100 ms until {@code done}; fails naming {@code what} after 30 s. */
  static <T> T await(String what, Supplier<T> ask, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + GUEST_WAIT.toNanos();
    while (true) {
      T v = ask.get();
      if (done.test(v)) {
        return v;
      }
      assertThat(System.nanoTime() - deadline)
          .as("the guest showed " + what + " within 30 s; last: " + v)
          .isNegative();
      Thread.sleep(100);
    }
  }
}
