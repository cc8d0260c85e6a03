package org.vmm4j.core.internal.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.ContainerDevice;
import org.vmm4j.core.api.ContainerException;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.ContainerMount;
import org.vmm4j.core.api.ContainerRootfs;
import org.vmm4j.core.api.ContainerSpec;
import org.vmm4j.core.api.DeviceStillPresentException;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.core.api.HotplugRefusedException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.ContainerState;
import org.vmm4j.persist.DeviceMap;
import org.vmm4j.persist.DeviceState;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.StoredSandbox;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * {@link ContainerPlugs} in transactions on the harness's store and QEMU: a disk two containers
 * share is plugged once, counted, and unplugged with the last; a create is all or nothing over its
 * disks; a removal that cannot unplug saves what it released and keeps the rest for a retry.
 */
class ContainerPlugsTest {
  static final String SID = HotplugHarness.SID;
  static final HypervisorConfig CONFIG =
      HypervisorConfig.of(HypervisorConfig.kataBuilder().blockDeviceDriver("virtio-blk").build());

  private final HotplugHarness h = HotplugHarness.q35();
  Path a;
  Path b;
  Path rootDir;

  @BeforeEach
  void setUp() throws IOException {
    a = Files.write(h.dir.resolve("a.img"), new byte[4096]);
    b = Files.write(h.dir.resolve("b.img"), new byte[4096]);
    rootDir = Files.createDirectory(h.dir.resolve("rootfs"));
  }

  @AfterEach
  void close() {
    h.close();
  }

  /** Checks the spec against the host, then creates the container in one transaction. */
  private ContainerInfo create(ContainerSpec spec) {
    ContainerPlugs.Prepared p = ContainerPlugs.prepare(SID, spec);
    return h.run(tx -> ContainerPlugs.create(tx, CONFIG, p));
  }

  private void remove(String cid) {
    h.apply(tx -> ContainerPlugs.remove(tx, cid));
  }

  private List<DeviceState> devices() {
    List<DeviceState> d = h.stored().sandbox().devices();
    return d == null ? List.of() : d;
  }

  private String stateText() {
    StoredSandbox s = h.stored();
    StringBuilder t = new StringBuilder(new String(PersistCodec.encode(s.sandbox())));
    s.containers().forEach((k, v) -> t.append(k).append(new String(PersistCodec.encode(v))));
    return t.toString();
  }

  private long count(String command) {
    return h.fake.commandNames().stream().filter(command::equals).count();
  }

  @Test
  void twoContainersShareOneDiskThatTheLastOneUnplugs() throws IOException {
    Path link = Files.createSymbolicLink(h.dir.resolve("a-link.img"), a);
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
    assertThat(h.store.sandboxDir(SID).resolve("c1").resolve(FsStore.STATE_FILE)).exists();
    ContainerState st = h.stored().containers().get("c1");
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
    List<ContainerConfig> configs = h.stored().sandbox().config().containerConfigs();
    assertThat(configs).extracting(ContainerConfig::id).containsExactly("sb1", "c1", "c2");
    assertThat(configs.get(1).annotations())
        .containsEntry("io.katacontainers.pkg.oci.container_type", "pod_sandbox");
    assertThat(configs.get(1).rootFs()).isEqualTo(a.toString());

    // a device a container holds is not unplugged by id
    assertThatThrownBy(() -> h.run(tx -> DeviceUnplugs.unplug(tx, devA)))
        .isInstanceOf(HotplugRefusedException.class)
        .hasMessageContaining("container c1 uses it");

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
    assertThat(h.store.sandboxDir(SID).resolve("c1")).doesNotExist();

    remove("c2");
    assertThat(count("device_del")).isEqualTo(2);
    assertThat(devices()).isEmpty();
    assertThat(h.stored().containers()).isEmpty();
    assertThat(h.stored().sandbox().config().containerConfigs())
        .extracting(ContainerConfig::id)
        .containsExactly("sb1");
    assertThat(h.stored().sandbox().hypervisorState().blockIndexMap()).isEmpty();
  }

