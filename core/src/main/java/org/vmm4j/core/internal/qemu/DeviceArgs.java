package org.vmm4j.core.internal.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.MachineType;

/**
 * The cold-plugged devices in Kata's order (the agent channel as Kata 1.13 adds it): console,
 * rootfs image, vIOMMU, SCSI controller, RNG, agent channel. PCI devices on pc/q35, virtio-mmio
 * ({@code virtio-*-device}, no {@code romfile}/{@code disable-modern}) on microvm.
 */
final class DeviceArgs {
  static final String CONSOLE_CHARDEV = "charconsole0";
  static final String AGENT_CHARDEV = "charch0";

  private DeviceArgs() {}

  static void append(Argv a, Plan p) {
    console(a, p);
    image(a, p);
    iommu(a, p);
    scsi(a, p);
    rng(a, p);
    agent(a, p);
  }

  /** The virtio-serial controller and the {@code virtconsole} on {@code console.sock} (hvc0). */
  private static void console(Argv a, Plan p) {
    Opts serial = p.disableModern(Opts.of(p.virtio("virtio-serial"))).add("id", "serial0");
    a.device(p.romfile(serial).add("max_ports", 2));
    a.device(Opts.of("virtconsole").add("chardev", CONSOLE_CHARDEV).add("id", "console0"));
    a.chardev(serverSocket(CONSOLE_CHARDEV, p.paths().consoleSocket()));
  }

  /** The rootfs image: a nvdimm (default) or a read-only virtio-blk disk. */
  private static void image(Argv a, Plan p) {
    HypervisorConfig c = p.c();
    if (c.kata().imagePath().isEmpty()) {
      return;
    }
    if (c.imageOnNvdimm()) {
      a.device(Opts.of("nvdimm").add("id", "nv0").add("memdev", "mem0"));
      a.object(
          Opts.of("memory-backend-file")
              .add("id", "mem0")
              .add("mem-path", c.kata().imagePath())
              .add("size", size(c.kata().imagePath())));
      return;
    }
    String id = p.imageId();
    Opts blk = p.disableModern(Opts.of(p.virtio("virtio-blk"))).add("drive", id);
    blk.add("scsi", "off").add("config-wce", "off");
    a.device(p.romfile(blk).add("share-rw", "on").add("serial", id));
    a.add(
        "-drive",
        Opts.of("id=" + id)
            .add("file", c.kata().imagePath())
            .add("aio", "threads")
            .add("format", "raw")
            .add("if", "none")
            .add("readonly", "on"));
  }

  private static void iommu(Argv a, Plan p) {
    if (p.c().live().iommu() && p.machine() == MachineType.Q35) {
      a.device(
          Opts.of("intel-iommu")
              .add("intremap", "on")
              .add("device-iotlb", "on")
              .add("caching-mode", "on"));
    }
  }

  private static void scsi(Argv a, Plan p) {
    if (!Plan.scsi(p.c())) {
      return;
    }
    Opts o = p.disableModern(Opts.of(p.virtio("virtio-scsi")).add("id", "scsi0"));
    o.addIf(!p.iothreadId().isEmpty(), "iothread", p.iothreadId());
    a.device(p.romfile(o));
  }

  /** {@code -object iothread,id=...}: Kata renders it late, in the iothreads slot. */
  static void iothread(Argv a, Plan p) {
    if (!p.iothreadId().isEmpty()) {
      a.object(Opts.of("iothread").add("id", p.iothreadId()));
    }
  }

  private static void rng(Argv a, Plan p) {
    String source = p.c().kata().entropySource();
    a.object(Opts.of("rng-random").add("id", "rng0").addIf(!source.isEmpty(), "filename", source));
    a.device(p.romfile(Opts.of(p.virtio("virtio-rng")).add("rng", "rng0")));
  }

  /** The serial agent channel; with vsock nothing here (it is added before {@code cont}). */
  private static void agent(Argv a, Plan p) {
    if (p.vsock()) {
      return;
    }
    a.device(
        Opts.of("virtserialport")
            .add("chardev", AGENT_CHARDEV)
            .add("id", "channel0")
            .add("name", "agent.channel.0"));
    a.chardev(serverSocket(AGENT_CHARDEV, p.paths().agentSocket()));
  }

  /** A unix socket QEMU serves, without waiting for a client. */
  static Opts serverSocket(String id, Path path) {
    return Opts.of("socket").add("id", id).add("path", path).add("server", "on").add("wait", "off");
  }

  private static long size(String image) {
    try {
      return Files.size(Path.of(image));
    } catch (IOException e) {
      throw new ConfigException(
          "ImagePath", image, "HypervisorConfig: ImagePath=" + image + " cannot be read: " + e, e);
    }
  }
}
