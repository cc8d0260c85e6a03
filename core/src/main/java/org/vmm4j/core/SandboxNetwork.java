package org.vmm4j.core;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vmm4j.core.hotplug.CpuHotplug;
import org.vmm4j.core.hotplug.HotplugContext;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.core.net.Attachment;
import org.vmm4j.core.net.EndpointAttacher;
import org.vmm4j.core.net.EndpointDetacher;
import org.vmm4j.core.net.EndpointSelection;
import org.vmm4j.core.net.NetnsPaths;
import org.vmm4j.core.net.RecordedEndpoint;
import org.vmm4j.core.net.RecordedEndpoints;
import org.vmm4j.devices.PciTopology;
import org.vmm4j.devices.Placement;
import org.vmm4j.network.ConnectOptions;
import org.vmm4j.network.Endpoint;
import org.vmm4j.network.EndpointRecords;
import org.vmm4j.network.InterworkingModel;
import org.vmm4j.network.MacAddress;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetworkScan;
import org.vmm4j.network.NetworkScanner;
import org.vmm4j.network.ScanOptions;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;

/**
 * A running sandbox's network endpoints ({@link Sandbox#network()}): attach the interfaces of its
 * namespace ({@link #attach}) or a vhost-user backend ({@link #attachVhostUser}) to the running
 * guest, detach one ({@link #detach}), list them ({@link #endpoints}). Each operation is one {@link
 * Sandbox#update}: under the sandbox's exclusive lock, from the state as stored (so any process can
 * detach what another attached), saved after success only. The PCI topology is read from the stored
 * {@code Bridges} each time and written back with the state.
 */
public final class SandboxNetwork {
  private final Sandbox sandbox;
  private final HotplugTimeouts timeouts;

  SandboxNetwork(Sandbox sandbox, HotplugTimeouts timeouts) {
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
  }

  /** The same with other deadlines (e.g. {@code DEVICE_DELETED}). */
  public SandboxNetwork withTimeouts(HotplugTimeouts t) {
    return new SandboxNetwork(sandbox, t);
  }

  /** The endpoints the state (as last read or saved by this object) records, in order. */
  public List<AttachedEndpoint> endpoints() {
    SandboxState st = sandbox.state();
    PciTopology t = PciTopology.restore(sandbox.id(), st.hypervisorState().bridges());
    return RecordedEndpoints.read(st.network(), st.hypervisorState().bridges(), t).stream()
        .map(AttachedEndpoint::of)
        .toList();
  }

