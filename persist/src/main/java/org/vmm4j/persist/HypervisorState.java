package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.HypervisorState: QEMU's runtime state (pid, bridges, hot-plugged vCPUs and memory,
 * block indexes).
 *
 * <p>Go type: {@code persistapi.HypervisorState}. Built from Go zero values with {@link
 * #builder()}.
 */
public record HypervisorState(
    @GoField(value = "Pid", type = GoType.INT) long pid,
    @GoField("Type") String type,
    @GoField(value = "BlockIndexMap", type = GoType.INT) Set<Long> blockIndexMap,
    @GoField("UUID") String uuid,
    @GoField("Bridges") List<Bridge> bridges,
    @GoField("HotpluggedVCPUs") List<CpuDevice> hotpluggedVcpus,
    @GoField(value = "HotpluggedMemory", type = GoType.INT) long hotpluggedMemory,
    @GoField(value = "VirtiofsdPid", type = GoType.INT) long virtiofsdPid,
    @GoField("HotplugVFIOOnRootBus") boolean hotplugVfioOnRootBus,
    @GoField(value = "PCIeRootPort", type = GoType.INT) long pcieRootPort,
    @GoField("APISocket") String apiSocket) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public HypervisorState {
    Objects.requireNonNull(type, "Type");
    Objects.requireNonNull(uuid, "UUID");
    Objects.requireNonNull(apiSocket, "APISocket");
    blockIndexMap = Copies.set(blockIndexMap);
    bridges = Copies.list(bridges);
    hotpluggedVcpus = Copies.list(hotpluggedVcpus);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code HypervisorState}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.pid = pid;
    b.type = type;
    b.blockIndexMap = blockIndexMap;
    b.uuid = uuid;
    b.bridges = bridges;
    b.hotpluggedVcpus = hotpluggedVcpus;
    b.hotpluggedMemory = hotpluggedMemory;
    b.virtiofsdPid = virtiofsdPid;
    b.hotplugVfioOnRootBus = hotplugVfioOnRootBus;
    b.pcieRootPort = pcieRootPort;
    b.apiSocket = apiSocket;
    return b;
  }

  /** Builds {@link HypervisorState} values; every field starts at its Go zero value. */
  public static final class Builder {
    private long pid;
    private String type = "";
    private Set<Long> blockIndexMap;
    private String uuid = "";
    private List<Bridge> bridges;
    private List<CpuDevice> hotpluggedVcpus;
    private long hotpluggedMemory;
    private long virtiofsdPid;
    private boolean hotplugVfioOnRootBus;
    private long pcieRootPort;
    private String apiSocket = "";

    private Builder() {}

    public Builder pid(long pid) {
      this.pid = pid;
      return this;
    }

    public Builder type(String type) {
      this.type = type;
      return this;
    }

    public Builder blockIndexMap(Set<Long> blockIndexMap) {
      this.blockIndexMap = blockIndexMap;
      return this;
    }

    public Builder uuid(String uuid) {
      this.uuid = uuid;
      return this;
    }

    public Builder bridges(List<Bridge> bridges) {
      this.bridges = bridges;
      return this;
    }

    public Builder hotpluggedVcpus(List<CpuDevice> hotpluggedVcpus) {
      this.hotpluggedVcpus = hotpluggedVcpus;
      return this;
    }

    public Builder hotpluggedMemory(long hotpluggedMemory) {
      this.hotpluggedMemory = hotpluggedMemory;
      return this;
    }

    public Builder virtiofsdPid(long virtiofsdPid) {
      this.virtiofsdPid = virtiofsdPid;
      return this;
    }

    public Builder hotplugVfioOnRootBus(boolean hotplugVfioOnRootBus) {
      this.hotplugVfioOnRootBus = hotplugVfioOnRootBus;
      return this;
    }

    public Builder pcieRootPort(long pcieRootPort) {
      this.pcieRootPort = pcieRootPort;
      return this;
    }

    public Builder apiSocket(String apiSocket) {
      this.apiSocket = apiSocket;
      return this;
    }

    public HypervisorState build() {
      return new HypervisorState(
          pid,
          type,
          blockIndexMap,
          uuid,
          bridges,
          hotpluggedVcpus,
          hotpluggedMemory,
          virtiofsdPid,
          hotplugVfioOnRootBus,
          pcieRootPort,
          apiSocket);
    }
  }
}
