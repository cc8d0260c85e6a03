package org.vmm4j.core.internal.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.qemu.AgentChannel;
import org.vmm4j.core.internal.qemu.QemuCommandLine;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.persist.AgentState;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.KataAgentConfig;
import org.vmm4j.persist.NetworkConfig;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.ProxyConfig;
import org.vmm4j.persist.SandboxConfig;
import org.vmm4j.persist.SandboxState;

/**
 * The persisted {@code SandboxState} of a sandbox, as Kata 1.13 in shim-v2 mode writes it (Kata's
 * {@code Sandbox.Save()}; the agent fields as shim v2 fills them; the bridges with their devices'
 * slots): after a start ({@link #started}) and after a stop ({@link #stopped}). Kata's {@code
 * RunSandbox} (create, then start) leaves the sandbox {@value #RUNNING}; its {@code Stop} writes
 * {@value #STOPPED}.
 */
public final class SandboxStates {
  /** Kata's {@code types.StateRunning}. */
  public static final String RUNNING = "running";

  /** Kata's {@code types.StateStopped}. */
  public static final String STOPPED = "stopped";

  /** {@code HypervisorState.Type} and {@code SandboxConfig.HypervisorType} for QEMU. */
  public static final String QEMU = "qemu";

  private SandboxStates() {}

  /**
   * What a started sandbox records.
   *
   * @param id the sandbox id
   * @param config its validated configuration
   * @param cl its command line (bridges, agent channel)
   * @param uuid QEMU's {@code -uuid}
   * @param pid QEMU's pid
   * @param virtiofsdPid virtiofsd's pid, 0 without virtio-fs
   * @param vsockCid the agent's vsock guest CID (vsock channel only)
   * @param netNsPath the network namespace, "" for none
   */
  public static SandboxState started(
      String id,
      RuntimeConfig config,
      QemuCommandLine cl,
      UUID uuid,
      long pid,
      long virtiofsdPid,
      long vsockCid,
      String netNsPath) {
    HypervisorState hs =
        HypervisorState.builder()
            .pid(pid)
            .type(QEMU)
            .blockIndexMap(Set.of())
            .uuid(uuid.toString())
            .bridges(bridges(cl.bridges()))
            .virtiofsdPid(virtiofsdPid)
            .hotplugVfioOnRootBus(config.hypervisor().kata().hotplugVfioOnRootBus())
            .pcieRootPort(config.hypervisor().kata().pcieRootPort())
            .build();
    return SandboxState.builder()
        .persistVersion(PersistCodec.CURRENT_PERSIST_VERSION)
        .state(RUNNING)
        .sandboxContainer(id)
        .hypervisorState(hs)
        .agentState(agent(cl.agent(), pid, vsockCid))
        .network(new NetworkInfo(netNsPath, 0, false, null))
        .config(sandboxConfig(config, netNsPath))
        .build();
  }

  /**
   * The state after a stop: {@value #STOPPED}; no QEMU or virtiofsd pid (Kata reads the pid from
   * the pid file, gone with the VM directory); the agent's proxy pid -1 and URL "" (as Kata's agent
   * stop leaves them).
   */
  public static SandboxState stopped(SandboxState s) {
    HypervisorState hs = s.hypervisorState().toBuilder().pid(0).virtiofsdPid(0).build();
    return s.toBuilder()
        .state(STOPPED)
        .hypervisorState(hs)
        .agentState(new AgentState(-1, ""))
        .build();
  }

  /**
   * {@code HypervisorState.Bridges}: each bridge and root port of the command line with an empty
   * {@code DeviceAddr} (Kata's {@code NewBridge} makes an empty map), {@code Addr} its slot.
   */
  public static List<Bridge> bridges(List<PciBridge> bridges) {
    List<Bridge> out = new ArrayList<>(bridges.size());
    for (PciBridge b : bridges) {
      out.add(new Bridge(Map.of(), b.type().kataType(), b.id(), b.addr()));
    }
    return out;
  }

  /**
   * The agent state as Kata 1.13's shim v2 fills it: serial: {@code kata.sock}'s path; vsock:
   * {@code vsock://CID:1024}; the proxy pid is QEMU's.
   */
  public static AgentState agent(AgentChannel channel, long pid, long vsockCid) {
    if (channel instanceof AgentChannel.Serial s) {
      return new AgentState(pid, s.url());
    }
    if (channel instanceof AgentChannel.Vsock v) {
      return new AgentState(pid, v.url(vsockCid));
    }
    throw new AssertionError(channel);
  }

  /** The persisted {@code SandboxConfig}: Kata 1.13's shim-v2 fields around the hypervisor's. */
  public static SandboxConfig sandboxConfig(RuntimeConfig rc, String netNsPath) {
    boolean vsock = rc.hypervisor().kata().useVsock();
    return SandboxConfig.builder()
        .hypervisorType(QEMU)
        .hypervisorConfig(rc.hypervisor().toPersisted())
        .agentType(rc.agentType())
        .kataAgentConfig(
            RuntimeConfig.AGENT_KATA.equals(rc.agentType())
                ? new KataAgentConfig(rc.agentLongLiveConn(), vsock)
                : null)
        .proxyType(rc.proxyType())
        .proxyConfig(new ProxyConfig("", rc.proxyDebug()))
        .shimType(rc.shimType())
        .kataShimConfig(null)
        .networkConfig(
            new NetworkConfig(netNsPath, false, rc.disableNewNetNs(), rc.interworkingModel()))
        .stateful(rc.stateful())
        .sandboxCgroupOnly(rc.sandboxCgroupOnly())
        .enableAgentPidNs(rc.enableAgentPidNs())
        .disableGuestSeccomp(rc.disableGuestSeccomp())
        .experimental(rc.experimental().isEmpty() ? null : rc.experimental())
        .build();
  }
}
