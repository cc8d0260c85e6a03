package org.vmm4j.persist;

import java.util.List;
import java.util.Objects;
import org.vmm4j.persist.codec.GoField;
import org.vmm4j.persist.codec.GoType;

/**
 * persistapi.SandboxConfig: the sandbox configuration saved with its state (Kata 1.13 fields).
 *
 * <p>Go type: {@code persistapi.SandboxConfig}. Built from Go zero values with {@link #builder()}.
 */
public record SandboxConfig(
    @GoField("HypervisorType") String hypervisorType,
    @GoField("HypervisorConfig") HypervisorConfig hypervisorConfig,
    @GoField("AgentType") String agentType,
    @GoField(value = "KataAgentConfig", omitEmpty = true, pointer = true)
        KataAgentConfig kataAgentConfig,
    @GoField("ProxyType") String proxyType,
    @GoField("ProxyConfig") ProxyConfig proxyConfig,
    @GoField("ShimType") String shimType,
    @GoField(value = "KataShimConfig", pointer = true) ShimConfig kataShimConfig,
    @GoField("NetworkConfig") NetworkConfig networkConfig,
    @GoField(value = "ShmSize", type = GoType.UINT64) long shmSize,
    @GoField("SharePidNs") boolean sharePidNs,
    @GoField("Stateful") boolean stateful,
    @GoField("SystemdCgroup") boolean systemdCgroup,
    @GoField("SandboxCgroupOnly") boolean sandboxCgroupOnly,
    @GoField("EnableAgentPidNs") boolean enableAgentPidNs,
    @GoField("DisableGuestSeccomp") boolean disableGuestSeccomp,
    @GoField("Experimental") List<String> experimental,
    @GoField("ContainerConfigs") List<ContainerConfig> containerConfigs,
    @GoField(value = "cgroups", pointer = true) Cgroup cgroups) {

  /** Checks that Go value fields are not null and makes collections immutable (null stays null). */
  public SandboxConfig {
    Objects.requireNonNull(hypervisorType, "HypervisorType");
    Objects.requireNonNull(hypervisorConfig, "HypervisorConfig");
    Objects.requireNonNull(agentType, "AgentType");
    Objects.requireNonNull(proxyType, "ProxyType");
    Objects.requireNonNull(proxyConfig, "ProxyConfig");
    Objects.requireNonNull(shimType, "ShimType");
    Objects.requireNonNull(networkConfig, "NetworkConfig");
    experimental = Copies.list(experimental);
    containerConfigs = Copies.list(containerConfigs);
  }

  /** A builder starting from Go zero values (what Go writes for a zero {@code SandboxConfig}). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this value. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.hypervisorType = hypervisorType;
    b.hypervisorConfig = hypervisorConfig;
    b.agentType = agentType;
    b.kataAgentConfig = kataAgentConfig;
    b.proxyType = proxyType;
    b.proxyConfig = proxyConfig;
    b.shimType = shimType;
    b.kataShimConfig = kataShimConfig;
    b.networkConfig = networkConfig;
    b.shmSize = shmSize;
    b.sharePidNs = sharePidNs;
    b.stateful = stateful;
    b.systemdCgroup = systemdCgroup;
    b.sandboxCgroupOnly = sandboxCgroupOnly;
    b.enableAgentPidNs = enableAgentPidNs;
    b.disableGuestSeccomp = disableGuestSeccomp;
    b.experimental = experimental;
    b.containerConfigs = containerConfigs;
    b.cgroups = cgroups;
    return b;
  }

  /** Builds {@link SandboxConfig} values; every field starts at its Go zero value. */
  public static final class Builder {
    private String hypervisorType = "";
    private HypervisorConfig hypervisorConfig = HypervisorConfig.builder().build();
    private String agentType = "";
    private KataAgentConfig kataAgentConfig;
    private String proxyType = "";
    private ProxyConfig proxyConfig = new ProxyConfig("", false);
    private String shimType = "";
    private ShimConfig kataShimConfig;
    private NetworkConfig networkConfig = new NetworkConfig("", false, false, 0);
    private long shmSize;
    private boolean sharePidNs;
    private boolean stateful;
    private boolean systemdCgroup;
    private boolean sandboxCgroupOnly;
    private boolean enableAgentPidNs;
    private boolean disableGuestSeccomp;
    private List<String> experimental;
    private List<ContainerConfig> containerConfigs;
    private Cgroup cgroups;

    private Builder() {}

    public Builder hypervisorType(String hypervisorType) {
      this.hypervisorType = hypervisorType;
      return this;
    }

    public Builder hypervisorConfig(HypervisorConfig hypervisorConfig) {
      this.hypervisorConfig = hypervisorConfig;
      return this;
    }

    public Builder agentType(String agentType) {
      this.agentType = agentType;
      return this;
    }

    public Builder kataAgentConfig(KataAgentConfig kataAgentConfig) {
      this.kataAgentConfig = kataAgentConfig;
      return this;
    }

    public Builder proxyType(String proxyType) {
      this.proxyType = proxyType;
      return this;
    }

    public Builder proxyConfig(ProxyConfig proxyConfig) {
      this.proxyConfig = proxyConfig;
      return this;
    }

    public Builder shimType(String shimType) {
      this.shimType = shimType;
      return this;
    }

    public Builder kataShimConfig(ShimConfig kataShimConfig) {
      this.kataShimConfig = kataShimConfig;
      return this;
    }

    public Builder networkConfig(NetworkConfig networkConfig) {
      this.networkConfig = networkConfig;
      return this;
    }

    public Builder shmSize(long shmSize) {
      this.shmSize = shmSize;
      return this;
    }

    public Builder sharePidNs(boolean sharePidNs) {
      this.sharePidNs = sharePidNs;
      return this;
    }

    public Builder stateful(boolean stateful) {
      this.stateful = stateful;
      return this;
    }

    public Builder systemdCgroup(boolean systemdCgroup) {
      this.systemdCgroup = systemdCgroup;
      return this;
    }

    public Builder sandboxCgroupOnly(boolean sandboxCgroupOnly) {
      this.sandboxCgroupOnly = sandboxCgroupOnly;
      return this;
    }

    public Builder enableAgentPidNs(boolean enableAgentPidNs) {
      this.enableAgentPidNs = enableAgentPidNs;
      return this;
    }

    public Builder disableGuestSeccomp(boolean disableGuestSeccomp) {
      this.disableGuestSeccomp = disableGuestSeccomp;
      return this;
    }

    public Builder experimental(List<String> experimental) {
      this.experimental = experimental;
      return this;
    }

    public Builder containerConfigs(List<ContainerConfig> containerConfigs) {
      this.containerConfigs = containerConfigs;
      return this;
    }

    public Builder cgroups(Cgroup cgroups) {
      this.cgroups = cgroups;
      return this;
    }

    public SandboxConfig build() {
      return new SandboxConfig(
          hypervisorType,
          hypervisorConfig,
          agentType,
          kataAgentConfig,
          proxyType,
          proxyConfig,
          shimType,
          kataShimConfig,
          networkConfig,
          shmSize,
          sharePidNs,
          stateful,
          systemdCgroup,
          sandboxCgroupOnly,
          enableAgentPidNs,
          disableGuestSeccomp,
          experimental,
          containerConfigs,
          cgroups);
    }
  }
}
