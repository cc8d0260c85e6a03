package org.vmm4j.core.internal.hotplug;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.LaunchException;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.net.Attachment;
import org.vmm4j.core.internal.net.EndpointSelection;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetworkScan;
import org.vmm4j.network.NetworkScanner;
import org.vmm4j.network.ScanOptions;

/**
 * The endpoints of a sandbox's namespace, attached by the launcher while QEMU waits in {@code -S}
 * (QEMU inherits no descriptor: every tap's queues are passed over QMP): the namespace a CNI plugin
 * prepared is scanned ({@link NetworkScanner}), every endpoint connected with the sandbox's
 * interworking model ({@code NetworkConfig.InterworkingModel}: tcfilter unless macvtap) and one
 * queue per vCPU, and added over QMP on a bridge slot or root port ({@link EndpointAttacher}), in a
 * transaction on the launch's model, which then records them (its state is what the launcher
 * saves). When the launch fails, {@link #rollback()} restores the namespace (QEMU is killed by the
 * launcher, so no device is removed over QMP); when it succeeds, {@link #close()}.
 */
public final class LaunchNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchNetwork.class);

  private final Tx tx;
  private final String netNsPath;
  private final List<Attachment> attached = new ArrayList<>();

  private LaunchNetwork(Tx tx, String netNsPath) {
    this.tx = tx;
    this.netNsPath = netNsPath;
  }

  /**
   * Attaches the endpoints of {@code netNsPath} ("" for none: nothing to do) in {@code tx}, the
   * transaction on a launch's model (nothing plugged yet; QEMU still stopped).
   *
   * @throws LaunchException naming the endpoint and the step that failed, after undoing the host
   *     side of everything this attached (the devices go with QEMU)
   */
  public static LaunchNetwork attach(Tx tx, RuntimeConfig rc, String netNsPath) {
    LaunchNetwork n = new LaunchNetwork(tx, netNsPath);
    if (!netNsPath.isEmpty()) {
      try {
        n.attachAll(rc);
      } catch (RuntimeException e) {
        n.rollback(e);
        throw new LaunchException("network " + netNsPath + ": " + e.getMessage(), "", e);
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
    // open until the launch ends (close, rollback): a rollback restores the host sides through it
    NetNs ns = NetNs.open(Path.of(netNsPath));
    tx.atEnd(ns::close);
    NetworkScan scan = NetworkScanner.scan(ns, ScanOptions.of(model));
    if (scan.endpoints().isEmpty()) {
      LOG.info("sandbox {}: no interface with an address in {}", tx.sandboxId(), netNsPath);
      return;
    }
    if (model == InterworkingModel.NONE) {
      throw new LaunchException(
          "Invalid internetworking model none: the namespace has interfaces", "", null);
    }
    List<Endpoint> endpoints =
        EndpointSelection.select(scan, List.of(), Optional.empty(), "attach", netNsPath);
    EndpointAttacher attacher = new EndpointAttacher(tx, ns, options);
    Placement placement = attacher.placement("sandbox " + tx.sandboxId() + ": attach network");
    for (Endpoint e : endpoints) {
      attached.add(attacher.attach(e, placement));
    }
  }

  private static InterworkingModel model(RuntimeConfig rc) {
    long code = rc.interworkingModel();
    return code == RuntimeConfig.MODEL_MACVTAP
        ? InterworkingModel.MACVTAP
        : code == RuntimeConfig.MODEL_NONE ? InterworkingModel.NONE : InterworkingModel.TCFILTER;
  }

  /** The state started with, the attached endpoints and their slots recorded. */
  public org.vmm4j.persist.SandboxState state() {
    return tx.model().toStored().sandbox();
  }

  /** What was attached, in order. */
  public List<Attachment> attached() {
    return List.copyOf(attached);
  }

  /** The launch succeeded: closes the namespace kept open for a rollback. */
  public void close() {
    tx.end().forEach(e -> LOG.warn("sandbox {}: close {}: {}", tx.sandboxId(), netNsPath, e));
  }

  /**
   * Undoes the host side of everything attached (the launch failed; QEMU is killed), then closes
   * the namespace.
   */
  public void rollback() {
    rollback(null);
  }

  private void rollback(RuntimeException cause) {
    attached.clear();
    List<RuntimeException> failures = new ArrayList<>(tx.releaseHost());
    failures.addAll(tx.end());
    for (RuntimeException e : failures) {
      LOG.warn("sandbox {}: undo the network on the host: {}", tx.sandboxId(), e.toString());
    }
    if (failures.isEmpty()) {
      return;
    }
    RuntimeException first = failures.get(0);
    failures.stream().skip(1).forEach(first::addSuppressed);
    if (cause != null) {
      cause.addSuppressed(first);
    } else {
      throw first;
    }
  }
}
