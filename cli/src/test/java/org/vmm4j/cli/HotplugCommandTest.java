package org.vmm4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DeviceKind;
import org.vmm4j.core.api.VfioSpec;
import org.vmm4j.persist.PciPath;

/**
 * {@code hotplug} and {@code unplug} without QEMU: bad option values are exit 2 naming the option
 * and the value, before the sandbox is looked up; an unknown sandbox or a host without what the
 * kind needs is exit 1; every subcommand answers {@code --help}.
 */
class HotplugCommandTest {
  @TempDir Path root;

  private CliRun cli(String... args) {
    return CliRun.in(root, args);
  }

  private void exit2(String expected, String... args) {
    CliRun r = cli(args);
    assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(r.err()).as(String.join(" ", args)).contains(expected);
  }

  @Test
  void badOptionValuesAreExit2() throws Exception {
    Path disk = Files.write(root.resolve("d.raw"), new byte[4096]);
    exit2(
        "give a KIND: block, vfio, vhost-user-blk, vhost-user-scsi, vhost-user-fs, vhost-user-net,"
            + " cpu, memory, net",
        "hotplug",
        "sb");
    exit2("invalid sandbox id", "hotplug", "bad/id", "cpu", "--count", "1");
    exit2("Missing required option: '--file=PATH'", "hotplug", "sb", "block");
    exit2(
        "vmm4j hotplug sb block: --file " + root.resolve("none") + ": no such file",
        "hotplug",
        "sb",
        "block",
        "--file",
        root.resolve("none").toString());
    exit2("a directory", "hotplug", "sb", "block", "--file", root.toString());
    exit2(
        "--format vmdk: raw or qcow2",
        "hotplug",
        "sb",
        "block",
        "--file",
        disk.toString(),
        "--format",
        "vmdk");
    exit2(
        "--driver nvdimm: virtio-blk or virtio-scsi",
        "hotplug",
        "sb",
        "block",
        "--file",
        disk.toString(),
        "--driver",
        "nvdimm");
    exit2("--bdf zz:1: not DDDD:BB:DD.F", "hotplug", "sb", "vfio", "--bdf", "zz:1");
    exit2("mutually exclusive", "hotplug", "sb", "vfio", "--bdf", "00:01.0", "--sysfsdev", "/x");
    exit2("--count 0: at least 1", "hotplug", "sb", "cpu", "--count", "0");
    exit2("--size 12Q: a positive whole number of MiB", "hotplug", "sb", "memory", "--size", "12Q");
    exit2("--size 0: a positive whole number of MiB", "hotplug", "sb", "memory", "--size", "0");
    exit2("--tag \"\"", "hotplug", "sb", "vhost-user-fs", "--socket", "/s", "--tag", "");
    exit2("Missing required parameter: 'DEVICE-ID'", "unplug", "sb");
    exit2("invalid sandbox id", "unplug", "a/b", "cpu-0");
    assertThat(root.resolve("vm")).doesNotExist();
  }

  @Test
  void anUnknownSandboxOrAMissingHostFacilityIsExit1() {
    CliRun r = cli("hotplug", "nope", "memory", "--size", "1G");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("vmm4j hotplug nope memory: no such sandbox").hasLineCount(1);
    CliRun u = cli("unplug", "nope", "cpu-0");
    assertThat(u.exitCode()).isEqualTo(1);
    assertThat(u.err()).startsWith("vmm4j unplug nope cpu-0: no such sandbox");
    if (!Files.isDirectory(VfioSpec.DEV_VFIO)) {
      CliRun v = cli("hotplug", "nope", "vfio", "--bdf", "0000:00:1f.0");
      assertThat(v.exitCode()).isEqualTo(1);
      assertThat(v.err())
          .isEqualTo(
              "vmm4j hotplug nope vfio 0000:00:1f.0: no /dev/vfio: this host has no VFIO"
                  + " (load vfio-pci, enable the IOMMU)\n");
    }
  }

