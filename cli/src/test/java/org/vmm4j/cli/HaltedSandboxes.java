package org.vmm4j.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HostCapabilities;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.SandboxSpec;
import org.vmm4j.persist.FsStore;
import org.vmm4j.testing.qemu.HaltKernel;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Sandboxes of one store for the commands under test: q35 under TCG with the {@link HaltKernel} (no
 * guest), two root ports with native PCIe hotplug (a device leaves at once, without a guest),
 * virtio-blk disks; each started, then let go (QEMU runs on, as after {@code vmm4j run}). {@link
 * #close()} deletes them and the test directory.
 */
final class HaltedSandboxes implements AutoCloseable {
  static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  final Path dir;
  final FsStore store;
  private final TestAssets assets;
  private final List<String> started = new ArrayList<>();

  /**
   * @param storeRoot the state root (null: in the test directory)
   */
  HaltedSandboxes(Path storeRoot) throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "vmm4j-cli");
    store = new FsStore(storeRoot != null ? storeRoot : dir.resolve("store"));
    assets = TestAssets.create(dir.resolve("assets"));
    HaltKernel.write(assets.kernel());
  }

  static boolean available() {
    return Files.isExecutable(QEMU);
  }

  /** Starts sandbox {@code id} and lets go of it. */
  void start(String id) {
    HypervisorConfig config =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .hypervisorPath(QEMU.toString())
                    .kernelPath(assets.kernel().toString())
                    .initrdPath(assets.initrd().toString())
                    .hypervisorMachineType("q35")
                    .numVcpus(1)
                    .memorySize(256)
                    .pcieRootPort(2)
                    .blockDeviceDriver("virtio-blk")
                    .build())
            .withLive(
                LiveSettings.builder()
                    .accelerator(Accelerator.TCG)
                    .nativePcieHotplug(true)
                    .build());
    SandboxSpec spec =
        SandboxSpec.of(
            id,
            RuntimeConfig.shimV2(config, false),
            new HostCapabilities(false, false, false, false, 4096));
    try (Sandbox s = Sandbox.start(store, spec)) {
      started.add(id);
    }
  }

  /** A sparse file of {@code mib} MiB in the test directory. */
  Path disk(String name, int mib) throws IOException {
    Path f = dir.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength((long) mib << 20);
    }
    return f;
  }

  /** {@code vmm4j --root STORE args...}, in this process. */
  CliRun cli(String... args) {
    return CliRun.in(store.root(), args);
  }

  @Override
  public void close() throws IOException {
    try {
      for (String id : started) {
        if (store.exists(id)) {
          Sandbox.delete(store, id, SandboxOptions.defaults());
        }
      }
    } finally {
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }
  }
}
