package org.vmm4j.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Addresses and routes (IPv4 and IPv6) and traffic control against the real kernel, inside a
 * namespace this test creates and removes; cross-checked with {@code ip} and {@code tc}.
 */
class AddressRouteTcIT {
  private NetNs ns;

  @BeforeEach
  void createNamespace() {
    ns = TestNamespaces.create("art");
    ns.run(
        ctx -> {
          Links links = ctx.netlink().links();
          Link a = links.create(new LinkSpec.Veth("tva0", "tvb0"));
          links.setUp(a.index());
          links.setUp(links.get("tvb0").index());
          return null;
        });
  }

  @AfterEach
  void deleteNamespace() {
    ns.delete();
  }

  @Test
  void addressesListAddDeleteV4AndV6() {
    ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          int idx = nl.links().get("tva0").index();
          nl.addresses().add(Address.of(idx, "10.1.2.3/24"));
          Address labelled =
              new Address(
                  idx,
                  IpPrefix.parse("10.1.2.4/24"),
                  "tva0:1",
                  0,
                  0,
                  null,
                  IpPrefix.literal("10.1.2.255"),
                  Address.FOREVER,
                  Address.FOREVER);
          nl.addresses().add(labelled);
          nl.addresses().add(Address.of(idx, "fd00::5/64"));
          assertThat(nl.addresses().list(idx))
              .extracting(a -> a.local().toString())
              .contains("10.1.2.3/24", "10.1.2.4/24", "fd00:0:0:0:0:0:0:5/64");
          Address second =
              nl.addresses().list(idx).stream()
                  .filter(a -> a.local().toString().equals("10.1.2.4/24"))
                  .findFirst()
                  .orElseThrow();
          assertThat(second.label()).isEqualTo("tva0:1");
          assertThat(second.broadcast()).isEqualTo(IpPrefix.literal("10.1.2.255"));
          assertThat(second.flags() & Address.IFA_F_PERMANENT).isNotZero();
          assertThatThrownBy(() -> nl.addresses().add(Address.of(idx, "10.1.2.3/24")))
              .isInstanceOf(NetlinkException.Exists.class);
          nl.addresses().delete(Address.of(idx, "fd00::5/64"));
          nl.addresses().delete(Address.of(idx, "10.1.2.4/24"));
          assertThatThrownBy(() -> nl.addresses().delete(Address.of(idx, "10.1.2.4/24")))
              .isInstanceOf(NetlinkException.NotFound.class);
          return null;
        });
    String shown = TestNamespaces.ip("-n", ns.name(), "addr", "show", "dev", "tva0");
    assertThat(shown).contains("10.1.2.3/24").doesNotContain("10.1.2.4").doesNotContain("fd00::5");
  }

  @Test
  void routesListAddDeleteV4AndV6() {
    ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          int idx = nl.links().get("tva0").index();
          nl.addresses().add(Address.of(idx, "10.1.2.3/24"));
          nl.addresses().add(Address.of(idx, "fd00::5/64"));
          Route viaGw =
              Route.via(IpPrefix.parse("10.9.0.0/16"), IpPrefix.literal("10.1.2.1"), idx, 2);
          Route dflt = Route.via(null, IpPrefix.literal("10.1.2.1"), idx, 2);
          Route v6 = Route.direct(IpPrefix.parse("fd01::/64"), idx);
          nl.routes().add(viaGw);
          nl.routes().add(dflt);
          nl.routes().add(v6);
          assertThat(nl.routes().listMain(idx))
              .extracting(Route::toString)
              .contains(
                  "10.9.0.0/16 via 10.1.2.1 dev#" + idx + " table 254 proto 3",
                  "default via 10.1.2.1 dev#" + idx + " table 254 proto 3",
                  "fd01:0:0:0:0:0:0:0/64 dev#" + idx + " table 254 proto 3");
          assertThatThrownBy(() -> nl.routes().add(viaGw))
              .isInstanceOf(NetlinkException.Exists.class);
          nl.routes().delete(viaGw);
          nl.routes().delete(v6);
          assertThatThrownBy(() -> nl.routes().delete(viaGw))
              .isInstanceOf(NetlinkException.NotFound.class);
          return null;
        });
    String routes = TestNamespaces.ip("-n", ns.name(), "route", "show");
    assertThat(routes).contains("default via 10.1.2.1").doesNotContain("10.9.0.0");
    assertThat(TestNamespaces.ip("-n", ns.name(), "-6", "route", "show")).doesNotContain("fd01::");
  }

  @Test
  void ingressQdiscAndMirredRedirectAddListDelete() {
    ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          int a = nl.links().get("tva0").index();
          int b = nl.links().get("tvb0").index();
          nl.tc().addIngressQdisc(a);
          assertThatThrownBy(() -> nl.tc().addIngressQdisc(a))
              .isInstanceOf(NetlinkException.Exists.class)
              .hasMessageStartingWith(
                  "RTM_NEWQDISC ingress qdisc dev #" + a + ": File exists (EEXIST)");
          nl.tc().addRedirect(a, 0, b);
          assertThat(nl.tc().qdiscs(a)).anyMatch(Qdisc::isIngress);
          assertThat(nl.tc().ingressFilters(a))
              .anySatisfy(
                  f -> {
                    assertThat(f.kind()).isEqualTo("u32");
                    assertThat(f.redirectTo()).isEqualTo(b);
                    assertThat(f.protocol()).isEqualTo(3);
                    assertThat(f.priority()).isEqualTo(49152);
                  });
          return null;
        });
    String filters =
        TestNamespaces.run(
            "tc", "-n", ns.name(), "filter", "show", "dev", "tva0", "parent", "ffff:");
    assertThat(filters)
        .contains("mirred (Egress Redirect to device tvb0) stolen")
        .contains("match 00000000/00000000 at 0");
    ns.run(
        ctx -> {
          Netlink nl = ctx.netlink();
          int a = nl.links().get("tva0").index();
          nl.tc().deleteIngressFilters(a, 0);
          assertThat(nl.tc().ingressFilters(a)).isEmpty();
          nl.tc().deleteIngressQdisc(a);
          assertThat(nl.tc().qdiscs(a)).noneMatch(Qdisc::isIngress);
          return null;
        });
    assertThat(TestNamespaces.run("tc", "-n", ns.name(), "qdisc", "show", "dev", "tva0"))
        .doesNotContain("ingress");
  }
}
