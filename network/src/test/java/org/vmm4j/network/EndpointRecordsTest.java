package org.vmm4j.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.persist.NetworkEndpoint;
import org.vmm4j.persist.NetworkInfo;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.persist.SandboxState;
import org.vmm4j.testing.persist.KataSamples;

/**
 * Endpoints to Kata's persisted schema and back, through {@link PersistCodec}, against golden files
 * under {@code golden/endpoints/} (Go's exact encoding): each endpoint encodes to its file's bytes,
 * and each file decodes to what the schema keeps of it (every kind restorable, tuntap included).
 * Run with {@code -Dgolden.update=true} to rewrite the files after a deliberate change.
 */
class EndpointRecordsTest {
  static final String UUID = "5f0c4a5e-3d8b-4f39-9a3e-0d6c2b1e7a11";
  static final MacAddress POD_MAC = MacAddress.parse("0a:58:0a:58:00:05");
  static final MacAddress RANDOM_MAC = MacAddress.parse("02:11:22:33:44:55");

  static Address addr(String prefix, int flags, int scope, String broadcast) {
    return new Address(
        7,
        IpPrefix.parse(prefix),
        "",
        flags,
        scope,
        null,
        broadcast == null ? null : IpPrefix.literal(broadcast),
        Address.FOREVER,
        Address.FOREVER);
  }

  /** What the macvtap model moves off a CNI veth (as the kernel lists it). */
  static final List<Address> MOVED =
      List.of(
          addr("10.88.0.5/16", 0x80, 0, "10.88.255.255"),
          addr("fd88::5/64", 0x80, 0, null),
          new Address(
              7, IpPrefix.parse("fe80::858:aff:fe58:5/64"), "", 0x80, 253, null, null, 4000, 3000));

  static NetPair pair(InterworkingModel model, List<Address> moved) {
    return new NetPair(
        UUID,
        "br0_kata",
        new NetIface("tap0_kata", POD_MAC, List.of()),
        new NetIface("eth0", RANDOM_MAC, moved),
        model);
  }

  static NetPair tuntapPair(InterworkingModel model, List<Address> moved) {
    return new NetPair(
        EndpointRecords.tuntapPairId("tap2_kata"),
        "br2_kata",
        new NetIface("tap2_kata", POD_MAC, List.of()),
        new NetIface("tun0", null, moved),
        model);
  }

  /** Golden name to endpoint; every one restores to itself with its PCI path "" unless listed. */
  static Map<String, Endpoint> cases() {
    Map<String, Endpoint> m = new LinkedHashMap<>();
    m.put("veth-tcfilter", new Endpoint.Veth(pair(InterworkingModel.TCFILTER, List.of()), ""));
    m.put("veth-macvtap", new Endpoint.Veth(pair(InterworkingModel.MACVTAP, MOVED), ""));
    m.put("macvlan", new Endpoint.Macvlan(pair(InterworkingModel.TCFILTER, List.of()), ""));
    m.put("ipvlan", new Endpoint.IpVlan(pair(InterworkingModel.TCFILTER, List.of()), ""));
    m.put(
        "tuntap-tcfilter",
        new Endpoint.Tuntap(tuntapPair(InterworkingModel.TCFILTER, List.of()), ""));
    m.put("tuntap-macvtap", new Endpoint.Tuntap(tuntapPair(InterworkingModel.MACVTAP, MOVED), ""));
    m.put(
        "tap",
        new Endpoint.Tap(UUID, "eth1", new NetIface("tap1_kata", POD_MAC, List.of()), 0, ""));
    m.put("macvtap", new Endpoint.Macvtap("", null, "02/03"));
    m.put("vhost-user", new Endpoint.VhostUser("vhost-user-0", null, null, "03/00"));
    m.put("physical", new Endpoint.Physical("", null, "0000:3b:00.1", "i40e", "0x8086 0x1572", ""));
    m.put(
        "address-peer",
        new Endpoint.Veth(
            pair(
                InterworkingModel.MACVTAP,
                List.of(
                    new Address(
                        3,
                        IpPrefix.parse("10.0.0.1/30"),
                        "eth0:p",
                        0x80,
                        0,
                        IpPrefix.parse("10.0.0.2/30"),
                        null,
                        Address.FOREVER,
                        Address.FOREVER))),
            ""));
    return m;
  }

