package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.hotplug.HotplugException;
import org.vmm4j.core.hotplug.HotplugRefusedException;
import org.vmm4j.core.hotplug.HotplugTimeouts;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.testing.files.SpecialFiles;
import org.vmm4j.testing.persist.SampleStates;
import org.vmm4j.testing.qmp.FakeQmpServer;

/**
 * The container bookkeeping of {@link ContainerPlugs} on a fake QMP peer and a real {@link FsStore}
 * (each operation runs as {@link SandboxDevices#transact} does: a session from the stored state and
 * {@link DeviceSession#run}, saved on success or {@link SaveThenThrow}, nothing saved otherwise):
 * one plug for a disk that two containers share, counted and unplugged with the last; every failure
 * leaves the state as it was, or says what QEMU kept.
 */
class ContainerPlugsTest {
  static final String SID = "sb1";

  @TempDir Path dir;
  final FakeQmpServer fake = FakeQmpServer.start().emulateDevices();
  final QmpClient qmp = QmpClient.connect(fake.socketPath());
  FsStore store;
  Path a;
  Path b;
  Path rootDir;

  @BeforeEach
  void setUp() throws IOException {
    fake.on("blockdev-add");
    fake.on("blockdev-del");
    store = new FsStore(dir.resolve("store"));
    store.save(SampleStates.sandbox(SID, 0, 0), Map.of());
    a = Files.write(dir.resolve("a.img"), new byte[4096]);
    b = Files.write(dir.resolve("b.img"), new byte[4096]);
    rootDir = Files.createDirectory(dir.resolve("rootfs"));
  }

  @AfterEach
  void close() {
    qmp.close();
    fake.close();
  }

  /** One transaction, as {@link SandboxDevices} runs it, on the state in the store. */
  private void tx(Consumer<DeviceSession> work) {
    HypervisorConfig config =
        HypervisorConfig.of(HypervisorConfig.kataBuilder().blockDeviceDriver("virtio-blk").build());
    HotplugTimeouts t = HotplugTimeouts.defaults().withDeviceDeleted(Duration.ofMillis(300));
    StoredSandbox stored = store.load(SID);
    DeviceSession s = DeviceSession.open(stored, config, DeviceSessionTest.PROFILE, qmp, t, false);
    List<Object> result = new ArrayList<>();
    List<RuntimeException> failure = new ArrayList<>();
    save(
        s.run(
            "test",
            x -> {
              work.accept((DeviceSession) x);
              return "done";
            },
            result,
            failure));
    if (!failure.isEmpty()) {
      throw failure.get(0);
    }
  }

  private void save(StoredSandbox s) {
    store.save(s.sandbox(), s.containers());
  }

  private ContainerInfo create(ContainerSpec spec) {
    ContainerInfo[] out = new ContainerInfo[1];
    tx(s -> out[0] = ContainerPlugs.create(s, ContainerPlugs.prepare(SID, spec)));
    return out[0];
  }

  private void remove(String cid) {
    tx(s -> ContainerPlugs.remove(s, cid));
  }

  private List<DeviceState> devices() {
    List<DeviceState> d = store.load(SID).sandbox().devices();
    return d == null ? List.of() : d;
  }

  private String stateText() {
    StoredSandbox s = store.load(SID);
    StringBuilder b = new StringBuilder(new String(PersistCodec.encode(s.sandbox())));
    s.containers().forEach((k, v) -> b.append(k).append(new String(PersistCodec.encode(v))));
    return b.toString();
  }

  private long count(String command) {
    return fake.commandNames().stream().filter(command::equals).count();
  }

