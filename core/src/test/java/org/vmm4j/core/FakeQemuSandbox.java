package org.vmm4j.core;

import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.core.internal.vm.SandboxStates;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.testing.qemu.TestAssets;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * A {@link Sandbox} restored onto a {@link FakeQmpServer} instead of QEMU: a running state in a
 * temporary store whose QEMU pid is this JVM's (the fake's socket has this JVM as its peer, and the
 * supervisor sees a live process), and a fake on the sandbox's controller socket that answers what
 * {@link Sandbox#restore} and the hotplug profile ask (q35, 1 GiB, one pci-bridge at slot 2) and
 * models devices. Tests script faults on {@link #fake} before a hotplug. Never stopped or deleted
 * through vmm4j (that would signal this JVM): {@link #close()} detaches and removes the directory.
 */
final class FakeQemuSandbox implements AutoCloseable {
  static final String ID = "fq1";

  final Path root;
  final FsStore store;
  final FakeQmpServer fake;
  final Sandbox sandbox;

  private FakeQemuSandbox(Path root, FsStore store, FakeQmpServer fake, Sandbox sandbox) {
    this.root = root;
    this.store = store;
    this.fake = fake;
    this.sandbox = sandbox;
  }

  static FakeQemuSandbox start() throws IOException {
    return start(QmpOptions.defaults());
  }

  /** A sandbox restored with {@code qmp}'s deadlines (its transactions' command and unplug). */
  static FakeQemuSandbox start(QmpOptions qmp) throws IOException {
    Path root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-fq");
    FakeQmpServer fake = null;
    try {
      FsStore store = new FsStore(root.resolve("store"));
      UUID uuid = UUID.randomUUID();
      store.save(state(root, uuid), Map.of());
      store.createVmDir(ID);
      fake = FakeQmpServer.start(SandboxPaths.under(store.root(), ID).qmpSocket());
      script(fake, uuid);
      Sandbox s =
          Sandbox.restore(
              store,
              ID,
              SandboxOptions.defaults()
                  .withControllerGreetingTimeout(Duration.ofSeconds(10))
                  .withQmpOptions(qmp));
      return new FakeQemuSandbox(root, store, fake, s);
    } catch (RuntimeException e) {
      if (fake != null) {
        fake.close();
      }
      Dirs.deleteTree(root);
      throw e;
    }
  }

  private static SandboxState state(Path root, UUID uuid) {
    TestAssets assets = TestAssets.create(root.resolve("assets"));
    HypervisorConfig hv =
        initrdConfig(assets)
            .editKata(
                k ->
                    k.hypervisorMachineType("q35")
                        .numVcpus(1)
                        .defaultMaxVcpus(4)
                        .memorySize(1024)
                        .memSlots(4)
                        .blockDeviceDriver("virtio-blk"));
    long pid = ProcessHandle.current().pid();
    HypervisorState hs =
        HypervisorState.builder()
            .pid(pid)
            .type(SandboxStates.QEMU)
            .blockIndexMap(java.util.Set.of())
            .uuid(uuid.toString())
            .bridges(SandboxStates.bridges(List.of(PciBridge.pciBridge(0))))
            .build();
    return SandboxState.builder()
        .persistVersion(PersistCodec.CURRENT_PERSIST_VERSION)
        .state(SandboxStates.RUNNING)
        .sandboxContainer(ID)
        .hypervisorState(hs)
        .agentState(new AgentState(pid, ""))
        .network(new NetworkInfo("", 0, false, null))
        .config(SandboxStates.sandboxConfig(RuntimeConfig.shimV2(hv, false), ""))
        .build();
  }

  /** What reattach and the hotplug profile ask, and QEMU's device model. */
  private static void script(FakeQmpServer fake, UUID uuid) {
    fake.emulateDevices();
    fake.on("query-uuid").reply("{\"UUID\":\"" + uuid + "\"}");
    fake.on("query-status").reply("{\"status\":\"running\",\"running\":true,\"singlestep\":false}");
    fake.on("query-kvm").reply("{\"enabled\":false,\"present\":false}");
    fake.on("qom-get", c -> "type".equals(c.arg("property"))).reply("\"pc-q35-7.2-machine\"");
    fake.on("qom-get", c -> "memory".equals(c.arg("property")))
        .reply("{\"size\":1073741824,\"slots\":4,\"max-size\":5368709120}");
    fake.on("qom-list", c -> "/objects".equals(c.arg("path"))).reply("[]");
    fake.on("blockdev-add");
    fake.on("blockdev-del");
  }

  /** The persisted state's bytes, as on disk. */
  byte[] stateFile() throws IOException {
    return Files.readAllBytes(store.sandboxDir(ID).resolve(FsStore.STATE_FILE));
  }

  /** A sparse file of 1 MiB. */
  Path disk(String name) throws IOException {
    Path f = root.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(1 << 20);
    }
    return f;
  }

  @Override
  public void close() {
    try {
      sandbox.close();
      fake.close();
    } finally {
      Dirs.deleteTree(root);
    }
  }
}
