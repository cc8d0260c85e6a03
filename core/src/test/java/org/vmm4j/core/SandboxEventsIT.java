package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.ReconcileOptions;
import org.vmm4j.core.api.Reconciliation;
import org.vmm4j.core.api.Reconciliation.Leftover;
import org.vmm4j.core.api.Reconciliation.LeftoverKind;
import org.vmm4j.core.api.SandboxEvent;
import org.vmm4j.core.api.SandboxListener;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.BlockdevAdd;
import org.vmm4j.qmp.QmpClient;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every {@link SandboxEvent} on a real QEMU (q35, TCG, the halting kernel, native PCIe hotplug on
 * root ports: a {@code device_del} completes at once without a guest), heard by a sandbox's own
 * listener ({@link SandboxOptions#withListener}) and by the store's ({@link SandboxEvents#of}): a
 * plug, an unplug asked for, a device another QMP client removed on the tools socket (vmm4j then
 * finishes the unplug: backend deleted, slot and index freed, record dropped), drift found by a
 * reconcile, QEMU stopped by vmm4j and QEMU killed with SIGKILL.
 */
class SandboxEventsIT {
  static final long WAIT_S = 10;

  final BlockingQueue<SandboxEvent> own = new LinkedBlockingQueue<>();
  final BlockingQueue<SandboxEvent> store = new LinkedBlockingQueue<>();
  final SandboxListener storeListener = store::add;
  HaltedSandbox h;
  HaltedSandbox killed;

  @AfterEach
  void stop() {
    if (h != null) {
      SandboxEvents.of(h.store).removeListener(storeListener);
      h.close();
    }
    if (killed != null) {
      killed.close();
    }
  }

  private HaltedSandbox start(String id, BlockingQueue<SandboxEvent> heard) throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    return HaltedSandbox.start(
        id,
        b ->
            b.editKata(k -> k.pcieRootPort(4).blockDeviceDriver("virtio-blk"))
                .editLive(l -> l.nativePcieHotplug(true)),
        SandboxOptions.defaults().withListener(heard::add));
  }

  /** The next event {@code q} hears, of type {@code type}, within 10 s. */
  private static <E extends SandboxEvent> E next(BlockingQueue<SandboxEvent> q, Class<E> type)
      throws InterruptedException {
    SandboxEvent e = q.poll(WAIT_S, TimeUnit.SECONDS);
    assertThat(e).as("a " + type.getSimpleName() + " within " + WAIT_S + " s").isNotNull();
    assertThat(e).isInstanceOf(type);
    return type.cast(e);
  }

  /** Both listeners heard the same next event, of {@code type}. */
  private <E extends SandboxEvent> E nextOfBoth(Class<E> type) throws InterruptedException {
    E e = next(own, type);
    assertThat(next(store, type)).isEqualTo(e);
    assertThat(e.sandboxId()).isEqualTo(h.sandbox.id());
    return e;
  }

  @Test
  void plugsUnplugsRemovalsByAnotherClientAndDriftAreTold() throws Exception {
    h = start("ev1", own);
    SandboxEvents.of(h.store).addListener(storeListener);
    SandboxDevices devices = h.sandbox.devices();

    Device d = devices.plugDisk(DiskSpec.raw(h.disk("a.raw", 1)));
    assertThat(nextOfBoth(SandboxEvent.DeviceAdded.class).device()).isEqualTo(d);

    devices.unplug(d.id());
    SandboxEvent.DeviceRemoved asked = nextOfBoth(SandboxEvent.DeviceRemoved.class);
    assertThat(asked.requested()).isTrue();
    assertSame(asked.device(), d);

    // another QMP client (the tools socket: this sandbox holds the controller's) removes a disk
    Device other = devices.plugDisk(DiskSpec.raw(h.disk("b.raw", 1)));
    nextOfBoth(SandboxEvent.DeviceAdded.class);
    try (QmpClient tool = Sandbox.connectQmp(h.store, h.sandbox.id(), SandboxOptions.defaults())) {
      tool.deviceDel(other.qemuId(), Duration.ofSeconds(5), Duration.ofSeconds(5));
      SandboxEvent.DeviceRemoved unasked = nextOfBoth(SandboxEvent.DeviceRemoved.class);
      assertThat(unasked.requested()).isFalse();
      assertSame(unasked.device(), other);
      // vmm4j finished the unplug: no record, no slot, no index, no block node
      SandboxState st = h.state();
      assertThat(st.devices()).isNullOrEmpty();
      assertThat(st.hypervisorState().bridges())
          .allSatisfy(b -> assertThat(b.deviceAddr()).isNullOrEmpty());
      assertThat(st.hypervisorState().blockIndexMap()).isEmpty();
      assertThat(h.nodes()).isEmpty();
      assertThat(h.peripheral()).doesNotContain(other.qemuId());
      assertThat(devices.list()).isEmpty();

      // drift: a block node the tool added that no record accounts for
      tool.call(new BlockdevAdd(node("drive-0123456789abcdef", h.disk("c.raw", 1).toString())));
    }
    Reconciliation r = h.sandbox.reconcile();
    assertThat(r.leftovers())
        .extracting(Leftover::kind, Leftover::id)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(LeftoverKind.BLOCK_NODE, "drive-0123456789abcdef"));
    assertThat(nextOfBoth(SandboxEvent.DriftFound.class).report()).isEqualTo(r);
    // removed when asked: QEMU and the state agree again, which is no drift (the next event the
    // store's listener hears is the second object's plug below)
    Reconciliation removed = h.sandbox.reconcile(ReconcileOptions.removingLeftovers());
    assertThat(removed.leftovers()).singleElement().matches(Leftover::removed);
    assertThat(removed.agrees()).isTrue();
    assertThat(h.sandbox.reconcile().agrees()).isTrue();

    // a second object of the sandbox: the store's listener hears it, the first one's does not
    try (Sandbox second = Sandbox.restore(h.store, h.sandbox.id())) {
      Device third = second.devices().plugDisk(DiskSpec.raw(h.disk("d.raw", 1)));
      assertThat(next(store, SandboxEvent.DeviceAdded.class).device()).isEqualTo(third);
      second.devices().unplug(third.id());
      assertThat(next(store, SandboxEvent.DeviceRemoved.class).requested()).isTrue();
    }

    long pid = h.sandbox.pid();
    h.sandbox.stop();
    SandboxEvent.QemuExited exit = nextOfBoth(SandboxEvent.QemuExited.class);
    assertThat(exit.requested()).isTrue();
    assertThat(exit.process()).isEqualTo("qemu");
    assertThat(exit.pid()).isEqualTo(pid);
    assertThat(exit.signal()).isEmpty();
    assertThat(own).as("the first object heard nothing of the second's changes").isEmpty();
    assertThat(store).isEmpty();
  }

  @Test
  void aKilledQemuIsToldWithItsSignal() throws Exception {
    killed = start("ev2", own);
    long pid = killed.sandbox.pid();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
    SandboxEvent.QemuExited exit = next(own, SandboxEvent.QemuExited.class);
    assertThat(exit.sandboxId()).isEqualTo("ev2");
    assertThat(exit.process()).isEqualTo("qemu");
    assertThat(exit.pid()).isEqualTo(pid);
    assertThat(exit.requested()).isFalse();
    assertThat(exit.signal()).as("this JVM is QEMU's parent").hasValue(9);
    assertThat(exit.exitStatus()).isEmpty();
    assertThat(exit.describe())
        .startsWith("sandbox ev2: qemu pid " + pid + " exited (killed by signal 9)");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
    while (!killed.state().state().equals(Sandbox.STATE_STOPPED)) {
      assertThat(System.nanoTime()).as("the exit recorded").isLessThan(until);
      Thread.sleep(20);
    }
    assertThat(killed.sandbox.status()).isEqualTo(Sandbox.Status.EXITED);
    assertThat(own).isEmpty();
  }

  /** The same device: id, kind, QEMU devices and their PCI paths. */
  private static void assertSame(Device actual, Device expected) {
    assertThat(actual.id()).isEqualTo(expected.id());
    assertThat(actual.kind()).isEqualTo(expected.kind());
    assertThat(actual.qemuDevices()).isEqualTo(expected.qemuDevices());
  }

  private static ObjectNode node(String name, String file) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("driver", "raw").put("node-name", name).put("read-only", false);
    o.putObject("file").put("driver", "file").put("filename", file);
    return o;
  }
}
