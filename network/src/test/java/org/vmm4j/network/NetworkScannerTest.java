package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scan over captured dumps (see {@code ReplyParsingTest}): of tbveth0, tbveth1, tbbr0, tbmvt0
 * and lo only tbveth0 has addresses; a fake sysfs decides whether it is a PCI NIC.
 */
class NetworkScannerTest {
  @TempDir Path tmp;

  private static Netlink capturedNamespace() {
    return FakeNetlinkSocket.netlink(
        new FakeNetlinkSocket()
            .replay(NlConst.RTM_GETLINK, Golden.dump("link-dump.reply.hex", NlConst.RTM_NEWLINK))
            .replay(NlConst.RTM_GETADDR, Golden.dump("addr-dump.reply.hex", NlConst.RTM_NEWADDR))
            .replay(
                NlConst.RTM_GETROUTE, Golden.dump("route-dump.reply.hex", NlConst.RTM_NEWROUTE)));
  }

  @Test
  void aVethWithAddressesBecomesAPairedEndpoint() {
    NetworkScan scan =
        NetworkScanner.scan(capturedNamespace(), tmp, ScanOptions.of(InterworkingModel.DEFAULT));
    assertThat(scan.entries())
        .singleElement()
        .satisfies(
            e -> {
              Endpoint.Veth veth = (Endpoint.Veth) e.endpoint();
              assertThat(veth.name()).isEqualTo("tbveth0");
              assertThat(veth.pair().name()).isEqualTo("br0_kata");
              assertThat(veth.pair().model()).isEqualTo(InterworkingModel.DEFAULT);
              assertThat(e.link().mtu()).isEqualTo(1400);
              assertThat(e.addresses()).hasSize(2);
              assertThat(e.routes())
                  .allMatch(r -> r.table() == Route.TABLE_MAIN && r.linkIndex() == 3);
              assertThat(e.guestRoutes()).extracting(r -> r.isDefault()).contains(true);
            });
  }

  @Test
  void aNicWithAPciAddressIsPhysical() {
    new FakeSysfs(tmp).nic("tbveth0", "0000:3b:00.1", "i40e", "0x8086", "0x1572");
    NetworkScan scan =
        NetworkScanner.scan(capturedNamespace(), tmp, ScanOptions.of(InterworkingModel.DEFAULT));
    assertThat(scan.endpoints())
        .singleElement()
        .isEqualTo(
            new Endpoint.Physical(
                "tbveth0",
                MacAddress.parse("02:11:22:33:44:55"),
                "0000:3b:00.1",
                "i40e",
                "0x8086 0x1572",
                ""));
  }
}
