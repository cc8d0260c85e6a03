package org.vmm4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vmm4j.devices.PciBridge;
import org.vmm4j.qmp.QmpClient;
import org.vmm4j.qmp.QmpOptions;

/**
 * A QEMU for the hotplug benchmark: q35, {@code -S}, TCG, no guest, native PCIe hotplug ({@code
 * ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off}: a never-powered root port unplugs at once) on
 * {@link #PORTS} root ports {@code rp<i>} at root slot {@code 2+i}, one QMP socket. Killed by
 * {@link #close()}.
 */
final class BenchQemu implements AutoCloseable {
  /** 24 other disks + the cycled one fit; pcie.0 has room for about 30. */
  static final int PORTS = 26;

  final Path vmm4jSocket;
  final Path rawSocket;
  final Process process;

  private BenchQemu(Path vmm4jSocket, Path rawSocket, Process process) {
    this.vmm4jSocket = vmm4jSocket;
    this.rawSocket = rawSocket;
    this.process = process;
  }

  /** The root ports, as the topology knows them. */
  static List<PciBridge> ports() {
    List<PciBridge> ports = new ArrayList<>();
    for (int i = 0; i < PORTS; i++) {
      ports.add(PciBridge.rootPort("rp" + i, 2 + i));
    }
    return ports;
  }

  static BenchQemu start(Path dir) throws IOException {
    Path vmm4j = dir.resolve("vmm4j.sock");
    Path raw = dir.resolve("raw.sock");
    List<String> argv = new ArrayList<>();
    argv.addAll(List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-nodefaults"));
    argv.addAll(List.of("-S", "-display", "none", "-m", "256M"));
    argv.addAll(List.of("-global", "ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"));
    argv.addAll(List.of("-qmp", "unix:" + vmm4j + ",server=on,wait=off"));
    argv.addAll(List.of("-qmp", "unix:" + raw + ",server=on,wait=off"));
    for (PciBridge p : ports()) {
      int i = Integer.parseInt(p.id().substring(2));
      argv.add("-device");
      argv.add(
          String.format(
              "pcie-root-port,id=%s,bus=pcie.0,chassis=%d,slot=%d,addr=0x%x",
              p.id(), i + 1, i, p.addr()));
    }
    Process process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("qemu.log").toFile())
            .start();
    BenchQemu q = new BenchQemu(vmm4j, raw, process);
    q.connect().close(); // listening
    return q;
  }

  /** vmm4j's client. */
  QmpClient connect() {
    return QmpClient.connectWhenListening(
        vmm4jSocket, QmpOptions.defaults(), Duration.ofSeconds(10), process::isAlive);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
