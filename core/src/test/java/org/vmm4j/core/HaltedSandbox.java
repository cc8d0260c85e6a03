package org.vmm4j.core;

import static org.vmm4j.core.AssetConfigs.initrdConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.BlockNodeInfo;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QomList;
import org.vmm4j.qmp.QomProperty;
import org.vmm4j.qmp.QueryNamedBlockNodes;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;
import tools.jackson.databind.JsonNode;

/**
 * A sandbox started through {@link Sandbox#start} on q35 under TCG with the {@link HaltKernel}: a
 * running QEMU with no guest. Stopped and deleted, with its store, by {@link #close()}.
 */
final class HaltedSandbox implements AutoCloseable {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  /** 4 GiB of "host" memory (maxmem 5120 MiB). */
  static final HostCapabilities HOST = new HostCapabilities(false, false, false, false, 4096);

  final Path root;
  final FsStore store;
  final Sandbox sandbox;

  private HaltedSandbox(Path root, FsStore store, Sandbox sandbox) {
    this.root = root;
    this.store = store;
    this.sandbox = sandbox;
  }

  static boolean available() {
    return Files.isExecutable(QEMU);
  }

  /** A sandbox {@code id} whose config is q35, TCG, 1 of 4 vCPUs, 256 MiB, then {@code tweak}. */
  static HaltedSandbox start(String id, UnaryOperator<HypervisorConfig> tweak) throws IOException {
    return start(id, tweak, SandboxOptions.defaults());
  }

  /** {@link #start(String, UnaryOperator)} with {@code options} (deadlines, listener). */
  static HaltedSandbox start(
      String id, UnaryOperator<HypervisorConfig> tweak, SandboxOptions options) throws IOException {
    return start(id, tweak, options, null);
  }

  /**
   * {@link #start(String, UnaryOperator, SandboxOptions)} with the store at {@code storeRoot}
   * (null: in the test directory), e.g. a file system of its own.
   */
  static HaltedSandbox start(
      String id, UnaryOperator<HypervisorConfig> tweak, SandboxOptions options, Path storeRoot)
      throws IOException {
    Path root = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-sd");
    try {
      TestAssets assets = TestAssets.create(root.resolve("assets"));
      HaltKernel.write(assets.kernel());
      HypervisorConfig b =
          initrdConfig(assets)
              .editKata(
                  k ->
                      k.hypervisorMachineType("q35")
                          .numVcpus(1)
                          .defaultMaxVcpus(4)
                          .memorySize(256)
                          .memSlots(4))
              .editLive(l -> l.accelerator(Accelerator.TCG));
      FsStore store = new FsStore(storeRoot != null ? storeRoot : root.resolve("store"));
      SandboxSpec spec = SandboxSpec.of(id, RuntimeConfig.shimV2(tweak.apply(b), false), HOST);
      return new HaltedSandbox(root, store, Sandbox.start(store, spec, options));
    } catch (RuntimeException e) {
      Dirs.deleteTree(root);
      throw e;
    }
  }

  SandboxState state() {
    return store.load(sandbox.id()).sandbox();
  }

  /** The persisted state, canonically encoded (to compare before and after a failure). */
  byte[] stateBytes() {
    return PersistCodec.encode(state());
  }

  /** A sparse file of {@code mib} MiB in the test directory. */
  Path disk(String name, int mib) throws IOException {
    Path f = root.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength((long) mib << 20);
    }
    return f;
  }

  QmpClient qmp() {
    return sandbox.qmp();
  }

  Set<String> peripheral() {
    Set<String> ids = new TreeSet<>();
    for (QomProperty p : qmp().call(new QomList(QomList.PERIPHERAL))) {
      if (p.isChild()) {
        ids.add(p.name());
      }
    }
    return ids;
  }

  Set<String> nodes() {
    Set<String> ids = new TreeSet<>();
    for (BlockNodeInfo n : qmp().call(new QueryNamedBlockNodes())) {
      ids.add(n.nodeName());
    }
    return ids;
  }

  List<String> chardevs() {
    List<String> labels = new java.util.ArrayList<>();
    for (JsonNode c : qmp().execute("query-chardev", null)) {
      labels.add(c.path("label").asString());
    }
    return labels;
  }

  @Override
  public void close() {
    try {
      if (sandbox.status() == Sandbox.Status.RUNNING) {
        sandbox.delete();
      } else {
        Sandbox.delete(store, sandbox.id(), SandboxOptions.defaults());
      }
    } finally {
      Dirs.deleteTree(root);
    }
  }
}