  /** The endpoint named {@code name}, if the state records one. */
  public Optional<AttachedEndpoint> find(String name) {
    return endpoints().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /**
   * Attaches interfaces of the sandbox's namespace to the running guest: scans it, connects each
   * new interface on the host and adds its NIC over QMP (see {@link NetAttachRequest}). All or
   * nothing: when one fails, those attached before it are detached again.
   *
   * @return what was attached, in scan order
   * @throws HotplugRefusedException for another namespace than the sandbox's, an interface that is
   *     not there or attached already, a physical NIC, or no bridge for the device
   * @throws HotplugException (or {@link org.vmm4j.network.NetlinkException}) naming the endpoint
   *     and the step that failed, after the rollback
   */
  public List<AttachedEndpoint> attach(NetAttachRequest r) {
    String what = "sandbox " + sandbox.id() + ": hotplug net";
    List<Attachment> done = new ArrayList<>();
    RuntimeException[] failure = {null};
    sandbox.update(
        stored -> {
          SandboxState st = stored.sandbox();
          Path ns = namespace(r, st, what);
          HotplugContext ctx = context(st);
          List<RecordedEndpoint> recorded = recorded(st, ctx);
          InterworkingModel model = r.model().orElse(model(st));
          try (NetNs netns = NetNs.open(ns)) {
            NetworkScan scan = NetworkScanner.scan(netns, ScanOptions.of(model));
            List<Endpoint> todo =
                EndpointSelection.select(scan, recorded, r.iface(), what, ns.toString());
            EndpointAttacher a = new EndpointAttacher(ctx, netns, connectOptions(), vmDir());
            Placement placement = a.placement(what);
            for (Endpoint e : todo) {
              try {
                done.add(a.attach(e, placement));
              } catch (RuntimeException x) {
                failure[0] = x;
                undoBatch(a, done, x);
                break;
              }
            }
          }
          if (done.isEmpty() && failure[0] != null) {
            throw failure[0];
          }
          return record(stored, ns.toString(), done, ctx);
        });
    if (failure[0] != null) {
      throw partial(what, failure[0], done);
    }
    return done.stream().map(AttachedEndpoint::of).toList();
  }

  /**
   * Attaches a vhost-user network backend listening on {@code socket} (DESIGN decision 10: guest
   * memory must be shared), recorded as a {@code VhostUserEndpoint} named {@code vhost-user-<n>}.
   *
   * @param mac the guest NIC's MAC; empty for a random locally administered one
   * @throws HotplugRefusedException without the socket, or without shared guest memory
   */
  public AttachedEndpoint attachVhostUser(Path socket, Optional<MacAddress> mac) {
    String what = "sandbox " + sandbox.id() + ": hotplug vhost-user-net";
    if (!Files.exists(socket)) {
      throw new HotplugRefusedException(what + ": no vhost-user socket at " + socket);
    }
    Attachment[] done = {null};
    sandbox.update(
        stored -> {
          SandboxState st = stored.sandbox();
          HotplugContext ctx = context(st);
          String name = freeVhostUserName(recorded(st, ctx));
          Endpoint.VhostUser e =
              new Endpoint.VhostUser(name, socket, mac.orElseGet(MacAddress::randomLocal), "");
          EndpointAttacher a = new EndpointAttacher(ctx, null, ConnectOptions.of(1), vmDir());
          done[0] = a.attach(e, a.placement(what));
          return record(stored, st.network().netNsPath(), List.of(done[0]), ctx);
        });
    return AttachedEndpoint.of(done[0]);
  }

  /**
   * Detaches endpoint {@code name}: {@code device_del} and wait (then {@code qom-list} says what is
   * true), {@code netdev_del}, the slot freed, then the host side restored exactly (no tap,
   * macvtap, qdisc or filter left; the CNI interface's MAC, addresses, routes and state back).
   *
   * @throws HotplugRefusedException when the state records no endpoint of that name
   * @throws org.vmm4j.core.hotplug.DeviceStillPresentException when QEMU keeps the device (nothing
   *     changed)
   * @throws HotplugException when the device is gone (and the endpoint with it from the state) but
   *     its netdev or host side could not be removed: the message says what is left
   */
  public void detach(String name) {
    String what = "sandbox " + sandbox.id() + ": unplug " + name;
    RuntimeException[] leftover = {null};
    sandbox.update(
        stored -> {
          SandboxState st = stored.sandbox();
          HotplugContext ctx = context(st);
          RecordedEndpoint r = recordedNamed(recorded(st, ctx), name, what);
          leftover[0] =
              EndpointDetacher.detach(ctx, r, st.network().netNsPath(), vmDir()).orElse(null);
          return remove(stored, r, ctx);
        });
    if (leftover[0] != null) {
      throw leftover[0];
    }
  }

  private static RecordedEndpoint recordedNamed(
      List<RecordedEndpoint> all, String name, String what) {
    return all.stream()
        .filter(x -> x.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new HotplugRefusedException(
                    what
                        + ": no network endpoint of that name (endpoints: "
                        + (all.isEmpty()
                            ? "none"
                            : String.join(", ", all.stream().map(RecordedEndpoint::name).toList()))
                        + ")"));
  }

  /** Undoes a batch after {@code cause}, newest first; what QEMU keeps stays in {@code done}. */
  private static void undoBatch(EndpointAttacher a, List<Attachment> done, RuntimeException cause) {
    List<Attachment> kept = new ArrayList<>();
    for (int i = done.size() - 1; i >= 0; i--) {
      try {
        a.unplug(done.get(i));
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
        kept.add(0, done.get(i));
      }
    }
    done.clear();
    done.addAll(kept);
  }

  private static RuntimeException partial(
      String what, RuntimeException cause, List<Attachment> kept) {
    if (kept.isEmpty()) {
      return cause;
    }
    return new HotplugException(
        what
            + ": "
            + cause.getMessage()
            + "; could not detach again (recorded as attached): "
            + String.join(", ", kept.stream().map(Attachment::name).toList()),
        cause,
        kept.stream().map(k -> "endpoint " + k.name()).toList());
  }

  private Path namespace(NetAttachRequest r, SandboxState st, String what) {
    String own = st.network().netNsPath();
    Optional<Path> asked = r.netns().map(NetnsPaths::resolve);
    if (asked.isPresent() && !Files.exists(asked.get())) {
      throw new HotplugRefusedException(what + ": no network namespace at " + asked.get());
    }
    if (own.isEmpty()) {
      return asked.orElseThrow(
          () ->
              new HotplugRefusedException(
                  what + ": the sandbox has no network namespace: name one (--netns)"));
    }
    if (asked.isPresent() && !NetnsPaths.same(asked.get(), Path.of(own))) {
      throw new HotplugRefusedException(
          what + ": the sandbox's network namespace is " + own + ", not " + asked.get());
    }
    return Path.of(own);
  }

  /**
   * The context of the flows, as {@link SandboxDevices#transact} restores it: bridges and block
   * indexes from the state, machine type and guest RAM's backend from QEMU (the profile, read once
   * per sandbox object), no PCI slot under TCG after a vCPU unplug.
   */
  private HotplugContext context(SandboxState st) {
    HotplugProfile p = sandbox.devices().profile();
    HotplugContext ctx =
        HotplugContext.restored(
                sandbox.id(), sandbox.qmp(), p.machine(), st.hypervisorState(), p.memory())
            .withTimeouts(timeouts);
    if (p.cpuLimits().accelerator() == Accelerator.TCG
        && CpuUnplugMarker.read(sandbox.paths().vmDir(), sandbox.pid())) {
      ctx.topology().refusePlugs(CpuHotplug.NO_PCI_PLUG_AFTER_CPU_UNPLUG);
    }
    return ctx;
  }

  private static List<RecordedEndpoint> recorded(SandboxState st, HotplugContext ctx) {
    return RecordedEndpoints.read(st.network(), st.hypervisorState().bridges(), ctx.topology());
  }

  private static InterworkingModel model(SandboxState st) {
    long code = st.config().networkConfig().interworkingModel();
    return code == RuntimeConfig.MODEL_MACVTAP
        ? InterworkingModel.MACVTAP
        : InterworkingModel.TCFILTER;
  }

  private ConnectOptions connectOptions() {
    ConnectOptions o = ConnectOptions.of((int) Math.max(1, sandbox.config().kata().numVcpus()));
    return sandbox.config().kata().disableVhostNet() ? o.withoutVhostNet() : o;
  }

  private Path vmDir() {
    return sandbox.paths().vmDir();
  }

  private static String freeVhostUserName(List<RecordedEndpoint> recorded) {
    for (int i = 0; ; i++) {
      String n = "vhost-user-" + i;
      if (recorded.stream().noneMatch(r -> r.name().equals(n))) {
        return n;
      }
    }
  }

  /** {@code stored} with {@code added} appended to the endpoints and the topology's bridges. */
  private static StoredSandbox record(
      StoredSandbox stored, String ns, List<Attachment> added, HotplugContext ctx) {
    SandboxState st = stored.sandbox();
    NetworkInfo old = st.network();
    List<NetworkEndpoint> list = new ArrayList<>();
    if (old.endpoints() != null) {
      list.addAll(old.endpoints());
    }
    added.forEach(a -> list.add(EndpointRecords.toPersisted(a.endpoint())));
    NetworkInfo info =
        new NetworkInfo(ns, old.netmonPid(), old.netNsCreated(), list.isEmpty() ? null : list);
    SandboxState.Builder b = st.toBuilder().network(info);
    b.hypervisorState(
        st.hypervisorState().toBuilder().bridges(ctx.topology().toPersisted()).build());
    if (st.config().networkConfig().netNsPath().isEmpty() && !ns.isEmpty()) {
      var nc = st.config().networkConfig();
      b.config(
          st.config().toBuilder()
              .networkConfig(
                  new org.vmm4j.persist.NetworkConfig(
                      ns, nc.netNsCreated(), nc.disableNewNetNs(), nc.interworkingModel()))
              .build());
    }
    return new StoredSandbox(b.build(), stored.containers());
  }

  /** {@code stored} without endpoint {@code r}, with the topology's bridges. */
  private static StoredSandbox remove(
      StoredSandbox stored, RecordedEndpoint r, HotplugContext ctx) {
    SandboxState st = stored.sandbox();
    NetworkInfo old = st.network();
    List<NetworkEndpoint> list = new ArrayList<>(old.endpoints());
    list.remove(r.index());
    NetworkInfo info =
        new NetworkInfo(
            old.netNsPath(), old.netmonPid(), old.netNsCreated(), list.isEmpty() ? null : list);
    SandboxState next =
        st.toBuilder()
            .network(info)
            .hypervisorState(
                st.hypervisorState().toBuilder().bridges(ctx.topology().toPersisted()).build())
            .build();
    return new StoredSandbox(next, stored.containers());
  }
}
