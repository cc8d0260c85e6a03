package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmm4j.core.api.Accelerator;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.internal.config.JsonConfigCodec;

/** vmm4j's JSON form: Go field names, strict, errors with the JSON path and the value. */
class JsonConfigFormTest {

  private static HypervisorConfig read(String json) {
    return JsonConfigCodec.read(json, "c.json");
  }

  private static void fails(String json, String path, String... fragments) {
    assertThatThrownBy(() -> read(json))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(path))
        .hasMessageStartingWith("c.json: " + path)
        .hasMessageContainingAll(fragments);
  }

  @Test
  void thePersistedHypervisorConfigOfAGoPersistJsonIsValidInput() throws Exception {
    String json;
    try (InputStream in = getClass().getResourceAsStream("persisted-hypervisor-config.json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    HypervisorConfig c = read(json);
    assertThat(c.kata().numVcpus()).isEqualTo(1);
    assertThat(c.kata().defaultMaxVcpus()).isEqualTo(2);
    assertThat(c.kata().memorySize()).isEqualTo(512);
    assertThat(c.kata().defaultBridges()).isEqualTo(2);
    assertThat(c.kata().initrdPath()).isEqualTo("/opt/k/initrd.img");
    assertThat(c.kata().entropySource()).isEqualTo("/dev/urandom");
    assertThat(c.kata().hypervisorPathList()).isNull(); // Go's nil stays nil
    assertThat(HypervisorConfig.orEmpty(c.kata().hypervisorPathList())).isEmpty();
    assertThat(c.kata().enableAnnotations()).isNotNull().isEmpty(); // [], not nil
  }

  @Test
  void writeThenReadGivesTheSameConfig() {
    HypervisorConfig c =
        HypervisorConfig.of(
                HypervisorConfig.kataBuilder()
                    .numVcpus(2)
                    .memorySize(4_294_967_295L)
                    .kernelPath("/k")
                    .initrdPath("/i")
                    .enableAnnotations(List.of(".*"))
                    .build())
            .editLive(
                l ->
                    l.kernelParams(KernelParam.parse("agent=hvc0 quiet"))
                        .pflash(List.of("/f0", "/f1"))
                        .accelerator(Accelerator.TCG)
                        .nativePcieHotplug(true));
    String json = JsonConfigCodec.write(c);
    assertThat(json).contains("\"NumVCPUs\" : 2").contains("\"Accelerator\" : \"tcg\"");
    assertThat(json.indexOf("\"NumVCPUs\"")).isLessThan(json.indexOf("\"EnableAnnotations\""));
    assertThat(read(json)).isEqualTo(c);
  }

  @Test
  void absentAndNullMembersAreZero() {
    HypervisorConfig c = read("{\"NumVCPUs\":null,\"KernelPath\":\"/k\",\"PFlash\":null}");
    assertThat(c)
        .isEqualTo(HypervisorConfig.of(HypervisorConfig.kataBuilder().kernelPath("/k").build()));
  }

  /** A Kata list keeps Go's difference between nil and empty, in and out. */
  @Test
  void nilAndEmptyListsStayApart() {
    HypervisorConfig c = read("{\"EnableAnnotations\":[],\"JailerPathList\":null}");
    assertThat(c.kata().enableAnnotations()).isNotNull().isEmpty();
    assertThat(c.kata().jailerPathList()).isNull();
    assertThat(c.kata().hypervisorPathList()).isNull();
    String json = JsonConfigCodec.write(c);
    assertThat(json)
        .contains("\"EnableAnnotations\" : [ ]")
        .contains("\"JailerPathList\" : null")
        .contains("\"PFlash\" : [ ]");
    assertThat(read(json)).isEqualTo(c);
  }

  @Test
  void kernelParamsAsGoParamsOrAsAString() {
    HypervisorConfig objects =
        read("{\"KernelParams\":[{\"Key\":\"a\",\"Value\":\"b\"},{\"Key\":\"quiet\"}]}");
    HypervisorConfig text = read("{\"KernelParams\":\"a=b quiet\"}");
    assertThat(objects.live().kernelParams())
        .containsExactly(new KernelParam("a", "b"), KernelParam.flag("quiet"))
        .isEqualTo(text.live().kernelParams());
  }

  @Test
  void unknownMembersAreRefusedWithTheirPath() {
    fails("{\"NumVCPUS\":1}", "$.NumVCPUS", "unknown field");
    fails("{\"KernelParams\":[{\"Key\":\"a\"},{\"Kye\":\"b\"}]}", "$.KernelParams[1].Kye", "Param");
  }

  @Test
  void wrongTypesAndRanges() {
    fails("{\"NumVCPUs\":\"1\"}", "$.NumVCPUs", "0..4294967295", "\"1\"");
    fails("{\"NumVCPUs\":-1}", "$.NumVCPUs", "got -1");
    fails("{\"MemorySize\":4294967296}", "$.MemorySize", "got 4294967296");
    fails("{\"MemorySize\":1.5}", "$.MemorySize", "got 1.5");
    fails("{\"Debug\":\"yes\"}", "$.Debug", "true or false");
    fails("{\"KernelPath\":3}", "$.KernelPath", "a string, got 3");
    fails("{\"PFlash\":[\"/a\",2]}", "$.PFlash[1]", "a string, got 2");
    fails("{\"PFlash\":\"/a\"}", "$.PFlash", "array");
    fails("{\"Accelerator\":\"hvf\"}", "$.Accelerator", "\"hvf\"");
    fails("[1]", "$", "an object");
  }

  @Test
  void malformedAndDuplicatedJson() {
    assertThatThrownBy(() -> read("{\"NumVCPUs\":1,}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("c.json: not valid JSON");
    assertThatThrownBy(() -> read("{\"NumVCPUs\":1,\"NumVCPUs\":2}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NumVCPUs");
  }
}
