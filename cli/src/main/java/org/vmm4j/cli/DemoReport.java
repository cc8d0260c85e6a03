package org.vmm4j.cli;

import static org.vmm4j.cli.CliJson.MAPPER;

import java.io.PrintWriter;
import java.util.List;
import org.vmm4j.core.Sandbox;
import org.vmm4j.persist.Bridge;
import org.vmm4j.testguest.AgentClient;
import org.vmm4j.testguest.GuestArtifacts;
import org.vmm4j.testguest.GuestBlockDevice;
import org.vmm4j.testguest.GuestCpus;
import org.vmm4j.testguest.GuestMemory;
import org.vmm4j.testguest.GuestNetInterface;
import org.vmm4j.testguest.GuestPciDevice;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What {@code vmm4j demo} learnt from the sandbox and its guest, as text or JSON. */
record DemoReport(
    String id,
    long pid,
    String machine,
    String accel,
    String kernel,
    long configuredMiB,
    GuestCpus cpus,
    GuestMemory memory,
    List<GuestPciDevice> pci,
    List<GuestBlockDevice> blocks,
    List<GuestNetInterface> nets,
    List<Bridge> bridges) {

  static DemoReport ask(Sandbox s, AgentClient agent, GuestArtifacts guest) {
    return new DemoReport(
        s.id(),
        s.pid(),
        s.config().kata().hypervisorMachineType(),
        s.accelerator().wireName(),
        guest.kernelVersion(),
        s.config().kata().memorySize(),
        agent.cpus(),
        agent.memory(),
        agent.pciDevices(),
        agent.blockDevices(),
        agent.netInterfaces(),
        s.state().hypervisorState().bridges());
  }

  void print(
      PrintWriter out, boolean json, List<DemoHotplug.Step> hotplug, DemoNetwork.Outcome network) {
    if (json) {
      ObjectNode root = toJson();
      root.set("hotplug", DemoHotplug.json(hotplug));
      network.addTo(root);
      out.println(MAPPER.writeValueAsString(root));
    } else {
      text(out);
      network.print(out);
      DemoHotplug.text(hotplug, out);
    }
    out.flush();
  }

  private void text(PrintWriter out) {
    out.printf(
        "sandbox %s: QEMU pid %d, machine %s, accelerator %s, guest kernel %s%n",
        id, pid, machine, accel, kernel);
    out.printf(
        "CPUs: %d online (%s), present %s, possible %s%n",
        cpus.nproc(), cpus.online(), cpus.present(), cpus.possible());
    out.printf(
        "memory: MemTotal %d MiB of the %d MiB configured; %d blocks of %d MiB online%n",
        memory.memTotalKib() / 1024,
        configuredMiB,
        memory.blocksOnline(),
        memory.blockSizeBytes() >> 20);
    out.println("hotplug bridges (HypervisorState.Bridges): ");
    for (Bridge b : bridges) {
      out.printf("  %-15s %-15s slot %02x%n", b.id(), b.type(), b.addr());
    }
    out.println("PCI devices (PCI path, BDF, vendor:device, class, driver):");
    for (GuestPciDevice d : pci) {
      out.printf(
          "  %-8s %s  %s:%s  %s  %s%n",
          d.pciPath(), d.bdf(), d.vendor(), d.device(), d.classCode(), d.driver().orElse("-"));
    }
    out.println("block devices:" + (blocks.isEmpty() ? " none" : ""));
    for (GuestBlockDevice b : blocks) {
      out.printf("  %s %d sectors, PCI path %s%n", b.name(), b.sectors(), b.pciPath().orElse("-"));
    }
    out.println("network interfaces:");
    for (GuestNetInterface n : nets) {
      out.printf(
          "  %s %s %s, PCI path %s%n", n.name(), n.mac(), n.operState(), n.pciPath().orElse("-"));
    }
  }

  private ObjectNode toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", id).put("pid", pid).put("machine", machine).put("accel", accel);
    root.put("kernel", kernel).put("memoryMiB", configuredMiB);
    root.putObject("cpus")
        .put("nproc", cpus.nproc())
        .put("online", cpus.online())
        .put("present", cpus.present())
        .put("possible", cpus.possible());
    root.putObject("memory")
        .put("memTotalKiB", memory.memTotalKib())
        .put("blockSizeBytes", memory.blockSizeBytes())
        .put("blocksOnline", memory.blocksOnline());
    ArrayNode br = root.putArray("bridges");
    bridges.forEach(
        b -> br.addObject().put("id", b.id()).put("type", b.type()).put("addr", b.addr()));
    ArrayNode p = root.putArray("pci");
    for (GuestPciDevice d : pci) {
      p.addObject()
          .put("pciPath", d.pciPath())
          .put("bdf", d.bdf())
          .put("vendor", d.vendor())
          .put("device", d.device())
          .put("class", d.classCode())
          .put("driver", d.driver().orElse(null));
    }
    ArrayNode bl = root.putArray("block");
    blocks.forEach(
        b ->
            bl.addObject()
                .put("name", b.name())
                .put("sectors", b.sectors())
                .put("pciPath", b.pciPath().orElse(null)));
    ArrayNode ns = root.putArray("net");
    nets.forEach(
        n ->
            ns.addObject()
                .put("name", n.name())
                .put("mac", n.mac())
                .put("pciPath", n.pciPath().orElse(null)));
    return root;
  }
}
