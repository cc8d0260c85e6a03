package org.vmm4j.cli;

import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.MachineType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmm4j hotplug ID cpu --count N}. */
@Command(
    name = "cpu",
    description = {
      "vCPUs, within DefaultMaxVCPUs: one line per vCPU, cpu-N (the guest onlines them:"
          + " echo 1 > /sys/devices/system/cpu/cpuN/online). Under TCG, no vCPU can be added"
          + " after one was unplugged from the same QEMU (QEMU 7.2 crashes)."
    })
final class CpuKind extends HotplugKind {
  /** The most vCPUs any machine type takes. */
  static final int MAX_COUNT =
      java.util.Arrays.stream(MachineType.values()).mapToInt(MachineType::maxCpus).max().orElse(1);

  @Option(names = "--count", required = true, paramLabel = "N", description = "How many.")
  int count;

  @Override
  void check() {
    if (count <= 0) {
      throw bad("--count " + count + ": at least 1");
    }
    if (count > MAX_COUNT) {
      throw bad("--count " + count + ": at most " + MAX_COUNT + " (QEMU's most vCPUs)");
    }
  }

  @Override
  List<Device> plug(Sandbox sandbox) {
    return sandbox.devices().addVcpus(count);
  }
}
