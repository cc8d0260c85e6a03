package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.InvalidRequestException;
import org.vmm4j.core.api.NetAttachRequest;
import org.vmm4j.core.api.SandboxNotFoundException;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.core.api.VhostUserSpec;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.network.NetNs;
import org.vmm4j.network.NetlinkException;
import org.vmm4j.network.TapDevice;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.InvalidNameException;
import org.vmm4j.persist.LockTimeoutException;
import org.vmm4j.persist.StateFormatException;
import org.vmm4j.persist.StateNotFoundException;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.qmp.QmpCommandException;
import org.vmm4j.testing.devices.FakeSysfs;
import org.vmm4j.testing.network.CniFixture;

/**
 * The exception root through the API of a real sandbox (q35, TCG, the halting kernel): each kind of
 * fault reached the way a caller meets it, as a {@link Vmm4jException} whose {@link
 * Vmm4jException#fault()} says whose fault it is, with the lower module's exception as its cause
 * where there is one, and nothing recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxFaultsIT {
  HaltedSandbox h;

  @BeforeAll
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "sf1",
            b ->
                b.editKata(k -> k.defaultBridges(1).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.sharedMemory(true)));
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private static Vmm4jException fails(Runnable call) {
    Throwable e = catchThrowable(call::run);
    assertThat(e).isInstanceOf(Vmm4jException.class);
    return (Vmm4jException) e;
  }

  @Test
  void anInvalidIdIsTheCallersFault() {
    for (Runnable call :
        new Runnable[] {
          () -> Sandbox.restore(h.store, "../sf1"),
          () -> Sandbox.stop(h.store, "a b", SandboxOptions.defaults()),
          () -> Sandbox.connectQmp(h.store, "", SandboxOptions.defaults())
        }) {
      Vmm4jException e = fails(call);
      assertThat(e).isExactlyInstanceOf(InvalidRequestException.class);
      assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.REQUEST);
      assertThat(e).hasCauseInstanceOf(InvalidNameException.class);
    }
  }

  @Test
  void anUnknownSandboxIsTheStatesFault() {
    Vmm4jException e = fails(() -> Sandbox.restore(h.store, "nope"));
    assertThat(e).isInstanceOf(SandboxNotFoundException.class).hasMessageContaining("nope");
    assertThat(((SandboxNotFoundException) e).sandboxId()).isEqualTo("nope");
    assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.STATE);
    assertThat(e).hasCauseInstanceOf(StateNotFoundException.class);
    Vmm4jException d = fails(() -> Sandbox.delete(h.store, "nope", SandboxOptions.defaults()));
    assertThat(d).isInstanceOf(SandboxNotFoundException.class);
  }

  @Test
  void aDeviceAddQemuRefusesIsQemusFaultAndRolledBack() throws IOException {
    byte[] before = h.stateBytes();
    // a VFIO group found in a sysfs tree whose device this host does not have: vfio-pci fails
    FakeSysfs sysfs =
        new FakeSysfs(h.root.resolve("sysfs"))
            .pci("0000:3f:1f.0", 77, true, "0x020000", "vfio-pci");
    Vmm4jException e =
        fails(
            () -> h.sandbox.devices().plugVfio(new VfioSpec("0000:3f:1f.0", sysfs.root(), false)));
    assertThat(e).isExactlyInstanceOf(HotplugException.class).hasMessageContaining("rolled back");
    assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.QEMU);
    assertThat(e.getCause()).isInstanceOf(QmpCommandException.class);
    assertThat(((QmpCommandException) e.getCause()).command().commandName())
        .isEqualTo("device_add");
    assertThat(e.leftInPlace()).isEmpty();
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
  }

  /**
   * A socket path or a namespace that is not there is refused before the transaction, as the
   * caller's fault (a {@link HotplugRefusedException}, no cause): nothing is done.
   */
  @Test
  void aMissingVhostUserSocketOrNamespaceIsRefused() {
    byte[] before = h.stateBytes();
    Path none = h.root.resolve("no-daemon.sock");
    for (Runnable call :
        new Runnable[] {
          () -> h.sandbox.devices().plugVhostUser(new VhostUserSpec.Blk(none)),
          () -> h.sandbox.network().attachVhostUser(none, java.util.Optional.empty()),
          () -> h.sandbox.network().attach(NetAttachRequest.all().withNetns("vmm4j-no-such-ns"))
        }) {
      Vmm4jException e = fails(call);
      assertThat(e).isExactlyInstanceOf(HotplugRefusedException.class);
      assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.REQUEST);
      assertThat(e.getMessage()).startsWith("sandbox sf1: hotplug ");
      assertThat(e.leftInPlace()).isEmpty();
    }
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
  }

  /**
   * A netlink failure on the host (the tap an endpoint needs exists already in the pod's namespace)
   * is the host's fault, with the netlink error as the cause; nothing is recorded.
   */
  @Test
  void aNetlinkFailureIsTheHostsFault() throws Exception {
    byte[] before = h.stateBytes();
    try (CniFixture cni = new CniFixture("sf");
        NetNs pod = NetNs.open(cni.podName())) {
      pod.run(
          ctx -> {
            ctx.openTap(
                    new TapDevice.Config(
                        "tap0_kata", 1, TapDevice.IFF_TAP | TapDevice.IFF_NO_PI, true))
                .close();
            return null;
          });
      CniFixture.State podBefore = cni.settledPodState();
      Vmm4jException e =
          fails(
              () ->
                  h.sandbox
                      .network()
                      .attach(NetAttachRequest.all().withNetns(cni.podPath().toString())));
      assertThat(e).isInstanceOf(HostException.class).hasMessageContaining("tap0_kata");
      assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.HOST);
      assertThat(e).hasCauseInstanceOf(NetlinkException.class);
      assertThat(cni.settledPodState()).isEqualTo(podBefore);
    }
    assertThat(new String(h.stateBytes())).isEqualTo(new String(before));
  }

  @Test
  void aLockHeldPastTheDeadlineIsTheStatesFault() throws IOException {
    Path disk = h.disk("locked.raw", 1);
    SandboxOptions impatient = SandboxOptions.defaults().withLockTimeout(Duration.ofMillis(200));
    try (Sandbox second = Sandbox.restore(h.store, h.sandbox.id(), impatient);
        StoreLock held = h.store.lock(h.sandbox.id(), true, Duration.ofSeconds(5))) {
      Vmm4jException e = fails(() -> second.devices().plugDisk(DiskSpec.raw(disk)));
      assertThat(e).isExactlyInstanceOf(StateException.class);
      assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.STATE);
      assertThat(e).hasCauseInstanceOf(LockTimeoutException.class);
    }
    assertThat(h.sandbox.devices().list()).isEmpty();
  }

  @Test
  void aCorruptStateIsTheStatesFault() throws IOException {
    FsStore store = new FsStore(h.root.resolve("corrupt"));
    Files.createDirectories(store.sandboxDir("bad"));
    Files.writeString(store.sandboxDir("bad").resolve(FsStore.STATE_FILE), "{\"State\":5}");
    Vmm4jException e = fails(() -> Sandbox.restore(store, "bad"));
    assertThat(e).isExactlyInstanceOf(StateException.class).hasMessageContaining("$.State");
    assertThat(e.fault()).isEqualTo(Vmm4jException.Fault.STATE);
    assertThat(e).hasCauseInstanceOf(StateFormatException.class);
  }
}
