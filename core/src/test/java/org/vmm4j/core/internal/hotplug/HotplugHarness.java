package org.vmm4j.core.internal.hotplug;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.internal.qemu.GuestMemory;
import org.vmm4j.devices.Attachment;
import org.vmm4j.devices.HostDevice;
import org.vmm4j.devices.ManagedDevice;
import org.vmm4j.persist.BlockDrive;
import org.vmm4j.persist.Bridge;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.HypervisorState;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.persist.RecordingFileOps;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;
import org.vmm4j.testing.qmp.ReceivedQmpCommand;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A running sandbox {@code sb1} as transactions see it: its state in a real {@link FsStore} (under
 * a temporary directory, file-system calls recorded), a {@link FakeQmpServer} as its QEMU (strict:
 * an unscripted command fails the test; with the device model of {@code device_add}/{@code
 * device_del}/{@code qom-list}), and a {@link TxRunner} over both. The state starts as a fresh
 * sandbox's: q35 with one pci-bridge (slot 2) and two root ports (slots 3 and 4), nothing plugged.
 * {@link #run} runs work as one transaction exactly as the API does (undo and save nothing on
 * failure, save once on success); {@link #sent()} gives the commands after negotiation as {@code
 * name {arguments}} lines, compact JSON in the order sent.
 */
final class HotplugHarness implements AutoCloseable {
  static final String SID = "sb1";
  static final long PID = 4242;
  static final Duration SHORT = Duration.ofMillis(300);
  static final GuestMemory SHARED = new GuestMemory(GuestMemory.MEMFD, "", true, false);
  static final GuestMemory PLAIN = new GuestMemory(GuestMemory.RAM, "", false, false);
  static final MemoryLimits MEMORY = new MemoryLimits(512, 4, 2048, false);
  static final CpuLimits CPUS = new CpuLimits(1, 4, Accelerator.TCG);

  final FakeQmpServer fake;
  final QmpClient qmp;
  final Path dir;
  final Path vmDir;
  final RecordingFileOps files;
  final FsStore store;

  /** What the next transactions see of QEMU (tests may replace it). */
  QemuFacts facts;

  /** The next transactions' deadlines (tests may replace them). */
  Deadlines deadlines =
      Deadlines.defaults()
          .withCommand(Duration.ofSeconds(5))
          .withDeviceDeleted(SHORT)
          .withCpuEject(SHORT);

  private TxRunner.Outcome<?> last;

