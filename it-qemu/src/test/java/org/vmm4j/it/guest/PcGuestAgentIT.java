package org.vmm4j.it.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pc (i440FX): a pci-bridge at slot 5 with a disk at 3 (05/03), a nested bridge at 05/04 with a
 * disk at 2 (05/04/02), a virtio-scsi controller at 05/06 with a disk at target 3, and a NIC on the
 * root bus at slot 9.
 */
class PcGuestAgentIT extends GuestAgentITBase {

  @Override
  String machine() {
    return "pc";
  }

  @Override
  List<String> devices(Path dir) throws IOException {
    disk(dir, "d1.raw", 1);
    disk(dir, "d2.raw", 2);
    disk(dir, "d3.raw", 3);
    List<String> a = new ArrayList<>();
    a.addAll(
        List.of(
            "-device",
            "pci-bridge,id=br1,chassis_nr=1,addr=0x5",
            "-device",
            "pci-bridge,id=br2,chassis_nr=2,bus=br1,addr=0x4"));
    a.addAll(blk(dir, "d1", "d1.raw"));
    a.addAll(List.of("-device", "virtio-blk-pci,id=vd1,drive=d1,bus=br1,addr=0x3,serial=ser-d1"));
    a.addAll(blk(dir, "d2", "d2.raw"));
    a.addAll(List.of("-device", "virtio-blk-pci,id=vd2,drive=d2,bus=br2,addr=0x2,serial=ser-d2"));
    a.addAll(blk(dir, "d3", "d3.raw"));
    a.addAll(
        List.of(
            "-device",
            "virtio-scsi-pci,id=scsi0,bus=br1,addr=0x6",
            "-device",
            "scsi-hd,id=sd3,drive=d3,bus=scsi0.0,channel=0,scsi-id=3,lun=0,serial=ser-d3"));
    a.addAll(
        List.of(
            "-netdev",
            "user,id=n1",
            "-device",
            "virtio-net-pci,id=nic1,netdev=n1,mac=" + MAC + ",addr=0x9"));
    return a;
  }

  @Override
  Map<String, String> expectedDiskPaths() {
    return Map.of("ser-d1", "05/03", "ser-d2", "05/04/02", "ser-d3", "05/06");
  }

  @Override
  String expectedNicPath() {
    return "09";
  }
}
