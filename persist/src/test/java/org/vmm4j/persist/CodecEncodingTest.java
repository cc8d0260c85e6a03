package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Go's encoder particulars: escaping, map order, times, nil versus empty, omitempty, PCI paths. */
class CodecEncodingTest {

  private static String json(Record r) {
    return new String(PersistCodec.encodeValue(r), UTF_8);
  }

  private static Mount mountWithSource(String source) {
    return Mount.builder().source(source).build();
  }

  private static String sourceJson(String source) {
    String all = json(mountWithSource(source));
    return all.substring("{\"Source\":".length(), all.indexOf(",\"Destination\""));
  }

  @Test
  void escapesStringsAsGoDoes() {
    assertThat(sourceJson("<a href=\"x\">&amp;</a>"))
        .isEqualTo("\"\\u003ca href=\\\"x\\\"\\u003e\\u0026amp;\\u003c/a\\u003e\"");
    assertThat(sourceJson("\\ \n \r \t \b \f \u0001 \u001f"))
        .isEqualTo("\"\\\\ \\n \\r \\t \\u0008 \\u000c \\u0001 \\u001f\"");
    assertThat(sourceJson("\u007f \u2028 \u2029")).isEqualTo("\"\u007f \\u2028 \\u2029\"");
    assertThat(sourceJson("é € 😀 \ufffd")).isEqualTo("\"é € 😀 \ufffd\"");
  }

  @Test
  void writesALoneSurrogateAsTheReplacementEscape() {
    // Java's analogue of invalid UTF-8, which Go writes as \ufffd.
    assertThat(sourceJson("a\ud800b\udc00")).isEqualTo("\"a\\ufffdb\\ufffd\"");
  }

  @Test
  void readsEscapesAndTurnsLoneSurrogatesIntoReplacementCharacters() {
    byte[] doc = "{\"Source\":\"\\u003c\\ud800x\\ud83d\\ude00\\u00e9\\/\"}".getBytes(UTF_8);
    Mount m = PersistCodec.decodeValue(Mount.class, doc, "t");
    assertThat(m.source()).isEqualTo("<\ufffdx😀é/");
    assertThat(sourceJson(m.source())).isEqualTo("\"\\u003c\ufffdx😀é/\"");
  }

  @Test
  void sortsMapKeysAsStringsInCodePointOrder() {
    HypervisorState hs =
        HypervisorState.builder().blockIndexMap(Set.of(0L, 1L, 2L, 10L, 100L, 11L)).build();
    assertThat(json(hs))
        .contains("\"BlockIndexMap\":{\"0\":{},\"1\":{},\"10\":{},\"100\":{},\"11\":{},\"2\":{}}");
    Bridge b = new Bridge(Map.of(30L, "a", 4L, "b", 4294967295L, "c"), "pci", "b0", 2);
    assertThat(json(b))
        .startsWith("{\"DeviceAddr\":{\"30\":\"a\",\"4\":\"b\",\"4294967295\":\"c\"}");
    // UTF-16 order would put the emoji (a surrogate pair) before U+FFFF; Go's byte order does not.
    DeviceState d =
        DeviceState.builder()
            .driverOptions(Map.of("a", "1", "B", "2", "é", "3", "😀", "4", "\uffff", "5"))
            .build();
    assertThat(json(d))
        .contains("{\"B\":\"2\",\"a\":\"1\",\"é\":\"3\",\"\uffff\":\"5\",\"😀\":\"4\"}");
  }

  @Test
  void keepsNilDistinctFromEmpty() {
    assertThat(json(mountWithSource(""))).contains("\"Options\":null");
    assertThat(json(Mount.builder().options(List.of()).build())).contains("\"Options\":[]");
    assertThat(json(DeviceState.builder().build())).contains("\"DriverOptions\":null");
    assertThat(json(DeviceState.builder().driverOptions(Map.of()).build()))
        .contains("\"DriverOptions\":{}");
    Mount nil = PersistCodec.decodeValue(Mount.class, "{\"Options\":null}".getBytes(UTF_8), "t");
    Mount empty = PersistCodec.decodeValue(Mount.class, "{\"Options\":[]}".getBytes(UTF_8), "t");
    Mount absent = PersistCodec.decodeValue(Mount.class, "{}".getBytes(UTF_8), "t");
    assertThat(nil.options()).isNull();
    assertThat(absent.options()).isNull();
    assertThat(empty.options()).isEmpty();
  }