  private HotplugHarness(MachineType machine, List<Bridge> bridges, GuestMemory memory) {
    fake = FakeQmpServer.start().failOnUnexpectedCommands().emulateDevices();
    fake.on("blockdev-add");
    fake.on("blockdev-del");
    fake.on("chardev-add").reply("{}");
    fake.on("chardev-remove");
    fake.on("netdev_add");
    fake.on("netdev_del");
    fake.on("object-add");
    fake.on("object-del");
    qmp = QmpClient.connect(fake.socketPath());
    try {
      dir = Files.createTempDirectory("vmm4j-tx");
      vmDir = Files.createDirectories(dir.resolve("vm"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    files = new RecordingFileOps(dir);
    store = new FsStore(dir.resolve("store"), files);
    facts = new QemuFacts(machine, Optional.ofNullable(memory), MEMORY, CPUS, true);
    store.save(freshState(bridges), Map.of());
    files.clear();
  }

  static HotplugHarness q35() {
    return q35(SHARED);
  }

  static HotplugHarness q35(GuestMemory memory) {
    return new HotplugHarness(
        MachineType.Q35,
        List.of(
            new Bridge(Map.of(), "pci", "pci-bridge-0", 2),
            new Bridge(Map.of(), "pcie-root-port", "rp0", 3),
            new Bridge(Map.of(), "pcie-root-port", "rp1", 4)),
        memory);
  }

  static HotplugHarness pc() {
    return new HotplugHarness(
        MachineType.PC, List.of(new Bridge(Map.of(), "pci", "pci-bridge-0", 2)), PLAIN);
  }

  /** A sandbox as a launch records it: its bridges, no device, no endpoint, no vCPU. */
  private static SandboxState freshState(List<Bridge> bridges) {
    SandboxState sample = SampleStates.sandbox(SID, 0, 0);
    HypervisorState hs =
        HypervisorState.builder()
            .pid(PID)
            .type("qemu")
            .blockIndexMap(Set.of())
            .uuid(sample.hypervisorState().uuid())
            .bridges(bridges)
            .build();
    return sample.toBuilder()
        .devices(null)
        .hypervisorState(hs)
        .network(new NetworkInfo("/var/run/netns/" + SID, 0, false, null))
        .build();
  }

  /** The facts with other memory limits. */
  HotplugHarness memoryLimits(MemoryLimits limits) {
    facts =
        new QemuFacts(
            facts.machine(), facts.memory(), limits, facts.cpuLimits(), facts.scsiController());
    return this;
  }

  /** The facts with other vCPU limits. */
  HotplugHarness cpuLimits(CpuLimits limits) {
    facts =
        new QemuFacts(
            facts.machine(), facts.memory(), facts.memoryLimits(), limits, facts.scsiController());
    return this;
  }

  /** A command deadline of 500 ms. */
  HotplugHarness shortCommands() {
    deadlines = deadlines.withCommand(Duration.ofMillis(500));
    return this;
  }

  /** A runner as the API builds it, over this harness's store, QEMU, facts and deadlines. */
  TxRunner runner() {
    QemuFacts f = facts;
    return new TxRunner(
        store, SID, Duration.ofSeconds(5), qmp, () -> f, deadlines, vmDir, PID, "virtio-blk");
  }

  /** Runs {@code work} as one transaction; its outcome is {@link #last()}. */
  <T> T run(Function<Tx, T> work) {
    last = null;
    return runner().run(s -> {}, work, o -> last = o).result();
  }

  /** Runs {@code work} as one transaction, for its effect on the model. */
  void apply(Consumer<Tx> work) {
    run(
        tx -> {
          work.accept(tx);
          return null;
        });
  }

  /** Changes the model in a transaction of its own (a state as an earlier one saved it). */
  void seed(Consumer<SandboxModel> change) {
    apply(tx -> change.accept(tx.model()));
    files.clear();
  }

  /** Rewrites the stored state as it is (Kata's own files, a state from elsewhere). */
  void rewrite(UnaryOperator<SandboxState> change) {
    StoredSandbox s = store.load(SID);
    store.save(change.apply(s.sandbox()), s.containers());
    files.clear();
  }

  /** The outcome of the last {@link #run}, published whether it succeeded or failed. */
  TxRunner.Outcome<?> last() {
    return last;
  }

  /** The state as stored now. */
  StoredSandbox stored() {
    return store.load(SID);
  }

  /** The stored state as a transaction's model reads it. */
  SandboxModel model() {
    return SandboxModel.of(stored(), "virtio-blk", false);
  }

  /** Starts counting {@link #saves()} again. */
  void forgetSaves() {
    files.clear();
  }

  /** How many times the sandbox's state file was written since the last seed. */
  long saves() {
    return files.calls().stream()
        .filter(c -> c.startsWith("rename ") && c.endsWith("/" + SID + "/" + FsStore.STATE_FILE))
        .count();
  }

  /** The commands sent after {@code qmp_capabilities}: {@code name {args}}. */
  List<String> sent() {
    return fake.received().stream()
        .filter(c -> !c.name().equals("qmp_capabilities"))
        .map(HotplugHarness::line)
        .toList();
  }

  /** The names of the commands sent after {@code qmp_capabilities}. */
  List<String> names() {
    return fake.received().stream()
        .map(ReceivedQmpCommand::name)
        .filter(n -> !n.equals("qmp_capabilities"))
        .toList();
  }

  static String line(ReceivedQmpCommand c) {
    return c.arguments().isEmpty() ? c.name() : c.name() + " " + c.arguments();
  }

  /** Makes the device model's qom-list answer with {@code ids} listed, whatever happened. */
  void peripheralLists(String... ids) {
    fake.on("qom-list")
        .answer(
            c -> {
              ArrayNode list = JsonNodeFactory.instance.arrayNode();
              for (String id : ids) {
                list.addObject().put("name", id).put("type", "child<virtio-blk-pci>");
              }
              return list;
            });
  }

  /** Records a plugged thing in {@code Devices} as {@link DevicePlugs} does: one use, attached. */
  static ManagedDevice record(Tx tx, HostDevice info, Attachment a) {
    ManagedDevice md = tx.model().devices().newDevice(info);
    return tx.model().devices().attach(md.id(), x -> a);
  }

  /** Records a disk {@link BlockPlug} plugged. */
  static ManagedDevice recordDisk(Tx tx, BlockDrive d) {
    return record(tx, HostDevice.block(d.file(), 0, 0, false), new Attachment.Block(d));
  }

  @Override
  public void close() {
    try {
      qmp.close();
      fake.close();
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
