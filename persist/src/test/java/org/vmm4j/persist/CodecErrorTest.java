package org.vmm4j.persist;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmm4j.persist.StateFormatException.Kind;

/** Every kind of invalid document fails with its kind, the file, the JSON path and the value. */
class CodecErrorTest {
  private static final String FILE = "/run/vc/sbs/x/persist.json";

  private static StateFormatException sandboxError(String json) {
    return catchThrowableOfType(
        StateFormatException.class, () -> PersistCodec.decodeSandbox(json.getBytes(UTF_8), FILE));
  }

  private static void expect(String json, Kind kind, String path, String value, String problem) {
    StateFormatException e = sandboxError(json);
    assertThat(e).as(json).isNotNull();
    assertThat(e.kind()).as(json).isEqualTo(kind);
    assertThat(e.jsonPath()).as(json).isEqualTo(path);
    assertThat(e.value()).as(json).isEqualTo(value);
    assertThat(e.source()).isEqualTo(FILE);
    assertThat(e.getMessage()).as(json).startsWith(FILE + ": " + path + ": ").contains(problem);
  }

  @Test
  void unknownFields() {
    expect(
        "{\"Foo\":1}",
        Kind.UNKNOWN_FIELD,
        "$.Foo",
        "\"Foo\"",
        "unknown field \"Foo\" in SandboxState");
    expect("{\"state\":\"x\"}", Kind.UNKNOWN_FIELD, "$.state", "\"state\"", "unknown field");
    expect(
        "{\"HypervisorState\":{\"Bridges\":[{},{\"Slot\":3}]}}",
        Kind.UNKNOWN_FIELD,
        "$.HypervisorState.Bridges[1].Slot",
        "\"Slot\"",
        "in Bridge");
    expect(
        "{\"Devices\":[{\"BlockDrive\":{\"PCIPath\":{\"slots\":[2]}}}]}",
        Kind.UNKNOWN_FIELD,
        "$.Devices[0].BlockDrive.PCIPath.slots",
        "\"slots\"",
        "in a PCI path");
    expect(
        "{\"HypervisorState\":{\"BlockIndexMap\":{\"1\":{\"x\":1}}}}",
        Kind.UNKNOWN_FIELD,
        "$.HypervisorState.BlockIndexMap[\"1\"].x",
        "\"x\"",
        "struct{}");
  }

  @Test
  void containerKeysInASandboxAreUnknown() {
    expect("{\"Rootfs\":{}}", Kind.UNKNOWN_FIELD, "$.Rootfs", "\"Rootfs\"", "unknown field");
  }

  @Test
  void duplicateFields() {
    expect(
        "{\"State\":\"a\",\"State\":\"b\"}",
        Kind.DUPLICATE_FIELD,
        "$.State",
        "\"State\"",
        "duplicate field");
    expect(
        "{\"CgroupPaths\":{\"cpu\":\"a\",\"cpu\":\"b\"}}",
        Kind.DUPLICATE_FIELD,
        "$.CgroupPaths[\"cpu\"]",
        "\"cpu\"",
        "duplicate map key");
  }

  @Test
  void wrongTypesAreNeverCoerced() {
    expect(
        "{\"PersistVersion\":\"1\"}",
        Kind.WRONG_TYPE,
        "$.PersistVersion",
        "\"1\"",
        "expected an integer (Go uint), found string \"1\"");
    expect(
        "{\"PersistVersion\":1.0}", Kind.WRONG_TYPE, "$.PersistVersion", "1.0", "found number 1.0");
    expect(
        "{\"GuestMemoryBlockSizeMB\":1e2}",
        Kind.WRONG_TYPE,
        "$.GuestMemoryBlockSizeMB",
        "1e2",
        "found number");
    expect("{\"State\":1}", Kind.WRONG_TYPE, "$.State", "1", "expected a string, found number 1");
    expect(
        "{\"GuestMemoryHotplugProbe\":\"true\"}",
        Kind.WRONG_TYPE,
        "$.GuestMemoryHotplugProbe",
        "\"true\"",
        "expected a boolean");
    expect(
        "{\"Devices\":{}}",
        Kind.WRONG_TYPE,
        "$.Devices",
        "{",
        "expected an array (Go []DeviceState), found an object");
    expect(
        "{\"Network\":[]}",
        Kind.WRONG_TYPE,
        "$.Network",
        "[",
        "expected an object (Go NetworkInfo)");
    expect(
        "{\"Devices\":[{\"BlockDrive\":{\"PCIPath\":2}}]}",
        Kind.WRONG_TYPE,
        "$.Devices[0].BlockDrive.PCIPath",
        "2",
        "PCI path");
  }