  @Test
  void twoContainersShareOneDiskThatTheLastOneUnplugs() throws IOException {
    Path link = Files.createSymbolicLink(dir.resolve("a-link.img"), a);
    ContainerInfo c1 =
        create(
            ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4"))
                .withMount(ContainerMount.of("/host/data", "/data", "bind").withReadOnly(true))
                .withMount(ContainerMount.block(b.toString(), "/vol", "xfs"))
                .withDevice(ContainerDevice.of(b, "/dev/xvdb"))
                .withAnnotations(Map.of("io.katacontainers.pkg.oci.container_type", "pod_sandbox"))
                .withBundlePath("/run/b/c1"));
    ContainerInfo c2 = create(ContainerSpec.of("c2", ContainerRootfs.disk(link, "ext4")));

    // one device per host file: a (two rootfs uses), b (a mount and a device of c1)
    assertThat(count("device_add")).isEqualTo(2);
    String devA = c1.state().rootfs().blockDeviceId();
    assertThat(c2.state().rootfs().blockDeviceId()).isEqualTo(devA);
    assertThat(devices())
        .extracting(DeviceState::refCount, DeviceState::attachCount)
        .containsExactly(tuple(2L, 2L), tuple(2L, 2L));

    // as stored: <sid>/c1/persist.json in Kata's schema, the annotations in ContainerConfigs
    assertThat(store.sandboxDir(SID).resolve("c1").resolve(FsStore.STATE_FILE)).exists();
    ContainerState st = store.load(SID).containers().get("c1");
    assertThat(st.state()).isEqualTo("ready");
    assertThat(st.rootfs().fsType()).isEqualTo("ext4");
    assertThat(st.bundlePath()).isEqualTo("/run/b/c1");
    String devB = st.mounts().get(1).blockDeviceId();
    assertThat(st.mounts().get(0).blockDeviceId()).isEmpty();
    assertThat(st.mounts().get(0).hostPath()).isEqualTo("/host/data");
    assertThat(st.deviceMaps())
        .containsExactly(
            new DeviceMap(devB, "/dev/xvdb", ContainerDevice.MODE_DEVICE | 0660, 0, 0));
    assertThat(new ContainerInfo("c1", st, null).deviceIds()).containsExactly(devA, devB, devB);
    List<ContainerConfig> configs = store.load(SID).sandbox().config().containerConfigs();
    assertThat(configs).extracting(ContainerConfig::id).containsExactly("sb1", "c1", "c2");
    assertThat(configs.get(1).annotations())
        .containsEntry("io.katacontainers.pkg.oci.container_type", "pod_sandbox");
    assertThat(configs.get(1).rootFs()).isEqualTo(a.toString());

    // a device a container holds is not unplugged by id
    tx(
        s ->
            assertThatThrownBy(() -> BuiltInUnplugs.device(s, devA))
                .isInstanceOf(HotplugRefusedException.class)
                .hasMessageContaining("container c1 uses it"));

    remove("c1");
    assertThat(count("device_del")).as("b unplugged, a kept").isEqualTo(1);
    assertThat(devices())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.id()).isEqualTo(devA);
              assertThat(d.attachCount()).isEqualTo(1);
              assertThat(d.refCount()).isEqualTo(1);
            });
    assertThat(store.sandboxDir(SID).resolve("c1")).doesNotExist();

    remove("c2");
    assertThat(count("device_del")).isEqualTo(2);
    assertThat(devices()).isEmpty();
    assertThat(store.load(SID).containers()).isEmpty();
    assertThat(store.load(SID).sandbox().config().containerConfigs())
        .extracting(ContainerConfig::id)
        .containsExactly("sb1");
    assertThat(store.load(SID).sandbox().hypervisorState().blockIndexMap()).isEmpty();
  }

  @Test
  void aFailedCreateUnplugsWhatItPluggedAndRecordsNothing() {
    create(ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4")));
    String before = stateText();
    fake.on("blockdev-add").error("GenericError", "Could not open " + b);
    // c2 takes one more use of a (counted only), then plugs b: refused
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c2", ContainerRootfs.disk(a, "ext4"))
                        .withDevice(ContainerDevice.of(b, "/dev/b"))))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sb1: create container c2: device /dev/b " + b + ": ")
        .hasMessageContaining("Could not open");
    assertThat(stateText()).isEqualTo(before);
    assertThat(count("device_del")).isZero();

    // c3 plugs b (new), then a plug of the same kind fails: b goes out again
    fake.on("blockdev-add").reply("{}").next().error("GenericError", "no more");
    Path c = dir.resolve("c.img");
    assertThatThrownBy(
            () -> {
              Files.write(c, new byte[512]);
              create(
                  ContainerSpec.of("c3", ContainerRootfs.directory(rootDir))
                      .withDevice(ContainerDevice.of(b, "/dev/b"))
                      .withDevice(ContainerDevice.of(c, "/dev/c")));
            })
        .hasMessageContaining("no more");
    assertThat(stateText()).isEqualTo(before);
    assertThat(count("device_add") - count("device_del")).as("only a in QEMU").isEqualTo(1);
  }

  @Test
  void aRollbackThatCannotUnplugKeepsTheDeviceRecordedAndNoContainer() {
    fake.on("blockdev-add").reply("{}").next().error("GenericError", "no more");
    fake.on("device_del").reply("{}"); // accepted, never released: no guest
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4"))
                        .withDevice(ContainerDevice.of(b, "/dev/b"))))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("sandbox sb1: create container c1: ")
        .hasMessageContaining("no more")
        .hasMessageContaining("stay recorded as sandbox devices");
    assertThat(store.load(SID).containers()).isEmpty();
    assertThat(devices()).singleElement().satisfies(d -> assertThat(d.attachCount()).isEqualTo(1));
    assertThat(store.load(SID).sandbox().config().containerConfigs())
        .extracting(ContainerConfig::id)
        .containsExactly("sb1");
  }

  @Test
  void aRemovalThatCannotUnplugSavesWhatItReleased() {
    ContainerInfo c1 =
        create(
            ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4"))
                .withDevice(ContainerDevice.of(b, "/dev/b")));
    String devB = c1.state().deviceMaps().get(0).id();
    DeviceState stB = devices().stream().filter(d -> d.id().equals(devB)).findFirst().orElseThrow();
    String qemuB = "virtio-" + stB.blockDrive().id();
    fake.on("device_del", c -> qemuB.equals(c.arg("id"))).reply("{}");
    assertThatThrownBy(() -> remove("c1"))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("sandbox sb1: remove container c1: ")
        .hasMessageContaining("retry the removal");
    ContainerState left = store.load(SID).containers().get("c1");
    assertThat(left.rootfs().blockDeviceId()).as("a released").isEmpty();
    assertThat(new ContainerInfo("c1", left, null).deviceIds()).containsExactly(devB);
    assertThat(devices()).extracting(DeviceState::id).containsExactly(devB);
  }

  @Test
  void badInputIsRefusedByNameAndNothingIsRecorded() throws IOException {
    create(ContainerSpec.of("c1", ContainerRootfs.directory(rootDir)));
    String before = stateText();
    assertThatThrownBy(() -> create(ContainerSpec.of("../x", ContainerRootfs.directory(rootDir))))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("create container: invalid container id \"../x\"");
    assertThatThrownBy(() -> create(ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4"))))
        .isInstanceOf(ContainerException.class)
        .hasMessage(
            "sandbox sb1: create container c1: the sandbox has a container c1 already (ready)");
    Path none = dir.resolve("none.img");
    assertThatThrownBy(() -> create(ContainerSpec.of("c2", ContainerRootfs.disk(none, "ext4"))))
        .hasMessage(
            "sandbox sb1: create container c2: rootfs "
                + none
                + ": no such block device or image file");
    assertThatThrownBy(() -> create(ContainerSpec.of("c2", ContainerRootfs.directory(none))))
        .hasMessage("sandbox sb1: create container c2: rootfs " + none + ": no such directory");
    assertThatThrownBy(() -> create(ContainerSpec.of("c2", ContainerRootfs.disk(rootDir, "ext4"))))
        .hasMessageContaining(
            "rootfs " + rootDir + ": not a regular file or block device (a directory)");
    Path fifo = SpecialFiles.fifo(dir.resolve("fifo.img"));
    assertThatThrownBy(() -> create(ContainerSpec.of("c2", ContainerRootfs.disk(fifo, "ext4"))))
        .hasMessage(
            "sandbox sb1: create container c2: rootfs "
                + fifo
                + ": not a regular file or block device (a FIFO)");
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c2", ContainerRootfs.directory(rootDir))
                        .withMount(ContainerMount.of("/x", "data", "bind"))))
        .hasMessage("sandbox sb1: create container c2: mount destination \"data\" is not absolute");
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c2", ContainerRootfs.directory(rootDir))
                        .withDevice(ContainerDevice.of(Path.of("/dev/null"), "/dev/n"))))
        .hasMessage(
            "sandbox sb1: create container c2: device /dev/n /dev/null: not a regular file or"
                + " block device (a character device)");
    assertThatThrownBy(() -> remove("c9"))
        .isInstanceOf(ContainerException.class)
        .hasMessage("sandbox sb1: remove container c9: no such container");
    // a container the agent runs cannot be removed
    StoredSandbox s = store.load(SID);
    ContainerState running = s.containers().get("c1").toBuilder().state("running").build();
    store.save(s.sandbox(), Map.of("c1", running));
    assertThatThrownBy(() -> remove("c1"))
        .hasMessage(
            "sandbox sb1: remove container c1: it is running: its process must be stopped first"
                + " (by the agent)");
    store.save(s.sandbox(), s.containers());
    assertThat(stateText()).isEqualTo(before);
    assertThat(count("device_add")).isZero();
  }

  @Test
  void stateTransitionsAreKatas() {
    ContainerRecords.checkTransition("op", "ready", "running");
    ContainerRecords.checkTransition("op", "ready", "stopped");
    ContainerRecords.checkTransition("op", "running", "paused");
    ContainerRecords.checkTransition("op", "paused", "stopped");
    ContainerRecords.checkTransition("op", "stopped", "running");
    assertThatThrownBy(() -> ContainerRecords.checkTransition("op", "ready", "paused"))
        .isInstanceOf(ContainerException.class)
        .hasMessage("op: cannot move from ready to paused (from ready: running, stopped)");
    assertThatThrownBy(() -> ContainerRecords.checkTransition("op", "stopped", "ready"))
        .hasMessage("op: cannot move from stopped to ready (from stopped: running)");
    assertThatThrownBy(() -> ContainerRecords.checkTransition("op", "ready", "gone"))
        .hasMessage("op: unknown state \"gone\" (ready, running, paused, stopped)");
  }
}
