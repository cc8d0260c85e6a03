package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.StateException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.devices.Placement;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.LockTimeoutException;
import org.vmm4j.persist.StoreException;
import org.vmm4j.persist.StoreLock;
import org.vmm4j.persist.StoredSandbox;

/**
 * {@link TxRunner}, the one rule of a transaction on failure: work that succeeds is saved once;
 * work that fails is undone in QEMU and nothing is saved; when an undo fails, what stayed is fenced
 * and saved; a save that fails undoes the work in QEMU; leftovers are thrown after the save; the
 * vCPU-unplug marker is written whatever happens; the store lock is held throughout.
 */
class TxRunnerTest {
  private final HotplugHarness h = HotplugHarness.q35();
  private final StoredSandbox fresh = h.stored();

  @AfterEach
  void close() {
    h.close();
  }

  private static BlockRequest disk() {
    return BlockRequest.of("drive-1", "/img/a.raw", BlockDriver.VIRTIO_BLK, Placement.PCI_BRIDGE);
  }

  @Test
  void workThatSucceedsIsSavedOnceAndPublished() {
    List<TxRunner.Outcome<String>> published = new ArrayList<>();
    TxRunner.Outcome<String> out =
        h.runner()
            .run(
                s -> assertThat(s).isEqualTo(fresh),
                tx -> {
                  BlockPlug.plug(tx, disk());
                  tx.model().vcpus().add("cpu-0");
                  return "done";
                },
                published::add);
    assertThat(out.result()).isEqualTo("done");
    assertThat(h.saves()).isEqualTo(1);
    assertThat(out.stored()).isEqualTo(h.stored());
    assertThat(published).containsExactly(out);
    assertThat(h.model().vcpus()).containsExactly("cpu-0");
  }

  @Test
  void workThatChangesNothingWritesNothing() {
    int free = h.run(tx -> tx.model().topology().freeSlots(Placement.ROOT_PORT));
    assertThat(free).isEqualTo(2);
    assertThat(h.saves()).isZero();
    assertThat(h.last().stored()).isEqualTo(fresh);
  }

