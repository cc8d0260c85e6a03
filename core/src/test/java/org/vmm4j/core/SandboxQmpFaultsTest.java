package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.core.api.HostException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.Vmm4jException;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistException;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.QmpDisconnectedException;
import org.vmm4j.qmp.QmpOptions;
import org.vmm4j.qmp.QmpProtocolException;
import org.vmm4j.qmp.QmpTimeoutException;

/**
 * A QMP peer that stops answering, answers garbage, or closes the socket, under {@link
 * Sandbox#devices()} (a sandbox restored onto a {@link FakeQemuSandbox}): the hotplug fails with
 * the QMP failure as its cause and a message naming the command, the rollback is bounded by the
 * command deadline, and a broken connection is closed (its {@code disconnected()} future says why).
 * When the rollback could undo everything the state file keeps its bytes (nothing recorded, nothing
 * forgotten); when it could not ask QEMU whether the device was created, the state records the
 * device's slot and block index as taken (fenced) and the error names them.
 */
class SandboxQmpFaultsTest {
  static final Duration DEADLINE = Duration.ofSeconds(1);

  /** The default command deadline: a protocol failure must not wait for it. */
  static final Duration LONG = Duration.ofSeconds(5);

  /** The sandbox's deadlines ({@link SandboxOptions#qmpOptions()}): 1 s per command and unplug. */
  static final QmpOptions SHORT =
      QmpOptions.defaults().withCommandTimeout(DEADLINE).withDeviceDeletedTimeout(DEADLINE);

  FakeQemuSandbox f;
  SandboxDevices devices;
  DiskSpec disk;

  @BeforeEach
  void start() throws IOException {
    start(SHORT);
  }

  /** (Re)starts the fake sandbox with {@code qmp}'s deadlines, warmed up. */
  private void start(QmpOptions qmp) throws IOException {
    if (f != null) {
      f.close();
    }
    f = FakeQemuSandbox.start(qmp);
    devices = f.sandbox.devices();
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

  /**
   * The failure of a plug whose rollback undid everything: how long it took, and that the state
   * file did not change.
   */
  private Failed plugFails() throws IOException {
    byte[] before = f.stateFile();
    Failed x = plugFailure();
    assertThat(x.e().leftInPlace()).isEmpty();
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
    assertThat(f.store.load(FakeQemuSandbox.ID).sandbox().devices()).isNullOrEmpty();
    return x;
  }

  /**
   * The failure of a plug whose rollback could not ask QEMU whether {@code device_add} created the
   * device (the connection broke, or QEMU stopped answering): the rollback stops there, and what
   * may be in QEMU is recorded, fenced: the slot in {@code DeviceAddr} and the block index, as the
   * exception's {@link Vmm4jException#leftInPlace()} names them; no device is recorded as plugged.
   * (Before the one transaction rule, such a failure recorded nothing.)
   */
  private Failed plugFailsFenced() throws IOException {
    Failed x = plugFailure();
    List<String> left = x.e().leftInPlace();
    assertThat(left).hasSize(4);
    assertThat(left.get(0)).matches("device_del virtio-drive-\\p{XDigit}+ if QEMU created it");
    String qemuId = left.get(0).split(" ")[1];
    String drive = qemuId.substring("virtio-".length());
    assertThat(left)
        .containsExactly(
            "device_del " + qemuId + " if QEMU created it",
            "release slot 02/01 (pci-bridge-0)",
            "blockdev-del " + drive,
            "release block index 0");
    SandboxState st = f.store.load(FakeQemuSandbox.ID).sandbox();
    assertThat(st.hypervisorState().bridges().get(0).deviceAddr())
        .containsExactly(org.assertj.core.api.Assertions.entry(1L, qemuId));
    assertThat(st.hypervisorState().blockIndexMap()).containsExactly(0L);
    assertThat(st.devices() == null ? List.<DeviceState>of() : st.devices())
        .as("no device recorded as plugged")
        .allSatisfy(d -> assertThat(d.attachCount()).isZero());
    return x;
  }

  private Failed plugFailure() {
    long t0 = System.nanoTime();
    Throwable e = catchThrowable(() -> devices.plugDisk(disk));
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(e).as("the plug failed").isInstanceOf(HotplugException.class);
    assertThat(((Vmm4jException) e).fault()).isEqualTo(Vmm4jException.Fault.QEMU);
    return new Failed((HotplugException) e, took);
  }

  record Failed(HotplugException e, Duration took) {
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
    Failed x = plugFailsFenced();
    assertThat(x.e())
        .hasMessageContaining("device_add driver=virtio-blk-pci")
        .hasMessageContaining("rollback stopped")
        .hasMessageContaining("left in place");
    assertThat(x.causes()).anyMatch(t -> t instanceof QmpTimeoutException);
    // device_add's deadline, then the first undo's (its question to QEMU); nothing waits longer
    assertThat(x.took()).isLessThan(DEADLINE.multipliedBy(3));
  }

  @Test
  void garbageFailsTheConnectionAndFencesTheSlot() throws IOException {
    start(SHORT.withCommandTimeout(LONG));
    f.fake.on("device_add").raw("this is not JSON");
    assertProtocolFailure(plugFailsFenced(), "this is not JSON");
  }

  @Test
  void aJsonReplyOfTheWrongShapeFailsTheConnection() throws IOException {
    start(SHORT.withCommandTimeout(LONG));
    f.fake.on("device_add").raw("{\"retrun\":{}}");
    assertProtocolFailure(plugFailsFenced(), "retrun");
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
  void theSocketClosedDuringDeviceAddIsADisconnectAndFencesTheSlot() throws IOException {
    start(SHORT.withCommandTimeout(LONG));
    f.fake.on("device_add").disconnect();
    Failed x = plugFailsFenced();
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

  /**
   * The save that ends a plug fails (the store's file system refuses the new state file): the plug
   * is rolled back in QEMU like any failure, nothing is recorded, and it is the host's fault with
   * the store's error as the cause.
   */
  @Test
  void aFailedSaveRollsThePlugBackAndIsTheHostsFault() throws IOException {
    Path file = f.store.sandboxDir(FakeQemuSandbox.ID).resolve(FsStore.STATE_FILE);
    byte[] before = f.stateFile();
    f.fake.on( // answered by the device model; meanwhile the state file becomes a directory
        "device_add",
        c -> {
          try {
            Files.delete(file);
            Files.createDirectories(file.resolve("in-the-way"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return false;
        });
    Throwable e = catchThrowable(() -> devices.plugDisk(disk));
    Files.delete(file.resolve("in-the-way"));
    Files.delete(file);
    Files.write(file, before);
    assertThat(e)
        .isExactlyInstanceOf(HostException.class)
        .hasMessageStartingWith("sandbox fq1: hotplug virtio-blk disk ")
        .hasMessageContaining("save sandbox fq1")
        .hasMessageContaining("rolled back: device_del ");
    assertThat(((Vmm4jException) e).fault()).isEqualTo(Vmm4jException.Fault.HOST);
    assertThat(e).hasCauseInstanceOf(HostException.class);
    assertThat(e.getCause()).hasCauseInstanceOf(PersistException.class);
    assertThat(((Vmm4jException) e).leftInPlace()).isEmpty();
    assertThat(sentAfter("device_add")).containsExactly("device_del", "blockdev-del");
    assertThat(new String(f.stateFile())).isEqualTo(new String(before));
  }

  @Test
  void theSocketClosedDuringDeviceDelKeepsTheDeviceRecorded() throws IOException {
    Device d = devices.plugDisk(disk);
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
    Device d = devices.plugDisk(disk);
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