  @Test
  void nullOnlyWhereGoWritesNull() {
    expect("{\"State\":null}", Kind.NULL_VALUE, "$.State", "null", "null is not allowed");
    expect("{\"Config\":null}", Kind.NULL_VALUE, "$.Config", "null", "expected an object");
    expect("{\"Devices\":[null]}", Kind.NULL_VALUE, "$.Devices[0]", "null", "DeviceState");
    expect(
        "{\"CgroupPaths\":{\"a\":null}}",
        Kind.NULL_VALUE,
        "$.CgroupPaths[\"a\"]",
        "null",
        "string");
    assertThat(
            PersistCodec.decodeSandbox(
                    "{\"Devices\":null,\"CgroupPaths\":null}".getBytes(UTF_8), FILE)
                .devices())
        .isNull();
  }

  @Test
  void integersOutOfTheirGoRange() {
    expect(
        "{\"HypervisorState\":{\"Bridges\":[{},{\"Addr\":9223372036854775808}]}}",
        Kind.OUT_OF_RANGE,
        "$.HypervisorState.Bridges[1].Addr",
        "9223372036854775808",
        "9223372036854775808 is out of range for Go int");
    expect(
        "{\"GuestMemoryBlockSizeMB\":-1}",
        Kind.OUT_OF_RANGE,
        "$.GuestMemoryBlockSizeMB",
        "-1",
        "out of range for Go uint32 (0..4294967295)");
    expect(
        "{\"GuestMemoryBlockSizeMB\":4294967296}",
        Kind.OUT_OF_RANGE,
        "$.GuestMemoryBlockSizeMB",
        "4294967296",
        "uint32");
    expect("{\"PersistVersion\":-1}", Kind.OUT_OF_RANGE, "$.PersistVersion", "-1", "uint");
    expect(
        "{\"Devices\":[{\"RefCount\":18446744073709551616}]}",
        Kind.OUT_OF_RANGE,
        "$.Devices[0].RefCount",
        "18446744073709551616",
        "uint");
    expect(
        "{\"Config\":{\"cgroups\":{\"devices\":[{\"type\":2147483648}]}}}",
        Kind.OUT_OF_RANGE,
        "$.Config.cgroups.devices[0].type",
        "2147483648",
        "rune");
    expect(
        "{\"HypervisorState\":{\"BlockIndexMap\":{\"9223372036854775808\":{}}}}",
        Kind.BAD_VALUE,
        "$.HypervisorState.BlockIndexMap[\"9223372036854775808\"]",
        "\"9223372036854775808\"",
        "is not a Go int");
  }

  @Test
  void badStringValues() {
    expect(
        "{\"Devices\":[{\"BlockDrive\":{\"PCIPath\":\"2/3\"}}]}",
        Kind.BAD_VALUE,
        "$.Devices[0].BlockDrive.PCIPath",
        "\"2/3\"",
        "bad PCI path");
    expect(
        "{\"Devices\":[{\"BlockDrive\":{\"PCIPath\":\"\"}}]}",
        Kind.BAD_VALUE,
        "$.Devices[0].BlockDrive.PCIPath",
        "\"\"",
        "written {}");
    expect(
        "{\"HypervisorState\":{\"BlockIndexMap\":{\"01\":{}}}}",
        Kind.BAD_VALUE,
        "$.HypervisorState.BlockIndexMap[\"01\"]",
        "\"01\"",
        "map key");
    String addr =
        "{\"Network\":{\"Endpoints\":[{\"Veth\":{\"NetPair\":{\"VirtIface\":{\"Addrs\":[%s]}}}}]}}";
    String path = "$.Network.Endpoints[0].Veth.NetPair.VirtIface.Addrs[0]";
    expect(
        String.format(addr, "{\"IP\":\"10.0.0.256\"}"),
        Kind.BAD_VALUE,
        path + ".IP",
        "\"10.0.0.256\"",
        "invalid IP address");
    expect(
        String.format(addr, "{\"Mask\":\"//8AAA\"}"),
        Kind.BAD_VALUE,
        path + ".Mask",
        "\"//8AAA\"",
        "bad base64");
    StateFormatException e =
        catchThrowableOfType(
            StateFormatException.class,
            () ->
                PersistCodec.decodeContainer(
                    "{\"Process\":{\"StartTime\":\"2021-13-01T00:00:00Z\"}}".getBytes(UTF_8),
                    FILE));
    assertThat(e.kind()).isEqualTo(Kind.BAD_VALUE);
    assertThat(e.jsonPath()).isEqualTo("$.Process.StartTime");
  }

