package org.vmm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.SandboxDevices;
import org.vmm4j.core.api.BlockDriver;
import org.vmm4j.core.api.Device;
import org.vmm4j.core.api.DiskSpec;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestBlockDevice;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import tools.jackson.databind.node.ArrayNode;

/**
 * The hotplug part of {@code vmm4j demo}: a disk (a small raw file it writes), a vCPU and memory go
 * in and come out through {@link SandboxDevices}, and the guest's agent says what the guest sees
 * after each step: the disk at its recorded PCI path, its size and its first bytes; the CPUs
 * present and online; MemTotal and memory blocks. The vCPU leaves last (under TCG, QEMU 7.2 cannot
 * add a vCPU after one was unplugged).
 */
final class DemoHotplug {
  static final Duration GUEST_WAIT = Duration.ofSeconds(15);
  static final long DISK_MIB = 8;
  static final long MEMORY_MIB = 256;
  static final byte[] DISK_HEADER = "vmm4j demo disk\n".getBytes(StandardCharsets.US_ASCII);

  /** One step: what was done, the device, what the guest saw. */
  record Step(String action, String device, String pciPath, String guest) {}

  private final SandboxDevices devices;
  private final AgentClient agent;
  private final Consumer<String> progress;
  private final List<Step> steps = new ArrayList<>();

  private DemoHotplug(SandboxDevices devices, AgentClient agent, Consumer<String> progress) {
    this.devices = devices;
    this.agent = agent;
    this.progress = progress;
  }

  /** Runs every step on {@code s}; the disk image is written in {@code dir}. */
  static List<Step> run(Sandbox s, AgentClient agent, Path dir, Consumer<String> progress) {
    DemoHotplug d = new DemoHotplug(s.devices(), agent, progress);
    d.disk(d.image(dir));
    String cpu = d.plugCpu();
    d.memory();
    d.unplugCpu(cpu);
    return d.steps;
  }

  private Path image(Path dir) {
    Path f = dir.resolve("demo-disk.raw");
    try {
      byte[] b = new byte[(int) (DISK_MIB << 20)];
      System.arraycopy(DISK_HEADER, 0, b, 0, DISK_HEADER.length);
      return Files.write(f, b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void disk(Path file) {
    progress.accept("hot-plugging a " + DISK_MIB + " MiB disk (" + file + ") as virtio-blk");
    Device d = devices.plugDisk(DiskSpec.raw(file).withDriver(BlockDriver.VIRTIO_BLK));
    String path = d.pciPath().toString();
    GuestBlockDevice g =
        await(
                "the disk at PCI path " + path,
                () -> agent.blockDevices().stream().filter(b -> atPath(b, path)).findFirst(),
                Optional::isPresent)
            .orElseThrow();
    byte[] head = agent.readBlock(g.name(), 0, DISK_HEADER.length);
    boolean same = Arrays.equals(head, DISK_HEADER);
    steps.add(
        new Step(
            "disk plugged",
            d.id(),
            path,
            String.format(
                "/dev/%s, %d MiB, at PCI path %s; its first bytes %s the host file's (\"%s\")",
                g.name(),
                g.sizeBytes() >> 20,
                path,
                same ? "are" : "are NOT",
                new String(head, StandardCharsets.US_ASCII).strip())));
    progress.accept("unplugging disk " + d.id());
    devices.unplug(d.id());
    await(
        "the disk to leave",
        () -> agent.blockDevices().stream().anyMatch(b -> atPath(b, path)),
        present -> !present);
    steps.add(new Step("disk unplugged", d.id(), path, "/dev/" + g.name() + " is gone"));
  }

  private static boolean atPath(GuestBlockDevice b, String path) {
    return b.pciPath().filter(path::equals).isPresent();
  }

  private String plugCpu() {
    GuestCpus before = agent.cpus();
    progress.accept("hot-plugging a vCPU");
    Device c = devices.addVcpus(1).get(0);
    await("the vCPU", agent::cpus, g -> g.presentCount() > before.presentCount());
    agent.onlineCpus();
    GuestCpus after = agent.cpus();
    steps.add(
        new Step(
            "vCPU plugged",
            c.id(),
            "-",
            String.format(
                "present %s (was %s), online %s after onlining",
                after.present(), before.present(), after.online())));
    return c.id();
  }

  private void memory() {
    GuestMemory before = agent.memory();
    progress.accept("hot-plugging " + MEMORY_MIB + " MiB of memory");
    Device m = devices.addMemory(MEMORY_MIB);
    GuestMemory after =
        await("the memory online", agent::memory, g -> g.memTotalKib() > before.memTotalKib());
    steps.add(
        new Step(
            "memory plugged",
            m.id(),
            "-",
            String.format(
                "MemTotal %d -> %d MiB, %d -> %d memory blocks online (onlined movable)",
                before.memTotalKib() >> 10,
                after.memTotalKib() >> 10,
                before.blocksOnline(),
                after.blocksOnline())));
    progress.accept("unplugging " + m.id());
    devices.unplug(m.id());
    GuestMemory out =
        await("the memory to leave", agent::memory, g -> g.memTotalKib() < after.memTotalKib());
    steps.add(
        new Step(
            "memory unplugged",
            m.id(),
            "-",
            String.format(
                "MemTotal %d MiB, %d blocks online", out.memTotalKib() >> 10, out.blocksOnline())));
  }

  private void unplugCpu(String id) {
    GuestCpus before = agent.cpus();
    progress.accept("unplugging vCPU " + id + " (last: no vCPU can be added after it under TCG)");
    devices.unplug(id);
    GuestCpus after =
        await("the vCPU to leave", agent::cpus, g -> g.presentCount() < before.presentCount());
    steps.add(
        new Step(
            "vCPU unplugged",
            id,
            "-",
            String.format("present %s, online %s", after.present(), after.online())));
  }

  private static <T> T await(String what, Supplier<T> ask, Predicate<T> done) {
    long deadline = System.nanoTime() + GUEST_WAIT.toNanos();
    while (true) {
      T v = ask.get();
      if (done.test(v)) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw CliException.failed(
            "demo: the guest did not show " + what + " within " + GUEST_WAIT.toSeconds() + " s",
            null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.failed("demo: interrupted", e);
      }
    }
  }

  static void text(List<Step> steps, PrintWriter out) {
    out.println("hotplug (each step a transaction saved in the sandbox's state):");
    for (Step s : steps) {
      out.printf("  %-16s %-17s %-6s guest: %s%n", s.action(), s.device(), s.pciPath(), s.guest());
    }
  }

  static ArrayNode json(List<Step> steps) {
    ArrayNode a = CliJson.MAPPER.createArrayNode();
    for (Step s : steps) {
      a.addObject()
          .put("action", s.action())
          .put("device", s.device())
          .put("pciPath", s.pciPath().equals("-") ? null : s.pciPath())
          .put("guest", s.guest());
    }
    return a;
  }
}