  @Test
  void omitEmptyDropsNilAndEmptyButNotZeroPointees() {
    String d = json(DeviceState.builder().vfioDevs(List.of()).build());
    assertThat(d)
        .doesNotContain("VFIODevs")
        .doesNotContain("BlockDrive")
        .doesNotContain("VhostUserDev");
    assertThat(json(LinuxMemory.builder().limit(0L).build())).isEqualTo("{\"limit\":0}\n");
    assertThat(json(new LinuxWeightDevice(1, 2, null, 0L)))
        .isEqualTo("{\"major\":1,\"minor\":2,\"leafWeight\":0}\n");
    assertThat(json(new Cgroup("", "", "/p", "", null, null)))
        .isEqualTo("{\"path\":\"/p\",\"scope_prefix\":\"\",\"Paths\":null}\n");
    assertThat(json(SandboxConfig.builder().build()))
        .doesNotContain("KataAgentConfig")
        .contains("\"KataShimConfig\":null");
  }

  @Test
  void writesTimesAsRfc3339WithTrimmedNanosAndTheOriginalOffset() {
    assertThat(GoTime.format(GoTime.ZERO)).isEqualTo("0001-01-01T00:00:00Z");
    assertThat(
            GoTime.format(
                OffsetDateTime.of(2021, 4, 1, 8, 0, 0, 500_000_000, ZoneOffset.ofHours(2))))
        .isEqualTo("2021-04-01T08:00:00.5+02:00");
    assertThat(GoTime.format(OffsetDateTime.of(2021, 5, 5, 10, 11, 12, 123456789, ZoneOffset.UTC)))
        .isEqualTo("2021-05-05T10:11:12.123456789Z");
    assertThat(
            GoTime.format(
                OffsetDateTime.of(
                    1999, 12, 31, 23, 59, 59, 1000, ZoneOffset.ofHoursMinutes(-9, -30))))
        .isEqualTo("1999-12-31T23:59:59.000001-09:30");
    assertThat(GoTime.format(GoTime.parse("2021-04-01T08:00:00.500+00:00")))
        .isEqualTo("2021-04-01T08:00:00.5Z");
    assertThat(GoTime.parse("2021-04-01T08:00:00+05:45").getOffset())
        .isEqualTo(ZoneOffset.ofHoursMinutes(5, 45));
    assertThatThrownBy(
            () -> GoTime.format(OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)))
        .hasMessageContaining("year outside of range [0,9999]");
    assertThatThrownBy(() -> GoTime.parse("2021-04-01 08:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoTime.parse("2021-02-30T08:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoTime.parse("2021-04-01T08:00:00.1234567891Z"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesUnsigned64ValuesAboveLongMaxAsUnsigned() {
    DeviceState d = DeviceState.builder().refCount(-1L).build();
    assertThat(json(d)).contains("\"RefCount\":18446744073709551615");
  }

  @Test
  void pciPathIsWrittenAsItsStringAndNilAsEmptyObject() {
    assertThat(json(new MacvtapEndpoint(PciPath.of(2, 3)))).isEqualTo("{\"PCIPath\":\"02/03\"}\n");
    assertThat(json(new MacvtapEndpoint(PciPath.NIL))).isEqualTo("{\"PCIPath\":{}}\n");
    assertThat(
            PersistCodec.decodeValue(MacvtapEndpoint.class, "{\"PCIPath\":{}}".getBytes(UTF_8), "t")
                .pciPath())
        .isEqualTo(PciPath.NIL);
    assertThat(
            PersistCodec.decodeValue(
                    MacvtapEndpoint.class, "{\"PCIPath\":\"1f/00\"}".getBytes(UTF_8), "t")
                .pciPath())
        .isEqualTo(PciPath.of(31, 0));
  }

  @Test
  void netIpFollowsGoParsingAndPrinting() {
    assertThat(NetIp.parse("10.88.0.5").toString()).isEqualTo("10.88.0.5");
    assertThat(NetIp.parse("::ffff:10.88.0.5").toString()).isEqualTo("10.88.0.5");
    assertThat(NetIp.parse("FD00:0:0:0:0:0:0:5").toString()).isEqualTo("fd00::5");
    assertThat(NetIp.parse("1:0:0:2:0:0:0:3").toString()).isEqualTo("1:0:0:2::3");
    assertThat(NetIp.parse("1:0:2:3:4:5:6:7").toString()).isEqualTo("1:0:2:3:4:5:6:7");
    assertThat(NetIp.parse("::").toString()).isEqualTo("::");
    assertThat(NetIp.parse("::1.2.3.4").toString()).isEqualTo("::102:304");
    assertThat(NetIp.parse("1::").toString()).isEqualTo("1::");
    assertThat(NetIp.parse("").isNil()).isTrue();
    for (String bad :
        List.of(
            "10.0.0.256",
            "10.0.0",
            "01.2.3.4",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            "1:2:3:4:5:6:7:8::",
            "fe80::1%eth0",
            "host")) {
      assertThatThrownBy(() -> NetIp.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