  @Test
  void workThatFailsIsUndoneInQemuAndNothingIsSaved() {
    assertThatThrownBy(
            () ->
                h.run(
                    tx -> {
                      BlockPlug.plug(tx, disk());
                      tx.model().vcpus().add("cpu-0");
                      tx.undoQuietly(() -> tx.model().vcpus().remove("cpu-0"));
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            "sandbox sb1: hotplug virtio-blk disk virtio-drive-1 (/img/a.raw): boom; rolled back:"
                + " device_del virtio-drive-1, release slot 02/01 (pci-bridge-0), blockdev-del"
                + " drive-1, release block index 0");
    assertThat(h.names())
        .containsExactly("blockdev-add", "device_add", "device_del", "blockdev-del");
    assertThat(h.stored()).isEqualTo(fresh);
    assertThat(h.saves()).isZero();
    assertThat(h.last().stored()).as("published with the state as it stays").isEqualTo(fresh);
  }

  @Test
  void aDeviceRolledBackIsNotPublishedAsAdded() {
    Device disk = new Device("d1", DeviceKind.BLOCK, List.of(), Map.of());
    List<TxRunner.Outcome<String>> published = new ArrayList<>();
    assertThatThrownBy(
            () ->
                h.runner()
                    .<String>run(
                        s -> {},
                        tx -> {
                          BlockPlug.plug(tx, disk());
                          tx.added(disk);
                          assertThat(tx.addedDevices()).containsExactly(disk);
                          throw new IllegalStateException("boom");
                        },
                        published::add))
        .isInstanceOf(HotplugException.class);
    assertThat(published).hasSize(1);
    assertThat(published.get(0).tx().addedDevices()).as("rolled back").isEmpty();
  }

  @Test
  void whenAnUndoFailsWhatStayedIsFencedAndSaved() {
    Vmm4jException e =
        catchRun(
            tx -> {
              tx.reserve("dev-x", Placement.PCI_BRIDGE); // reserved, never committed
              tx.undo(
                  "stuck undo",
                  () -> {
                    throw new IllegalStateException("stuck");
                  });
              throw new IllegalStateException("boom");
            });
    assertThat(e)
        .isInstanceOf(HotplugException.class)
        .hasMessage(
            "sandbox sb1: transaction: boom; rollback stopped: stuck undo: stuck; left in place:"
                + " stuck undo, release slot 02/01 (pci-bridge-0)");
    assertThat(e.leftInPlace()).containsExactly("stuck undo", "release slot 02/01 (pci-bridge-0)");
    assertThat(h.saves()).isEqualTo(1);
    assertThat(h.stored().sandbox().hypervisorState().bridges().get(0))
        .as("the slot QEMU may hold is taken in the saved state")
        .isEqualTo(new Bridge(Map.of(1L, "dev-x"), "pci", "pci-bridge-0", 2));
  }

  private Vmm4jException catchRun(Function<Tx, Object> work) {
    try {
      h.run(work);
    } catch (Vmm4jException e) {
      return e;
    }
    throw new AssertionError("the transaction succeeded");
  }

  @Test
  void aSaveThatFailsUndoesTheWorkInQemu() {
    h.files.failOn("rename");
    Vmm4jException e = catchRun(tx -> BlockPlug.plug(tx, disk()));
    // the store's failure is the host's fault, named after the flow, with what was rolled back
    assertThat(e)
        .isInstanceOf(HostException.class)
        .satisfies(x -> assertThat(x.getCause()).hasCauseInstanceOf(StoreException.class))
        .hasMessageStartingWith(
            "sandbox sb1: hotplug virtio-blk disk virtio-drive-1 (/img/a.raw): ")
        .hasMessageContaining("injected failure of rename")
        .hasMessageEndingWith(
            "; rolled back: device_del virtio-drive-1, release slot 02/01 (pci-bridge-0),"
                + " blockdev-del drive-1, release block index 0");
    assertThat(h.names())
        .containsExactly("blockdev-add", "device_add", "device_del", "blockdev-del");
    assertThat(h.stored()).isEqualTo(fresh);
  }

  @Test
  void aPlugWhoseSaveFailsIsNotAnnounced() {
    h.files.failOn("rename");
    Device d = new Device("d1", DeviceKind.BLOCK, List.of(), Map.of());
    catchRun(
        tx -> {
          BlockPlug.plug(tx, disk());
          tx.added(d);
          return null;
        });
    assertThat(h.last().recorded()).isFalse();
    assertThat(h.last().tx().addedDevices()).as("rolled back: nothing to announce").isEmpty();
    assertThat(h.last().stored()).isEqualTo(fresh);
  }

  @Test
  void aPlugRolledBackIsNotAnnounced() {
    Device d = new Device("d1", DeviceKind.BLOCK, List.of(), Map.of());
    catchRun(
        tx -> {
          BlockPlug.plug(tx, disk());
          tx.added(d);
          throw new IllegalStateException("boom");
        });
    assertThat(h.last().tx().addedDevices()).isEmpty();
  }

  @Test
  void leftoversAreThrownOnceTheStateIsSaved() {
    RuntimeException first = new IllegalStateException("first");
    RuntimeException second = new IllegalStateException("second");
    assertThatThrownBy(
            () ->
                h.run(
                    tx -> {
                      tx.model().vcpus().add("cpu-0");
                      tx.leftover(first);
                      tx.leftover(second);
                      return null;
                    }))
        .isSameAs(first)
        .satisfies(x -> assertThat(x.getSuppressed()).containsExactly(second));
    assertThat(h.saves()).isEqualTo(1);
    assertThat(h.model().vcpus()).containsExactly("cpu-0");
    assertThat(h.last().stored()).isEqualTo(h.stored());
  }

  @Test
  void theVcpuUnplugMarkerIsWrittenEvenWhenTheWorkFails() {
    assertThatThrownBy(
            () ->
                h.run(
                    tx -> {
                      tx.model().cpuUnplugged(true);
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(HotplugException.class);
    assertThat(h.saves()).isZero();
    assertThat(CpuUnplugMarker.read(h.vmDir, HotplugHarness.PID)).isTrue();
    // and the next transaction's model says so
    boolean unplugged = h.run(tx -> tx.model().cpuUnplugged());
    assertThat(unplugged).isTrue();
  }

  @Test
  void aFailedCheckDoesNothing() {
    List<Object> published = new ArrayList<>();
    assertThatThrownBy(
            () ->
                h.runner()
                    .run(
                        s -> {
                          throw new StateException("not running here");
                        },
                        tx -> BlockPlug.plug(tx, disk()),
                        published::add))
        .isInstanceOf(StateException.class)
        .hasMessage("not running here");
    assertThat(h.sent()).isEmpty();
    assertThat(published).isEmpty();
    assertThat(h.saves()).isZero();
  }

  @Test
  void aStateWhoseDevicesCannotBeReadIsAStateError() {
    h.rewrite(
        s ->
            s.toBuilder()
                .hypervisorState(
                    s.hypervisorState().toBuilder()
                        .bridges(List.of(new Bridge(Map.of(), "isa", "isa-0", 2)))
                        .build())
                .build());
    assertThatThrownBy(() -> h.run(tx -> "never"))
        .isInstanceOf(StateException.class)
        .hasMessageStartingWith("sandbox sb1: read its devices: ")
        .hasMessageContaining("unknown Type \"isa\"");
  }

  @Test
  void theStoreLockIsHeldThroughoutAndAReentrantCallIsRefused() {
    h.apply(tx -> assertThat(tryLock()).as("another thread waits for the lock").isFalse());
    assertThat(tryLock()).isTrue();
    TxRunner same = h.runner();
    assertThatThrownBy(() -> same.run(s -> {}, tx -> same.run(x -> {}, y -> 1, o -> {}), o -> {}))
        .isInstanceOf(HotplugException.class)
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("sandbox sb1: operations are not reentrant");
    assertThat(tryLock()).isTrue();
  }

  /** Whether another thread gets the sandbox's shared lock within 200 ms. */
  private boolean tryLock() {
    return CompletableFuture.supplyAsync(
            () -> {
              try (StoreLock l = h.store.lock(HotplugHarness.SID, false, Duration.ofMillis(200))) {
                return true;
              } catch (LockTimeoutException x) {
                return false;
              }
            })
        .join();
  }
}
