package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.internal.hotplug.HotplugTimeouts;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.qmp.QmpDisconnectedException;
import org.vmm4j.qmp.QmpProtocolException;
import org.vmm4j.qmp.QmpTimeoutException;

/**
 * A QMP peer that stops answering, answers garbage, or closes the socket, under {@link
 * Sandbox#devices()} (a sandbox restored onto a {@link FakeQemuSandbox}): the hotplug fails with
 * the QMP failure as its cause and a message naming the command, the rollback is bounded by the
 * command deadline, the state file keeps its bytes (nothing recorded, nothing forgotten), and a
 * broken connection is closed (its {@code disconnected()} future says why).
 */
class SandboxQmpFaultsTest {
  static final Duration DEADLINE = Duration.ofSeconds(1);

  /** The default command deadline: a protocol failure must not wait for it. */
  static final Duration LONG = Duration.ofSeconds(5);

  static final HotplugTimeouts SHORT =
      HotplugTimeouts.defaults().withCommand(DEADLINE).withDeviceDeleted(DEADLINE);

  FakeQemuSandbox f;
  SandboxDevices devices;
  DiskSpec disk;

  @BeforeEach
  void start() throws IOException {
    f = FakeQemuSandbox.start();
    devices = f.sandbox.devices().withTimeouts(SHORT);
    disk = DiskSpec.raw(f.disk("a.raw")).withDriver(BlockDriver.VIRTIO_BLK);
    // warm: the hotplug profile read, one plug and unplug through the whole path
    devices.unplug(devices.plugDisk(DiskSpec.raw(f.disk("warm.raw"))).id());
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  /** The failure of a plug, how long it took, and that the state file did not change. */
  private Failed plugFails() throws IOException {
    byte[] before = f.stateFile();
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> devices.plugDisk(disk));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(e).as("the plug failed").isInstanceOf(HotplugException.class);
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
    assertThat(f.store.load(FakeQemuSandbox.ID).sandbox().devices()).isNullOrEmpty();
    return new Failed(e, took);
  }

  record Failed(Throwable e, Duration took) {
    List<Throwable> causes() {
      List<Throwable> all = new ArrayList<>();
      for (Throwable c = e; c != null && !all.contains(c); c = c.getCause()) {
        all.add(c);
        all.addAll(Arrays.asList(c.getSuppressed()));
      }
      return all;
    }
  }

  private List<String> sentAfter(String command) {
    List<String> names = f.fake.commandNames();
    return names.subList(names.lastIndexOf(command) + 1, names.size());
  }

