package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.ContainerDevice;
import org.vmm4j.core.api.ContainerException;
import org.vmm4j.core.api.ContainerInfo;
import org.vmm4j.core.api.ContainerMount;
import org.vmm4j.core.api.ContainerRootfs;
import org.vmm4j.core.api.ContainerSpec;
import org.vmm4j.core.api.HotplugException;
import org.vmm4j.persist.DeviceState;

/**
 * {@link SandboxContainers} on a real QEMU ({@link HaltedSandbox}: q35, TCG, no guest; native PCIe
 * hotplug, so that QEMU gives an unplugged device back at once): two containers whose rootfs is the
 * same image file share one virtio-blk device in QEMU ({@code AttachCount} 2); removing one keeps
 * it, removing the other unplugs it; a second controller ({@link Sandbox#restore}) sees and changes
 * the same containers. A create that QEMU refuses part-way unplugs what it plugged and records
 * nothing; a running container is not removed; two controllers creating containers on one image at
 * once still plug it once.
 */
class SandboxContainersIT {
  HaltedSandbox h;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "sc1",
            b ->
                b.editKata(k -> k.pcieRootPort(4).blockDeviceDriver("virtio-blk"))
                    .editLive(l -> l.nativePcieHotplug(true)));
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  private List<DeviceState> devices() {
    List<DeviceState> d = h.state().devices();
    return d == null ? List.of() : d;
  }

  private Set<String> added(Set<String> baseline) {
    Set<String> now = new HashSet<>(h.peripheral());
    now.removeAll(baseline);
    return now;
  }

  @Test
  void twoContainersShareOneDiskUntilTheLastIsRemoved() throws Exception {
    Set<String> baseline = h.peripheral();
    Path image = h.disk("rootfs.img", 1);
    SandboxContainers containers = h.sandbox.containers();
    ContainerInfo c1 =
        containers.create(
            ContainerSpec.of("c1", ContainerRootfs.disk(image, "ext4"))
                .withMount(ContainerMount.of("shm", "/dev/shm", "tmpfs"))
                .withAnnotations(
                    Map.of("io.katacontainers.pkg.oci.container_type", "pod_sandbox")));
    ContainerInfo c2 =
        containers.create(ContainerSpec.of("c2", ContainerRootfs.disk(image, "ext4")));

    DeviceState d = devices().get(0);
    assertThat(devices()).hasSize(1);
    assertThat(d.attachCount()).isEqualTo(2);
    assertThat(d.refCount()).isEqualTo(2);
    assertThat(c1.state().rootfs().blockDeviceId()).isEqualTo(d.id());
    assertThat(c2.state().rootfs().blockDeviceId()).isEqualTo(d.id());
    String qemuId = "virtio-" + d.blockDrive().id();
    assertThat(added(baseline)).containsExactly(qemuId);
    assertThat(h.nodes()).contains(d.blockDrive().id());

    byte[] before = h.stateBytes();
    assertThatThrownBy(
            () -> containers.create(ContainerSpec.of("c1", ContainerRootfs.disk(image, "ext4"))))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("create container c1: the sandbox has a container c1 already");
    assertThat(h.stateBytes()).isEqualTo(before);
    // c3 takes one more use of the image (counted), plugs its own rootfs, then QEMU refuses its
    // device (a read-only sysfs attribute: no read-write open, even for root): the rootfs goes
    // out again, the image keeps its counts, nothing is recorded
    Path c3image = h.disk("c3.img", 1);
    Path readOnly = Path.of("/sys/devices/system/cpu/possible");
    assertThatThrownBy(
            () ->
                containers.create(
                    ContainerSpec.of("c3", ContainerRootfs.disk(c3image, "ext4"))
                        .withMount(ContainerMount.block(image.toString(), "/shared", "ext4"))
                        .withDevice(ContainerDevice.of(readOnly, "/dev/vdb"))))
        .isInstanceOf(HotplugException.class)
        .hasMessageStartingWith("sandbox sc1: create container c3: device /dev/vdb " + readOnly)
        .hasMessageContaining("blockdev-add");
    assertThat(h.stateBytes()).isEqualTo(before);
    assertThat(added(baseline)).containsExactly(qemuId);

    // the agent's states, recorded: a running container stays
    containers.recordState("c1", "running");
    assertThatThrownBy(() -> containers.remove("c1"))
        .isInstanceOf(ContainerException.class)
        .hasMessage(
            "sandbox sc1: remove container c1: it is running: its process must be stopped first"
                + " (by the agent)");
    assertThatThrownBy(() -> containers.recordState("c1", "ready"))
        .hasMessageContaining("cannot move from running to ready");
    containers.recordState("c1", "stopped");

    try (Sandbox second = Sandbox.restore(h.store, h.sandbox.id())) {
      SandboxContainers other = second.containers();
      assertThat(other.list()).extracting(ContainerInfo::id).containsExactly("c1", "c2");
      assertThat(other.get("c1").config().annotations())
          .containsEntry("io.katacontainers.pkg.oci.container_type", "pod_sandbox");
      assertThat(other.get("c1").state().mounts()).hasSize(1);
      assertThat(other.get("c1").state().state()).isEqualTo("stopped");
      other.remove("c1");
    }
    assertThat(added(baseline)).as("c2 still uses it").containsExactly(qemuId);
    assertThat(devices()).singleElement().satisfies(x -> assertThat(x.attachCount()).isEqualTo(1));
    assertThat(containers.list()).extracting(ContainerInfo::id).containsExactly("c2");
    assertThat(containers.find("c1")).isEmpty();

    containers.remove("c2");
    assertThat(added(baseline)).isEmpty();
    assertThat(h.nodes()).isEmpty();
    assertThat(devices()).isEmpty();
    assertThat(h.state().hypervisorState().blockIndexMap()).isEmpty();
    try (Sandbox third = Sandbox.restore(h.store, h.sandbox.id())) {
      assertThat(third.containers().list()).isEmpty();
      // two controllers create containers on the image at once: still one plug, counted twice
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<?> c4 =
            pool.submit(
                () ->
                    containers.create(ContainerSpec.of("c4", ContainerRootfs.disk(image, "ext4"))));
        Future<?> c5 =
            pool.submit(
                () ->
                    third
                        .containers()
                        .create(ContainerSpec.of("c5", ContainerRootfs.disk(image, "ext4"))));
        c4.get(60, TimeUnit.SECONDS);
        c5.get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(devices())
          .singleElement()
          .satisfies(x -> assertThat(x.attachCount()).isEqualTo(2));
      assertThat(added(baseline)).hasSize(1);
      third.containers().remove("c4");
      containers.remove("c5");
    }
    assertThat(added(baseline)).isEmpty();
    assertThat(devices()).isEmpty();
  }
}