  @Test
  void everySubcommandAnswersHelp() {
    for (String[] cmd :
        new String[][] {
          {"state", "--help"},
          {"qmp", "--help"},
          {"hotplug", "--help"},
          {"hotplug", "sb", "block", "--help"},
          {"hotplug", "sb", "memory", "--help"},
          {"unplug", "--help"},
          {"list", "--help"},
          {"reconcile", "--help"},
        }) {
      CliRun r = cli(cmd);
      assertThat(r.exitCode()).as(String.join(" ", cmd)).isZero();
      assertThat(r.out()).as(String.join(" ", cmd)).startsWith("Usage: vmm4j ");
    }
    // a kind's usage and hint name the sandbox id where it goes: before the kind
    assertThat(cli("hotplug", "sb", "cpu", "--help").out())
        .startsWith("Usage: vmm4j hotplug ID cpu [-hV] [--json] --count=N");
    CliRun missing = cli("hotplug", "sb", "cpu");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("Try 'vmm4j hotplug sb cpu --help' for usage.");
    assertThat(cli("hotplug", "--help").out())
        .contains("Usage: vmm4j hotplug [-hV] ID KIND")
        .contains("Kinds:", "vhost-user-fs", "memory");
    // what the first contract lacked (reconcile, 'exited') is documented where users look
    assertThat(cli("--help").out()).contains("reconcile");
    assertThat(cli("list", "--help").out()).contains("ID STATE PID", "'exited'");
    assertThat(cli("reconcile", "--help").out()).contains("recovered DEVICE-ID", "leftover KIND");
  }

  @Test
  void aVfioGroupIsOneLinePerMemberWithItsOwnDetails() {
    Device group =
        new Device(
            "3f0c00aa11bb22cc",
            DeviceKind.VFIO,
            List.of(
                new Device.QemuDevice(
                    "vfio-a",
                    PciPath.parse("02/01"),
                    NetHotplugKindTest.details("qemu-id", "vfio-a", "group", "7")),
                new Device.QemuDevice(
                    "vfio-b",
                    PciPath.parse("02/02"),
                    NetHotplugKindTest.details("qemu-id", "vfio-b", "group", "7"))),
            NetHotplugKindTest.details("qemu-id", "vfio-a", "group", "7"));
    assertThat(group.lines())
        .containsExactly(
            "3f0c00aa11bb22cc 02/01 qemu-id=vfio-a group=7",
            "3f0c00aa11bb22cc 02/02 qemu-id=vfio-b group=7");
    Device cpu =
        new Device(
            "cpu-0",
            DeviceKind.VCPU,
            List.of(new Device.QemuDevice("cpu-0", PciPath.NIL)),
            NetHotplugKindTest.details("vcpus", "2"));
    assertThat(HotplugCommand.toJson("sb", "vfio", List.of(group, cpu)).toString())
        .isEqualTo(
            "{\"sandbox\":\"sb\",\"kind\":\"vfio\",\"devices\":["
                + "{\"id\":\"3f0c00aa11bb22cc\",\"pciPath\":\"02/01\",\"kind\":\"vfio\","
                + "\"details\":{\"qemu-id\":\"vfio-a\",\"group\":\"7\"}},"
                + "{\"id\":\"3f0c00aa11bb22cc\",\"pciPath\":\"02/02\",\"kind\":\"vfio\","
                + "\"details\":{\"qemu-id\":\"vfio-b\",\"group\":\"7\"}},"
                + "{\"id\":\"cpu-0\",\"pciPath\":null,\"kind\":\"cpu\","
                + "\"details\":{\"vcpus\":\"2\"}}]}");
  }

  @Test
  void sizes() {
    assertThat(Sizes.mib("256M")).isEqualTo(OptionalLong.of(256));
    assertThat(Sizes.mib("1G")).isEqualTo(OptionalLong.of(1024));
    assertThat(Sizes.mib("1GiB")).isEqualTo(OptionalLong.of(1024));
    assertThat(Sizes.mib("512")).isEqualTo(OptionalLong.of(512));
    assertThat(Sizes.mib("2048k")).isEqualTo(OptionalLong.of(2));
    assertThat(Sizes.mib("1000K")).isEmpty();
    assertThat(Sizes.mib("-1M")).isEmpty();
    assertThat(Sizes.mib("1.5G")).isEmpty();
  }
}
