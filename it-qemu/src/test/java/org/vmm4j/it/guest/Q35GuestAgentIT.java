package org.vmm4j.it.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * q35: a disk below a pcie-root-port at slot 5 (05/00); a pcie-pci-bridge below a root port at 6
 * with a disk at 3 (06/00/03); a pci-bridge on pcie.0 at 8 (Kata's DefaultBridges) with a disk at 1
 * (08/01); a NIC below a root port at 7 (07/00).
 */
class Q35GuestAgentIT extends GuestAgentITBase {

  @Override
  String machine() {
    return "q35";
  }

  @Override
  List<String> devices(Path dir) throws IOException {
    disk(dir, "d1.raw", 1);
    disk(dir, "d2.raw", 2);
    disk(dir, "d3.raw", 3);
    List<String> a = new ArrayList<>();
    a.addAll(
        List.of(
            "-device", "pcie-root-port,id=rp1,chassis=1,slot=1,bus=pcie.0,addr=0x5",
            "-device", "pcie-root-port,id=rp2,chassis=2,slot=2,bus=pcie.0,addr=0x6",
            "-device", "pcie-root-port,id=rp3,chassis=3,slot=3,bus=pcie.0,addr=0x7",
            "-device", "pcie-pci-bridge,id=ppb1,bus=rp2",
            "-device", "pci-bridge,id=br1,chassis_nr=4,bus=pcie.0,addr=0x8"));
    a.addAll(blk(dir, "d1", "d1.raw"));
    a.addAll(List.of("-device", "virtio-blk-pci,id=vd1,drive=d1,bus=rp1,serial=ser-d1"));
    a.addAll(blk(dir, "d2", "d2.raw"));
    a.addAll(List.of("-device", "virtio-blk-pci,id=vd2,drive=d2,bus=ppb1,addr=0x3,serial=ser-d2"));
    a.addAll(blk(dir, "d3", "d3.raw"));
    a.addAll(List.of("-device", "virtio-blk-pci,id=vd3,drive=d3,bus=br1,addr=0x1,serial=ser-d3"));
    a.addAll(
        List.of(
            "-netdev",
            "user,id=n1",
            "-device",
            "virtio-net-pci,id=nic1,netdev=n1,mac=" + MAC + ",bus=rp3"));
    return a;
  }

  @Override
  Map<String, String> expectedDiskPaths() {
    return Map.of("ser-d1", "05/00", "ser-d2", "06/00/03", "ser-d3", "08/01");
  }

  @Override
  String expectedNicPath() {
    return "07/00";
  }
}
