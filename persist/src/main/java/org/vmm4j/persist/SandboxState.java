package org.vmm4j.persist;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.SandboxState: the state of one sandbox ({@code <root>/sbs/<sid>/persist.json}).
 *
 * <p>Go type: {@code persistapi.SandboxState}. Built from Go zero values with {@link #builder()}.
 */
public record SandboxState(
    @GoField(value = "PersistVersion", type = GoType.UINT) long persistVersion,
    @GoField("State") String state,
    @GoField(value = "GuestMemoryBlockSizeMB", type = GoType.UINT32) long guestMemoryBlockSizeMb,
    @GoField("GuestMemoryHotplugProbe") boolean guestMemoryHotplugProbe,
    @GoField("SandboxContainer") String sandboxContainer,
    @GoField("CgroupPath") String cgroupPath,
    @GoField("CgroupPaths") Map<String, String> cgroupPaths,
    @GoField("Devices") List<DeviceState> devices,
    @GoField("HypervisorState") HypervisorState hypervisorState,
    @GoField("AgentState") AgentState agentState,
    @GoField("Network") NetworkInfo network,
    @GoField("Config") SandboxConfig config)
    implements PersistedState {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public SandboxState {
    Objects.requireNonNull(state, "State");
    Objects.requireNonNull(sandboxContainer, "SandboxContainer");
    Objects.requireNonNull(cgroupPath, "CgroupPath");
    Objects.requireNonNull(hypervisorState, "HypervisorState");
    Objects.requireNonNull(agentState, "AgentState");
    Objects.requireNonNull(network, "Network");
    Objects.requireNonNull(config, "Config");
    cgroupPaths = Copies.map(cgroupPaths);
    devices = Copies.list(devices);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code SandboxState}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.persistVersion = persistVersion;
    b.state = state;
    b.guestMemoryBlockSizeMb = guestMemoryBlockSizeMb;
    b.guestMemoryHotplugProbe = guestMemoryHotplugProbe;
    b.sandboxContainer = sandboxContainer;
    b.cgroupPath = cgroupPath;
    b.cgroupPaths = cgroupPaths;
    b.devices = devices;
    b.hypervisorState = hypervisorState;
    b.agentState = agentState;
    b.network = network;
    b.config = config;
    return b;
  }

  /** Builds {@link SandboxState} values; every field starts at its Go zero value. */
  public static final class Builder {
    private long persistVersion;
    private String state = "";
    private long guestMemoryBlockSizeMb;
    private boolean guestMemoryHotplugProbe;
    private String sandboxContainer = "";
    private String cgroupPath = "";
    private Map<String, String> cgroupPaths;
    private List<DeviceState> devices;
    private HypervisorState hypervisorState = HypervisorState.builder().build();
    private AgentState agentState = new AgentState(0, "");
    private NetworkInfo network = new NetworkInfo("", 0, false, null);
    private SandboxConfig config = SandboxConfig.builder().build();

    private Builder() {}

    public Builder persistVersion(long persistVersion) {
      this.persistVersion = persistVersion;
      return this;
    }

    public Builder state(String state) {
      this.state = state;
      return this;
    }

    public Builder guestMemoryBlockSizeMb(long guestMemoryBlockSizeMb) {
      this.guestMemoryBlockSizeMb = guestMemoryBlockSizeMb;
      return this;
    }

    public Builder guestMemoryHotplugProbe(boolean guestMemoryHotplugProbe) {
      this.guestMemoryHotplugProbe = guestMemoryHotplugProbe;
      return this;
    }

    public Builder sandboxContainer(String sandboxContainer) {
      this.sandboxContainer = sandboxContainer;
      return this;
    }

    public Builder cgroupPath(String cgroupPath) {
      this.cgroupPath = cgroupPath;
      return this;
    }

    public Builder cgroupPaths(Map<String, String> cgroupPaths) {
      this.cgroupPaths = cgroupPaths;
      return this;
    }

    public Builder devices(List<DeviceState> devices) {
      this.devices = devices;
      return this;
    }

    public Builder hypervisorState(HypervisorState hypervisorState) {
      this.hypervisorState = hypervisorState;
      return this;
    }

    public Builder agentState(AgentState agentState) {
      this.agentState = agentState;
      return this;
    }

    public Builder network(NetworkInfo network) {
      this.network = network;
      return this;
    }

    public Builder config(SandboxConfig config) {
      this.config = config;
      return this;
    }

    public SandboxState build() {
      return new SandboxState(
          persistVersion,
          state,
          guestMemoryBlockSizeMb,
          guestMemoryHotplugProbe,
          sandboxContainer,
          cgroupPath,
          cgroupPaths,
          devices,
          hypervisorState,
          agentState,
          network,
          config);
    }
  }
}