  @Test
  void aDeviceAddWithoutReplyFailsAtTheDeadlineAndIsRolledBack() throws IOException {
    f.fake.on("device_add").noReply();
    Failed x = plugFails();
    assertThat(x.e())
        .hasMessageContaining("device_add driver=virtio-blk-pci")
        .hasMessageContaining("no reply within")
        .hasMessageContaining("rolled back");
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpTimeoutException);
    // at the deadline, and the rollback (qom-list, blockdev-del: answered) adds no deadline
    assertThat(x.took()).isGreaterThanOrEqualTo(DEADLINE).isLessThan(DEADLINE.multipliedBy(2));
    assertThat(sentAfter("device_add")).containsExactly("qom-list", "blockdev-del");
    assertThat(f.sandbox.qmp().isConnected()).isTrue();
  }

  @Test
  void aPeerThatStopsAnsweringAltogetherBoundsTheRollbackToOneMoreDeadline() throws IOException {
    AtomicBoolean silent = new AtomicBoolean();
    for (String cmd : List.of("qom-list", "blockdev-del", "device_del")) {
      f.fake.on(cmd, c -> silent.get()).noReply();
    }
    f.fake
        .on( // from device_add on, nothing is answered
            "device_add",
            c -> {
              silent.set(true);
              return true;
            })
        .noReply();
    Failed x = plugFails();
    assertThat(x.e())
        .hasMessageContaining("device_add driver=virtio-blk-pci")
        .hasMessageContaining("rollback stopped")
        .hasMessageContaining("left in place");
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpTimeoutException);
    // device_add's deadline, then the first undo's (its question to QEMU); nothing waits longer
    assertThat(x.took()).isLessThan(DEADLINE.multipliedBy(3));
  }

  @Test
  void garbageFailsTheConnectionAndRecordsNothing() throws IOException {
    devices = f.sandbox.devices().withTimeouts(SHORT.withCommand(LONG));
    f.fake.on("device_add").raw("this is not JSON");
    assertProtocolFailure(plugFails(), "this is not JSON");
  }

  @Test
  void aJsonReplyOfTheWrongShapeFailsTheConnection() throws IOException {
    devices = f.sandbox.devices().withTimeouts(SHORT.withCommand(LONG));
    f.fake.on("device_add").raw("{\"retrun\":{}}");
    assertProtocolFailure(plugFails(), "retrun");
  }

  /**
   * QEMU hands the late reply of a client that went away (a killed controller) to the next client
   * on the socket (ControllerKillIT meets it): a reply with an id this client never sent is
   * dropped, the connection goes on, and the caller waiting for its own reply fails at its
   * deadline.
   */
  @Test
  void aReplyWithAnIdNeverSentIsDroppedAndTheCallFailsAtItsDeadline() throws IOException {
    f.fake.on("device_add").replyWithId("987654321", "{}");
    Failed x = plugFails();
    assertThat(x.e()).hasMessageContaining("device_add driver=virtio-blk-pci");
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpTimeoutException);
    assertThat(f.sandbox.qmp().isConnected()).isTrue();
  }

  private void assertProtocolFailure(Failed x, String quoted) {
    assertThat(x.e()).hasMessageContaining("device_add").hasMessageContaining(quoted);
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpProtocolException);
    assertThat(x.took()).as("no deadline waited for").isLessThan(LONG.dividedBy(2));
    assertThat(f.sandbox.qmp().isConnected()).isFalse();
    assertThat(f.sandbox.qmp().disconnected())
        .succeedsWithin(Duration.ofSeconds(2))
        .satisfies(d -> assertThat(d).hasCauseInstanceOf(QmpProtocolException.class));
  }

  @Test
  void theSocketClosedDuringDeviceAddIsADisconnectAndRecordsNothing() throws IOException {
    devices = f.sandbox.devices().withTimeouts(SHORT.withCommand(LONG));
    f.fake.on("device_add").disconnect();
    Failed x = plugFails();
    assertThat(x.e())
        .hasMessageContaining("device_add driver=virtio-blk-pci")
        .hasMessageContaining("closed the connection");
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpDisconnectedException);
    assertThat(x.took()).isLessThan(LONG.dividedBy(2));
    assertThat(f.sandbox.qmp().isConnected()).isFalse();
    // the next operation fails at once, naming the lost connection
    long t0 = System.nanoTime();
    assertThat(catchThrowable(() -> devices.plugDisk(disk)))
        .hasMessageContaining("closed the connection");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(LONG.dividedBy(2));
  }

  @Test
  void theSocketClosedDuringDeviceDelKeepsTheDeviceRecorded() throws IOException {
    HotpluggedDevice d = devices.plugDisk(disk);
    byte[] before = f.stateFile();
    f.fake.on("device_del").disconnect();
    Throwable e = catchThrowable(() -> devices.unplug(d.id()));
    assertThat(e).isInstanceOf(HotplugException.class).hasMessageContaining(d.id());
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
    assertThat(f.store.load(FakeQemuSandbox.ID).sandbox().devices())
        .extracting(DeviceState::id)
        .containsExactly(d.id());
  }

  @Test
  void aDeviceDelWithoutReplyFailsWithinTheDeadlinesAndKeepsTheDeviceRecorded() throws IOException {
    HotpluggedDevice d = devices.plugDisk(disk);
    byte[] before = f.stateFile();
    f.fake.on("device_del").noReply();
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> devices.unplug(d.id()));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(e)
        .isInstanceOf(HotplugException.class)
        .hasMessageContaining("device_del")
        .hasMessageContaining("still taken");
    // the command's deadline or DEVICE_DELETED's, whichever is first; then no other wait
    assertThat(took).isLessThan(DEADLINE.multipliedBy(2));
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
    assertThat(f.sandbox.qmp().isConnected()).isTrue();
  }
}
