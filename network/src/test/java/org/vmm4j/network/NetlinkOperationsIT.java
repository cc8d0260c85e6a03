package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every netlink operation against the real kernel, inside a namespace this test creates and
 * removes; results are checked both through our own dumps and through {@code ip}/{@code tc}.
 */
class NetlinkOperationsIT {
  private NetNs ns;

  @BeforeEach
  void createNamespace() {
    ns = TestNamespaces.create("ops");
  }

  @AfterEach
  void deleteNamespace() {
    if (ns != null) {
      ns.delete();
      assertThat(NetNs.exists(ns.name())).isFalse();
    }
  }

  @Test
  void vethPairCreateChangeDelete() {
    ns.run(
        ctx -> {
          Links links = ctx.netlink().links();
          Link a = links.create(new LinkSpec.Veth("tva0", "tvb0"));
          assertThat(a.kind()).isEqualTo("veth");
          Link b = links.get("tvb0");
          assertThat(a.parentIndex()).isEqualTo(b.index());
          links.setMtu(a.index(), 1400);
          links.setMac(a.index(), MacAddress.parse("02:11:22:33:44:55"));
          links.setTxQueueLength(a.index(), 777);
          links.setUp(a.index());
          Link changed = links.get(a.index());
          assertThat(changed.mtu()).isEqualTo(1400);
          assertThat(changed.mac()).hasToString("02:11:22:33:44:55");
          assertThat(changed.txQueueLength()).isEqualTo(777);
          assertThat(changed.isUp()).isTrue();
          links.setDown(a.index());
          assertThat(links.get("tva0").isUp()).isFalse();
          assertThat(links.list()).extracting(Link::name).contains("lo", "tva0", "tvb0");
          links.delete(a.index());
          assertThat(links.find("tvb0")).isEmpty();
          return null;
        });
    assertThat(TestNamespaces.ip("-n", ns.name(), "-o", "link")).doesNotContain("tva0");
  }

  @Test
  void createExistingNameIsTypedAndNamed() {
    ns.run(
        ctx -> {
          Links links = ctx.netlink().links();
          links.create(new LinkSpec.Veth("tva0", "tvb0"));
          assertThatThrownBy(() -> links.create(new LinkSpec.Veth("tva0", "tvc0")))
              .isInstanceOf(NetlinkException.Exists.class)
              .hasMessageStartingWith("RTM_NEWLINK veth tva0: File exists (EEXIST)");
          assertThatThrownBy(() -> links.get("nosuch0"))
              .isInstanceOf(NetlinkException.NotFound.class)
              .hasMessageContaining("RTM_GETLINK link nosuch0: No such device (ENODEV)");
          return null;
        });
  }

  @Test
  void bridgeMasterAndNamespaceMove() {
    NetNs other = TestNamespaces.create("ops2");
    try {
      ns.run(
          ctx -> {
            Links links = ctx.netlink().links();
            Link br = links.create(new LinkSpec.Bridge("tbr0"));
            Link a = links.create(new LinkSpec.Veth("tva0", "tvb0", other));
            links.setMaster(a.index(), br.index());
            assertThat(links.get(a.index()).masterIndex()).isEqualTo(br.index());
            links.clearMaster(a.index());
            assertThat(links.get(a.index()).masterIndex()).isZero();
            assertThatThrownBy(() -> links.setNamespace(br.index(), other))
                .isInstanceOf(NetlinkException.InvalidArgument.class)
                .hasMessageContaining("The interface netns is immutable");
            links.create(new LinkSpec.Veth("tvc0", "tvd0"));
            links.setNamespace(links.get("tvd0").index(), other);
            assertThat(links.find("tvd0")).isEmpty();
            return null;
          });
      List<String> there =
          other.run(ctx -> ctx.netlink().links().list().stream().map(Link::name).toList());
      assertThat(there).contains("tvb0", "tvd0");
    } finally {
      other.delete();
    }
  }
}