  @Test
  void aFailedCreateUnplugsWhatItPluggedAndRecordsNothing() throws IOException {
    create(ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4")));
    String before = stateText();
    h.forgetSaves();
    h.fake.on("blockdev-add").error("GenericError", "Could not open " + b);
    // c2 takes one more use of a (counted only), then plugs b: refused
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c2", ContainerRootfs.disk(a, "ext4"))
                        .withDevice(ContainerDevice.of(b, "/dev/b"))))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith(
            "sandbox sb1: create container c2: device /dev/b " + b + ": hotplug virtio-blk disk ")
        .hasMessageContaining("Could not open");
    assertThat(stateText()).isEqualTo(before);
    assertThat(h.saves()).isZero();
    assertThat(count("device_del")).isZero();

    // c3 plugs b (new), then a plug of the same kind fails: b goes out again
    h.fake.on("blockdev-add").reply("{}").next().error("GenericError", "no more");
    Path c = Files.write(h.dir.resolve("c.img"), new byte[512]);
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c3", ContainerRootfs.directory(rootDir))
                        .withDevice(ContainerDevice.of(b, "/dev/b"))
                        .withDevice(ContainerDevice.of(c, "/dev/c"))))
        .hasMessageContaining("no more");
    assertThat(stateText()).isEqualTo(before);
    assertThat(count("device_add") - count("device_del")).as("only a in QEMU").isEqualTo(1);
  }

  /**
   * Changed: the failure is the rollback's HotplugException naming what stayed (it was a
   * ContainerException); the device QEMU kept stays recorded, no container is.
   */
  @Test
  void aRollbackThatCannotUnplugKeepsTheDeviceRecordedAndNoContainer() {
    h.fake.on("blockdev-add").reply("{}").next().error("GenericError", "no more");
    h.fake.on("device_del").reply("{}"); // accepted, never released: no guest
    assertThatThrownBy(
            () ->
                create(
                    ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4"))
                        .withDevice(ContainerDevice.of(b, "/dev/b"))))
        .isInstanceOfSatisfying(
            HotplugException.class,
            e ->
                assertThat(e.leftInPlace())
                    .first()
                    .asString()
                    .startsWith("device_del virtio-drive-"))
        .hasMessageStartingWith("sandbox sb1: create container c1: device /dev/b " + b + ": ")
        .hasMessageContaining("no more")
        .hasMessageContaining("; rollback stopped: device_del virtio-drive-");
    assertThat(h.stored().containers()).isEmpty();
    assertThat(devices()).singleElement().satisfies(d -> assertThat(d.attachCount()).isEqualTo(1));
    assertThat(h.stored().sandbox().hypervisorState().blockIndexMap()).containsExactly(0L);
    assertThat(h.stored().sandbox().config().containerConfigs())
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
    h.fake.on("device_del", x -> qemuB.equals(x.arg("id"))).reply("{}");
    assertThatThrownBy(() -> remove("c1"))
        .isInstanceOf(ContainerException.class)
        .hasMessageStartingWith("sandbox sb1: remove container c1: ")
        .hasMessageEndingWith(
            "; 1 of its device uses were released and saved, the container keeps the others:"
                + " retry the removal");
    ContainerState left = h.stored().containers().get("c1");
    assertThat(left.rootfs().blockDeviceId()).as("a released").isEmpty();
    assertThat(new ContainerInfo("c1", left, null).deviceIds()).containsExactly(devB);
    assertThat(devices()).extracting(DeviceState::id).containsExactly(devB);
    // the guest lets go: the retry finishes
    h.fake.on("device_del").replyThenDeviceDeleted();
    remove("c1");
    assertThat(h.stored().containers()).isEmpty();
    assertThat(devices()).isEmpty();
  }

  @Test
  void aRemovalWhoseFirstUnplugFailsSavesNothing() {
    create(ContainerSpec.of("c1", ContainerRootfs.disk(a, "ext4")));
    String before = stateText();
    h.forgetSaves();
    h.fake.on("device_del").reply("{}");
    assertThatThrownBy(() -> remove("c1")).isInstanceOf(DeviceStillPresentException.class);
    assertThat(stateText()).isEqualTo(before);
    assertThat(h.saves()).isZero();
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
    Path none = h.dir.resolve("none.img");
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
    Path fifo = SpecialFiles.fifo(h.dir.resolve("fifo.img"));
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
    StoredSandbox s = h.stored();
    ContainerState running = s.containers().get("c1").toBuilder().state("running").build();
    h.store.save(s.sandbox(), Map.of("c1", running));
    assertThatThrownBy(() -> remove("c1"))
        .hasMessage(
            "sandbox sb1: remove container c1: it is running: its process must be stopped first"
                + " (by the agent)");
    h.store.save(s.sandbox(), s.containers());
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
