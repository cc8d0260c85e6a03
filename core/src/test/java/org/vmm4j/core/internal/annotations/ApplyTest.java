package org.vmm4j.core.internal.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.testing.files.SpecialFiles;

/**
 * Applying is all or nothing, every refusal is reported, the result is validated and blames the
 * annotation that broke it, and {@code io.katacontainers.config_path} swaps the config and its
 * gates.
 */
class ApplyTest {
  static final String H = Annotations.HYPERVISOR_PREFIX;

  @TempDir static Path tmp;
  static AnnotationFixture fx;

  @BeforeAll
  static void files() {
    fx = AnnotationFixture.create(tmp);
  }

  static Map<String, String> map(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], fx.expand(kv[i + 1]));
    }
    return m;
  }

  @Test
  void aLaterBadAnnotationLeavesNothingApplied() {
    RuntimeConfig base = fx.runtime();
    HypervisorConfig before = base.hypervisor();
    Map<String, String> a =
        map(
            H + "default_memory", "1024",
            H + "kernel_params", "foo=bar",
            H + "machine_type", "pc",
            H + "msize_9p", "zero",
            Annotations.RUNTIME_PREFIX + "sandbox_cgroup_only", "true");
    assertThatThrownBy(() -> Annotations.apply(base, a, AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "annotation " + H + "msize_9p=zero: not an unsigned decimal integer (0..4294967295)");
    assertThat(base.hypervisor()).isSameAs(before).isEqualTo(fx.base());
    assertThat(base.sandboxCgroupOnly()).isFalse();
  }

  @Test
  void everyRefusalIsReportedTheFirstInKeyOrder() {
    Map<String, String> a =
        map(
            H + "path", "/tmp/x",
            H + "default_vcpus", "many",
            Annotations.AGENT_PREFIX + "trace_mode", "fast",
            H + "default_memory", "512");
    ConfigException e =
        (ConfigException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> Annotations.apply(fx.runtime(), a, AnnotationFixture.policy()));
    assertThat(e.field()).isEqualTo(Annotations.AGENT_PREFIX + "trace_mode");
    assertThat(e.getMessage())
        .startsWith("annotation io.katacontainers.config.agent.trace_mode=fast: not one of")
        .endsWith("(and 2 more refused: " + H + "default_vcpus, " + H + "path)");
    assertThat(e.getSuppressed())
        .extracting(t -> ((ConfigException) t).field())
        .containsExactly(H + "default_vcpus", H + "path");
  }

  @Test
  void theResultIsValidatedAndBlamesTheAnnotation() {
    RuntimeConfig base = fx.runtime();
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    base,
                    map(H + "default_vcpus", "3", H + "default_max_vcpus", "2"),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "annotation "
                + H
                + "default_vcpus=3: HypervisorConfig: NumVCPUs=3 is above DefaultMaxVCPUs=2");
    // 0 is the default: the host's CPU count (2 in the policy)
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    base,
                    map(H + "default_max_vcpus", "0", H + "default_vcpus", "4"),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("NumVCPUs=4 is above DefaultMaxVCPUs=2");
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    base,
                    map(H + "machine_type", "pc", H + "enable_iommu", "true"),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "annotation "
                + H
                + "enable_iommu=true: HypervisorConfig: IOMMU=true needs HypervisorMachineType=q35"
                + " (got pc)");
  }

  @Test
  void imageAndInitrdExcludeEachOther() {
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    fx.runtime(),
                    map(H + "image", "{dir}/img/rootfs.img", H + "initrd", "{dir}/img/initrd2.img"),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("image=" + fx.dir + "/img/rootfs.img: image and initrd exclude");
  }

  @Test
  void hashesVerifyTheAnnotatedPath() {
    AnnotatedConfig out =
        Annotations.resolve(
            fx.runtime(),
            map(
                H + "kernel",
                "{dir}/kernels/vmlinuz",
                H + "kernel_hash",
                Assets.sha512(fx.path("kernels/vmlinuz")).toUpperCase(),
                Annotations.ASSET_HASH_TYPE,
                "sha512"),
            AnnotationFixture.policy());
    assertThat(out.config().hypervisor().kata().kernelPath())
        .isEqualTo(fx.dir + "/kernels/vmlinuz");
    assertThat(out.applied()).hasSize(3);
  }

  @Test
  void aHashOfAFifoIsRefusedWithoutReadingIt() throws Exception {
    Path fifo = SpecialFiles.fifo(fx.path("kernels/vmlinuz.fifo"));
    assertThatThrownBy(
            () ->
                Annotations.resolve(
                    fx.runtime(),
                    map(H + "kernel", fifo.toString(), H + "kernel_hash", "ab".repeat(64)),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kernel " + fifo + ": not a regular file (a FIFO)");
  }

  @Test
  void theResultHasDefaultsAndKeepsWhatNoAnnotationTouched() {
    RuntimeConfig base = fx.runtime();
    AnnotatedConfig out =
        Annotations.resolve(
            base,
            map(
                H + "default_memory",
                "768",
                Annotations.RUNTIME_PREFIX + "experimental",
                "newstore"),
            AnnotationFixture.policy());
    HypervisorConfig h = out.config().hypervisor();
    assertThat(h.kata().memorySize()).isEqualTo(768);
    assertThat(h.kata().memSlots()).isEqualTo(10);
    assertThat(h.editKata(k -> k.memorySize(512)))
        .isEqualTo(ConfigLoader.validate(base.hypervisor(), 2));
    assertThat(out.config().experimental()).containsExactly("newstore");
    assertThat(out.config().proxyType()).isEqualTo(base.proxyType());
    assertThat(Annotations.apply(base, Map.of(), AnnotationFixture.policy())).isSameAs(base);
  }

  @Test
  void vsockMovesTheWholeAgentChannel() {
    AnnotationPolicy vsockHost = new AnnotationPolicy(2, true, p -> fx.runtime());
    RuntimeConfig out = Annotations.apply(fx.runtime(), map(H + "use_vsock", "true"), vsockHost);
    assertThat(out.hypervisor().kata().useVsock()).isTrue();
    assertThat(out.proxyType()).isEqualTo(RuntimeConfig.NO_PROXY);
  }

  @Test
  void configPathSwapsTheConfigAndItsGates() throws Exception {
    HypervisorConfig other =
        fx.base().editKata(k -> k.memorySize(1024).enableAnnotations(List.of("default_vcpus")));
    Path file = fx.path("configs/other.json");
    Files.writeString(file, ConfigLoader.toJson(other));
    RuntimeConfig out =
        Annotations.apply(
            fx.runtime(),
            map(Annotations.CONFIG_PATH, file.toString(), H + "default_vcpus", "2"),
            AnnotationFixture.policy());
    assertThat(out.hypervisor().kata().memorySize()).isEqualTo(1024);
    assertThat(out.hypervisor().kata().numVcpus()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    fx.runtime(),
                    map(Annotations.CONFIG_PATH, file.toString(), H + "default_memory", "256"),
                    AnnotationFixture.policy()))
        .hasMessageContaining("default_memory is not enabled");
  }

  @Test
  void configPathMustBeAllowedAndLoadable() throws Exception {
    Path outside = fx.path("other.json");
    Files.writeString(outside, ConfigLoader.toJson(fx.base()));
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    fx.runtime(),
                    map(Annotations.CONFIG_PATH, outside.toString()),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "annotation io.katacontainers.config_path="
                + outside
                + ": "
                + outside
                + " does not match valid_config_paths ["
                + fx.dir
                + "/configs/*.json]");
    Path broken = fx.path("configs/broken.json");
    Files.writeString(broken, "{\"MemorySize\":\"big\"}");
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    fx.runtime(),
                    map(Annotations.CONFIG_PATH, broken.toString()),
                    AnnotationFixture.policy()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("annotation io.katacontainers.config_path=" + broken + ": ")
        .hasMessageContaining("$.MemorySize: expected an integer");
    RuntimeConfig none =
        RuntimeConfig.shimV2(fx.base().editLive(l -> l.configPathList(List.of())), false);
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    none,
                    map(Annotations.CONFIG_PATH, broken.toString()),
                    AnnotationFixture.policy()))
        .hasMessageContaining("valid_config_paths is empty");
  }
}
