package org.vmm4j.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.LiveSettings;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.internal.hotplug.CpuLimits;
import org.vmm4j.core.internal.hotplug.Deadlines;
import org.vmm4j.core.internal.hotplug.MemoryLimits;
import org.vmm4j.core.internal.hotplug.QemuFacts;
import org.vmm4j.core.internal.hotplug.SandboxModel;
import org.vmm4j.core.internal.hotplug.Tx;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;

/**
 * vmm4j's transaction without the store, for the benchmarks' "flow" variants: the model restored
 * from a state kept in memory ({@link SandboxModel}), the work on a {@link Tx} (its QMP steps and
 * their undo), the state the model gives back kept for the next one; no lock, no read, no save. On
 * failure the work is rolled back as the real transaction does. Uses core's internal hotplug
 * classes: the benchmarks measure the flows beneath {@code Sandbox.devices()}, which the API does
 * not expose.
 */
final class MemoryTx {
  /** A virtio-blk q35 sandbox under TCG: what the flows read of the config. */
  static final HypervisorConfig CONFIG =
      HypervisorConfig.of(
              HypervisorConfig.kataBuilder()
                  .hypervisorMachineType("q35")
                  .blockDeviceDriver("virtio-blk")
                  .numVcpus(1)
                  .defaultMaxVcpus(1)
                  .memorySize(256)
                  .build())
          .withLive(LiveSettings.builder().accelerator(Accelerator.TCG).build());

  /** QEMU's constants as a q35 QEMU without a RAM backend object or SCSI controller has them. */
  static final QemuFacts Q35 =
      new QemuFacts(
          MachineType.Q35,
          Optional.empty(),
          new MemoryLimits(256, 0, 256, false),
          CpuLimits.of(CONFIG, Accelerator.TCG),
          false);

  private final QmpClient qmp;
  private final Path vmDir;
  private StoredSandbox stored;

  /**
   * @param vmDir the VM directory the transaction may keep files in (the flows measured keep none)
   */
  MemoryTx(SandboxState state, QmpClient qmp, Path vmDir) {
    this.stored = new StoredSandbox(state, Map.of());
    this.qmp = qmp;
    this.vmDir = vmDir;
  }

  /** The state as the last transaction left it. */
  SandboxState state() {
    return stored.sandbox();
  }

  /** Runs {@code work} as one transaction on the state in memory. */
  <T> T run(Function<Tx, T> work) {
    SandboxModel model = SandboxModel.of(stored, CONFIG.kata().blockDeviceDriver(), false);
    Tx tx = new Tx(model, qmp, () -> Q35, Deadlines.defaults(), vmDir);
    T result;
    try {
      result = work.apply(tx);
    } catch (RuntimeException e) {
      throw tx.rollback(e);
    }
    stored = model.toStored();
    return result;
  }
}
