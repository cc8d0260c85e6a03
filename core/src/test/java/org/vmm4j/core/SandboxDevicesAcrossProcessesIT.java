package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.persist.CpuDevice;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.qmp.MemoryDeviceInfo;
import org.vmm4j.qmp.QueryMemoryDevices;
import org.vmm4j.testing.modules.ChildClassPath;

/**
 * {@link SandboxDevices#list()} and {@link SandboxDevices#unplug} from a second process ({@link
 * DevicesChild}, a JVM of its own on the tools socket while this JVM's sandbox object keeps the
 * controller socket): it lists every device this process plugged with the same ids, kinds, QEMU ids
 * and PCI paths (the DIMM, which Kata's schema does not name, found through QEMU's {@code
 * query-memory-devices}), and unplugs any of them by id through the one unplug path. q35, TCG, the
 * halting kernel, native PCIe hotplug on root ports: a disk leaves at once; without a guest QEMU
 * keeps a DIMM (nobody offlines it: {@link DeviceStillPresentException}, nothing changed) and
 * refuses a vCPU unplug (its ACPI CPU hotplug stays in legacy mode: {@link HotplugException},
 * nothing changed).
 */
class SandboxDevicesAcrossProcessesIT {
  /** The child's DEVICE_DELETED deadline: a DIMM's unplug waits this long, then asks QEMU. */
  static final int DELETED_MS = 500;

  HaltedSandbox h;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(HaltedSandbox.available(), HaltedSandbox.QEMU + " not installed");
    h =
        HaltedSandbox.start(
            "xp1",
            b ->
                b.editKata(k -> k.pcieRootPort(4).blockDeviceDriver("virtio-scsi").memSlots(4))
                    .editLive(l -> l.nativePcieHotplug(true)));
  }

  @AfterEach
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void aSecondProcessListsWhatTheFirstPluggedAndUnplugsItById() throws Exception {
    SandboxDevices devices = h.sandbox.devices();
    Device blk =
        devices.plugDisk(DiskSpec.raw(h.disk("a.raw", 1)).withDriver(BlockDriver.VIRTIO_BLK));
    Device scsi = devices.plugDisk(DiskSpec.raw(h.disk("b.raw", 1)));
    Device cpu = devices.addVcpus(1).get(0);
    Device dimm = devices.addMemory(128);
    assertThat(blk.pciPath().isNil()).isFalse();
    assertThat(scsi.pciPath().isNil()).as("a SCSI disk has no PCI path").isTrue();
    assertThat(dimm.id()).isEqualTo("dimmmem0");
    List<String> plugged =
        List.of(blk, scsi, cpu, dimm).stream().map(DevicesChild::line).sorted().toList();
    assertThat(devices.list().stream().map(DevicesChild::line).sorted()).isEqualTo(plugged);

    List<String> out =
        child(
            "list",
            "unplug:" + blk.id(),
            "unplug:" + scsi.qemuId(), // its QEMU id works too
            "unplug:" + dimm.id(),
            "unplug:" + cpu.id(),
            "list");
    List<String> lists = out.stream().filter(l -> l.startsWith("DEVICE ")).toList();
    assertThat(lists.subList(0, 4).stream().map(l -> l.substring("DEVICE ".length())).sorted())
        .as("the second process's list")
        .isEqualTo(plugged);
    assertThat(out)
        .contains("UNPLUGGED " + blk.id() + " BLOCK", "UNPLUGGED " + scsi.qemuId() + " BLOCK");
    assertThat(failure(out, dimm.id()))
        .startsWith("DeviceStillPresentException QEMU sandbox xp1: unplug memory dimmmem0: ")
        .contains("no DEVICE_DELETED within " + DELETED_MS + " ms")
        .contains("still lists dimmmem0 under /machine/peripheral")
        .endsWith("still taken: backend " + dimm.details().get("memdev"));
    assertThat(failure(out, cpu.id()))
        .startsWith("HotplugException QEMU sandbox xp1: unplug cpu " + cpu.id() + ": device_del");
    assertThat(lists.subList(4, lists.size()).stream().map(l -> l.substring("DEVICE ".length())))
        .as("what the second process lists afterwards")
        .containsExactlyInAnyOrder(DevicesChild.line(cpu), DevicesChild.line(dimm));

    // this process sees the same: the disks gone from QEMU and the state, the rest as it was
    assertThat(devices.list().stream().map(DevicesChild::line))
        .containsExactlyInAnyOrder(DevicesChild.line(cpu), DevicesChild.line(dimm));
    SandboxState st = h.state();
    assertThat(st.devices()).isNullOrEmpty();
    assertThat(st.hypervisorState().blockIndexMap()).isEmpty();
    assertThat(st.hypervisorState().bridges())
        .allSatisfy(b -> assertThat(b.deviceAddr()).isNullOrEmpty());
    assertThat(st.hypervisorState().hotpluggedVcpus()).containsExactly(new CpuDevice(cpu.id()));
    assertThat(st.hypervisorState().hotpluggedMemory()).isEqualTo(128);
    assertThat(h.peripheral()).doesNotContain(blk.qemuId(), scsi.qemuId()).contains(dimm.id());
    assertThat(h.nodes()).isEmpty();
    assertThat(h.qmp().call(new QueryMemoryDevices()))
        .extracting(MemoryDeviceInfo::id)
        .containsExactly(dimm.id());
    assertThat(h.sandbox.status()).isEqualTo(Sandbox.Status.RUNNING);
  }

  /** The rest of the child's {@code FAILED <id> ...} line for {@code id}. */
  private static String failure(List<String> out, String id) {
    String prefix = "FAILED " + id + " ";
    return out.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no failure of " + id + " in " + out));
  }

  /** Runs {@link DevicesChild} with {@code commands}; its output lines once it printed DONE. */
  private List<String> child(String... commands) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    cmd.addAll(List.of("-cp", ChildClassPath.of(DevicesChild.class)));
    cmd.add(DevicesChild.class.getName());
    cmd.addAll(List.of(h.store.root().toString(), h.sandbox.id(), Integer.toString(DELETED_MS)));
    cmd.addAll(List.of(commands));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    } finally {
      p.destroyForcibly();
    }
    assertThat(p.exitValue()).as("the child's exit: " + lines).isZero();
    assertThat(lines).last().isEqualTo("DONE");
    lines.forEach(l -> System.out.println("DevicesChild: " + l));
    return lines;
  }
}