  static Stream<String> names() {
    return cases().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("names")
  void encodesToTheGoldenBytesAndRestores(String name) throws IOException {
    Endpoint ep = cases().get(name);
    byte[] json = PersistCodec.encodeValue(EndpointRecords.toPersisted(ep));
    Path file = goldenSource(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.write(file, json);
    }
    assertThat(new String(json, UTF_8)).isEqualTo(golden(name));
    NetworkEndpoint decoded =
        PersistCodec.decodeValue(NetworkEndpoint.class, golden(name).getBytes(UTF_8), name);
    assertThat(EndpointRecords.fromPersisted(decoded)).isEqualTo(withoutLinkIndexes(ep));
  }

  @Test
  void whatTheSchemaDoesNotKeepComesBackEmpty() {
    Endpoint.Tap tap =
        new Endpoint.Tap(
            UUID, "eth1", new NetIface("tap1_kata", POD_MAC, List.of()), 1400, "02/01");
    assertThat(EndpointRecords.fromPersisted(EndpointRecords.toPersisted(tap)))
        .isEqualTo(new Endpoint.Tap(UUID, "eth1", tap.tap(), 0, ""));
    Endpoint.Macvtap mvt = new Endpoint.Macvtap("macvtap0", POD_MAC, "02/03");
    assertThat(EndpointRecords.fromPersisted(EndpointRecords.toPersisted(mvt)))
        .isEqualTo(new Endpoint.Macvtap("", null, "02/03"));
    Endpoint.VhostUser vu =
        new Endpoint.VhostUser("eth0", Path.of("/tmp/vhu.sock"), POD_MAC, "03/00");
    assertThat(EndpointRecords.fromPersisted(EndpointRecords.toPersisted(vu)))
        .isEqualTo(new Endpoint.VhostUser("eth0", null, null, "03/00"));
    Endpoint.Veth veth = new Endpoint.Veth(pair(InterworkingModel.TCFILTER, List.of()), "02/01");
    assertThat(EndpointRecords.fromPersisted(EndpointRecords.toPersisted(veth)))
        .isEqualTo(veth.withPciPath(""));
  }

  @Test
  void aTuntapComesBackWithItsDeviceIdNetdevAndModel() {
    Endpoint.Tuntap t =
        (Endpoint.Tuntap)
            EndpointRecords.fromPersisted(
                EndpointRecords.toPersisted(cases().get("tuntap-macvtap")));
    assertThat(t.pair().id()).isEqualTo(EndpointRecords.tuntapPairId("tap2_kata"));
    assertThat(t.pair().name()).isEqualTo("br2_kata");
    assertThat(t.pair().model()).isEqualTo(InterworkingModel.MACVTAP);
    assertThat(t.name()).isEqualTo("tun0");
    assertThat(t.guestMac()).isEqualTo(POD_MAC);
    assertThat(EndpointRecords.tuntapPairId("tap2_kata"))
        .isNotEqualTo(EndpointRecords.tuntapPairId("tap3_kata"));
    assertThat(EndpointRecords.pairNameOf("tap12_kata")).isEqualTo("br12_kata");
    assertThat(EndpointRecords.pairNameOf("mytap")).isEqualTo("br-mytap");
  }

  /** The Go-written sample (Kata's own types) reads, and writes back to the same JSON. */
  @Test
  void kataWrittenNetworkInfoRoundTrips() throws IOException {
    byte[] sample = KataSamples.sandboxJson();
    NetworkInfo info = PersistCodec.decodeSandbox(sample, "sample").network();
    List<Endpoint> endpoints = EndpointRecords.endpoints(info);
    assertThat(endpoints).hasSize(1).first().isInstanceOf(Endpoint.Veth.class);
    Endpoint.Veth v = (Endpoint.Veth) endpoints.get(0);
    assertThat(v.name()).isEqualTo("eth0");
    assertThat(v.guestMac()).hasToString("0a:58:c0:a8:07:0b");
    assertThat(v.pair().virt().addresses())
        .extracting(a -> a.local().toString())
        .containsExactly("192.168.7.10/24");
    NetworkInfo again =
        EndpointRecords.networkInfo(info.netNsPath(), info.netNsCreated(), endpoints);
    assertThat(PersistCodec.encodeValue(again)).isEqualTo(PersistCodec.encodeValue(info));
  }

  @Test
  void noEndpointsIsNil() {
    NetworkInfo info = EndpointRecords.networkInfo("/run/netns/x", false, List.of());
    assertThat(new String(PersistCodec.encodeValue(info), UTF_8))
        .isEqualTo(
            "{\"NetNsPath\":\"/run/netns/x\",\"NetmonPID\":0,\"NetNsCreated\":false,"
                + "\"Endpoints\":null}\n");
    assertThat(EndpointRecords.endpoints(info)).isEmpty();
  }

  @Test
  void unknownTypesAndMissingVariantsAreErrors() {
    assertThatThrownBy(
            () -> EndpointRecords.fromPersisted(NetworkEndpoint.builder().type("bogus").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("network endpoint of unknown Type \"bogus\"");
    assertThatThrownBy(
            () -> EndpointRecords.fromPersisted(NetworkEndpoint.builder().type("virtual").build()))
        .hasMessage("network endpoint of Type \"virtual\" without its variant");
  }

  @Test
  void aSandboxStateWithEveryKindRoundTripsThroughTheStoreEncoding() {
    List<Endpoint> all = List.copyOf(cases().values());
    SandboxState s =
        SandboxState.builder()
            .network(EndpointRecords.networkInfo("/run/netns/pod", false, all))
            .build();
    SandboxState back = PersistCodec.decodeSandbox(PersistCodec.encode(s), "round trip");
    assertThat(EndpointRecords.endpoints(back.network()))
        .isEqualTo(all.stream().map(EndpointRecordsTest::withoutLinkIndexes).toList());
  }

  /** Restored addresses are on link 0 (the caller puts them on the interface). */
  static Endpoint withoutLinkIndexes(Endpoint e) {
    if (e instanceof Endpoint.Paired p) {
      NetPair pair = p.pair();
      List<Address> a = pair.virt().addresses().stream().map(x -> x.withLinkIndex(0)).toList();
      return p.withPair(pair.withVirt(pair.virt().withAddresses(a)));
    }
    return e;
  }

  static String golden(String name) {
    try (InputStream in =
        EndpointRecordsTest.class.getResourceAsStream("/golden/endpoints/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + name);
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path goldenSource(String name) {
    return Path.of("src/test/resources/golden/endpoints", name + ".json");
  }
}