  @Test
  void persistVersionNewerThanTwo() {
    expect(
        "{\"PersistVersion\":3}",
        Kind.UNSUPPORTED_VERSION,
        "$.PersistVersion",
        "3",
        "persist version 3 is newer than 2");
    expect(
        "{\"PersistVersion\":18446744073709551615}",
        Kind.UNSUPPORTED_VERSION,
        "$.PersistVersion",
        "18446744073709551615",
        "newer");
    assertThat(
            PersistCodec.decodeSandbox("{\"PersistVersion\":0}".getBytes(UTF_8), FILE)
                .persistVersion())
        .isZero();
  }

  @Test
  void syntaxErrors() throws IOException {
    byte[] sample = GoldenTest.golden("go/sandbox-sample");
    StateFormatException e =
        sandboxError(new String(Arrays.copyOf(sample, sample.length / 2), UTF_8));
    assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
    assertThat(e.getMessage()).contains("malformed JSON").contains("line 1");
    assertThat(e.jsonPath()).startsWith("$.Config");
    expect("", Kind.SYNTAX, "$", null, "empty document");
    expect("{} {}", Kind.SYNTAX, "$", "{", "data after the top-level JSON value");
    expect("{\"State\":\"a\"", Kind.SYNTAX, "$", null, "malformed JSON");
    expect("{\"Devices\":[{\"ID\":\"a\"},", Kind.SYNTAX, "$.Devices", null, "end-of-input");
    expect("{\"State\":'a'}", Kind.SYNTAX, "$.State", null, "malformed JSON at line 1 column 10");
    expect("{\"PersistVersion\":01}", Kind.SYNTAX, "$.PersistVersion", null, "malformed JSON");
    expect("\ufeff{}", Kind.SYNTAX, "$", null, "byte order mark");
    StateFormatException bad =
        catchThrowableOfType(
            StateFormatException.class,
            () ->
                PersistCodec.decodeSandbox(
                    new byte[] {
                      '{', '"', 'S', 't', 'a', 't', 'e', '"', ':', '"', (byte) 0xff, '"', '}'
                    },
                    FILE));
    assertThat(bad.kind()).isEqualTo(Kind.SYNTAX);
  }

  @Test
  void goZeroValuesAreValid() {
    SandboxState s = PersistCodec.decodeSandbox("{}".getBytes(UTF_8), FILE);
    assertThat(s).isEqualTo(SandboxState.builder().build());
    assertThat(s.sandboxContainer()).isEmpty();
  }

  @Test
  void encodingRefusesValuesOutsideTheirGoType() {
    SandboxState s =
        SandboxState.builder()
            .config(
                SandboxConfig.builder()
                    .hypervisorConfig(HypervisorConfig.builder().memorySize(1L << 32).build())
                    .build())
            .build();
    StateFormatException e =
        catchThrowableOfType(StateFormatException.class, () -> PersistCodec.encode(s));
    assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE);
    assertThat(e.jsonPath()).isEqualTo("$.Config.HypervisorConfig.MemorySize");
    assertThat(e.getMessage())
        .startsWith("encode SandboxState: $.Config.HypervisorConfig.MemorySize: 4294967296");
    StateFormatException m =
        catchThrowableOfType(
            StateFormatException.class,
            () -> PersistCodec.encodeValue(new Bridge(Map.of(-1L, "x"), "pci", "b", 2)));
    assertThat(m.jsonPath()).isEqualTo("$.DeviceAddr");
    StateFormatException t =
        catchThrowableOfType(
            StateFormatException.class,
            () ->
                PersistCodec.encodeValue(
                    new ContainerProcess(
                        "t", 1, OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC))));
    assertThat(t.kind()).isEqualTo(Kind.OUT_OF_RANGE);
    assertThat(t.jsonPath()).isEqualTo("$.StartTime");
    assertThat(t.getMessage()).contains("year outside of range [0,9999]");
  }
}
