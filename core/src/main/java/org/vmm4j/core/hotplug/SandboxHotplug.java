package org.vmm4j.core.hotplug;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.HypervisorState;

/**
 * Every hotplug flow of one sandbox over one context: what the wiring ({@code Sandbox}, the CLI)
 * holds per QEMU process. After each successful flow it saves {@link #applyTo} the sandbox's {@code
 * HypervisorState}, the devices' records ({@link PluggedBlock#toBlockDrive()}, {@link
 * PluggedVfio#toVfioDevs()}, {@link PluggedVhostUser#toAttrs()}) in their {@code DeviceState}, and
 * {@link #cpuUnplugHappened()} next to QEMU's pid (the schema has no field for it).
 */
public final class SandboxHotplug {
  private final HotplugContext ctx;
  private final BlockHotplug block;
  private final VfioHotplug vfio;
  private final VhostUserHotplug vhostUser;
  private final CpuHotplug cpus;
  private final MemoryHotplug memory;

  private SandboxHotplug(
      HotplugContext ctx,
      CpuLimits cpu,
      MemoryLimits mem,
      List<CpuDevice> vcpus,
      long memoryMiB,
      boolean cpuUnplugged) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.block = new BlockHotplug(ctx);
    this.vfio = new VfioHotplug(ctx);
    this.vhostUser = new VhostUserHotplug(ctx);
    this.cpus = new CpuHotplug(ctx, cpu, vcpus, cpuUnplugged);
    this.memory = new MemoryHotplug(ctx, mem, memoryMiB);
  }

  /** A sandbox just launched: nothing hot-plugged. */
  public static SandboxHotplug launched(HotplugContext ctx, CpuLimits cpu, MemoryLimits mem) {
    return new SandboxHotplug(ctx, cpu, mem, List.of(), 0, false);
  }

  /**
   * A sandbox a controller reattaches to: hot-plugged vCPUs and memory from {@code state} (bridges
   * and block indexes are in {@code ctx}, see {@link HotplugContext#restored}).
   *
   * @param cpuUnplugHappened what was persisted for this QEMU process (false for another pid)
   */
  public static SandboxHotplug restored(
      HotplugContext ctx,
      CpuLimits cpu,
      MemoryLimits mem,
      HypervisorState state,
      boolean cpuUnplugHappened) {
    return new SandboxHotplug(
        ctx, cpu, mem, state.hotpluggedVcpus(), state.hotpluggedMemory(), cpuUnplugHappened);
  }

  public HotplugContext context() {
    return ctx;
  }

  public BlockHotplug block() {
    return block;
  }

  public VfioHotplug vfio() {
    return vfio;
  }

  public VhostUserHotplug vhostUser() {
    return vhostUser;
  }

  public CpuHotplug cpus() {
    return cpus;
  }

  public MemoryHotplug memory() {
    return memory;
  }

  /** Whether a vCPU was unplugged from this QEMU process (under TCG no vCPU may be added then). */
  public boolean cpuUnplugHappened() {
    return cpus.unplugHappened();
  }

  /**
   * {@code base} with what hotplug owns: {@code Bridges} (with {@code DeviceAddr}), {@code
   * BlockIndexMap}, {@code HotpluggedVCPUs}, {@code HotpluggedMemory}.
   */
  public HypervisorState applyTo(HypervisorState base) {
    return base.toBuilder()
        .bridges(ctx.topology().toPersisted())
        .blockIndexMap(ctx.blockIndexes().toPersisted())
        .hotpluggedVcpus(cpus.hotplugged())
        .hotpluggedMemory(memory.hotpluggedMiB())
        .build();
  }
}
