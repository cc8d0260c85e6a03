package org.vmm4j.core.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.CoreException;
import org.vmm4j.core.QemuCommandLine;
import org.vmm4j.core.RuntimeConfig;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetworkScan;
import org.vmm4j.network.NetworkScanner;
import org.vmm4j.network.ScanOptions;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpClient;

/**
 * The endpoints of a sandbox's namespace, attached by the launcher while QEMU waits in {@code -S}
 * (DESIGN decision 11: QEMU inherits no descriptor): the namespace a CNI plugin prepared is scanned
 * ({@link NetworkScanner}), every endpoint connected with the sandbox's interworking model ({@code
 * NetworkConfig.InterworkingModel}: tcfilter unless macvtap) and one queue per vCPU, and added over
 * QMP on a bridge slot or root port ({@link EndpointAttacher}). The state then records them ({@link
 * #applyTo}). When the launch fails, {@link #rollback()} restores the namespace (QEMU is killed by
 * the launcher, so no device is removed over QMP).
 */
public final class LaunchNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchNetwork.class);

  private final String netNsPath;
  private final Path vmDir;
  private final HotplugContext ctx;
  private final List<Attachment> attached = new ArrayList<>();

  private LaunchNetwork(String netNsPath, Path vmDir, HotplugContext ctx) {
    this.netNsPath = netNsPath;
    this.vmDir = vmDir;
    this.ctx = ctx;
  }

  /**
   * Attaches the endpoints of {@code netNsPath} ("" for none: nothing to do).
   *
   * @throws CoreException naming the endpoint and the step that failed, after undoing everything
   *     this attached (host side; the devices go with QEMU)
   */
  public static LaunchNetwork attach(
      String sandboxId,
      QmpClient qmp,
      QemuCommandLine cl,
      RuntimeConfig rc,
      String netNsPath,
      Path vmDir,
      HotplugTimeouts timeouts) {
    HotplugContext ctx = HotplugContext.launched(sandboxId, qmp, cl).withTimeouts(timeouts);
    LaunchNetwork n = new LaunchNetwork(netNsPath, vmDir, ctx);
    if (!netNsPath.isEmpty()) {
      try {
        n.attachAll(rc);
      } catch (RuntimeException e) {
        n.rollback(e);
        throw new CoreException("network " + netNsPath + ": " + e.getMessage(), e);
      }
    }
    return n;
  }

  private void attachAll(RuntimeConfig rc) {
    InterworkingModel model = model(rc);
    int queues = (int) Math.max(1, rc.hypervisor().kata().numVcpus());
    ConnectOptions options = ConnectOptions.of(queues);
    if (rc.hypervisor().kata().disableVhostNet()) {
      options = options.withoutVhostNet();
    }
    try (NetNs ns = NetNs.open(Path.of(netNsPath))) {
      NetworkScan scan = NetworkScanner.scan(ns, ScanOptions.of(model));
      if (scan.endpoints().isEmpty()) {
        LOG.info("sandbox {}: no interface with an address in {}", ctx.sandboxId(), netNsPath);
        return;
      }
      if (model == InterworkingModel.NONE) {
        throw new CoreException("Invalid internetworking model none: the namespace has interfaces");
      }
      List<Endpoint> endpoints =
          EndpointSelection.select(scan, List.of(), Optional.empty(), "attach", netNsPath);
      EndpointAttacher attacher = new EndpointAttacher(ctx, ns, options, vmDir);
      Placement placement = attacher.placement("sandbox " + ctx.sandboxId() + ": attach network");
      for (Endpoint e : endpoints) {
        attached.add(attacher.attach(e, placement));
      }
    }
  }

  private static InterworkingModel model(RuntimeConfig rc) {
    long code = rc.interworkingModel();
    return code == RuntimeConfig.MODEL_MACVTAP
        ? InterworkingModel.MACVTAP
        : code == RuntimeConfig.MODEL_NONE ? InterworkingModel.NONE : InterworkingModel.TCFILTER;
  }

  /** What was attached, in order. */
  public List<Attachment> attached() {
    return List.copyOf(attached);
  }

  /**
   * {@code st} with the namespace and the attached endpoints ({@code Network}) and the bridges'
   * {@code DeviceAddr} ({@code HypervisorState.Bridges}).
   */
  public SandboxState applyTo(SandboxState st) {
    if (netNsPath.isEmpty()) {
      return st;
    }
    NetworkInfo info =
        EndpointRecords.networkInfo(
            netNsPath, false, attached.stream().map(Attachment::endpoint).toList());
    return st.toBuilder()
        .network(info)
        .hypervisorState(
            st.hypervisorState().toBuilder().bridges(ctx.topology().toPersisted()).build())
        .build();
  }

  /** Undoes the host side of everything attached (the launch failed; QEMU is killed). */
  public void rollback() {
    rollback(null);
  }

  private void rollback(RuntimeException cause) {
    List<Attachment> all = new ArrayList<>(attached);
    attached.clear();
    if (all.isEmpty()) {
      return;
    }
    RuntimeException first = null;
    try (NetNs ns = NetNs.open(Path.of(netNsPath))) {
      for (int i = all.size() - 1; i >= 0; i--) {
        try {
          EndpointAttacher.releaseHost(all.get(i), ns, vmDir);
        } catch (RuntimeException e) {
          LOG.warn("sandbox {}: undo {}: {}", ctx.sandboxId(), all.get(i).name(), e.toString());
          first = collect(first, e);
        }
      }
    } catch (RuntimeException e) {
      first = collect(first, e);
    }
    if (first != null && cause != null) {
      cause.addSuppressed(first);
    } else if (first != null) {
      throw first;
    }
  }

  private static RuntimeException collect(RuntimeException first, RuntimeException e) {
    if (first == null) {
      return e;
    }
    first.addSuppressed(e);
    return first;
  }
}
