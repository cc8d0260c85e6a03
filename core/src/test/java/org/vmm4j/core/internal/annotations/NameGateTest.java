package org.vmm4j.core.internal.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.RuntimeConfig;

/**
 * The name gate: a hypervisor annotation applies only when an {@code EnableAnnotations} entry
 * matches its whole name; runtime and agent annotations are not gated; keys outside {@code
 * io.katacontainers.} are ignored.
 */
class NameGateTest {
  static final String H = Annotations.HYPERVISOR_PREFIX;

  @TempDir static Path tmp;
  static AnnotationFixture fx;

  @BeforeAll
  static void files() {
    fx = AnnotationFixture.create(tmp);
  }

  RuntimeConfig enabling(String... patterns) {
    return RuntimeConfig.shimV2(
        fx.base().editKata(k -> k.enableAnnotations(List.of(patterns))), false);
  }

  AnnotatedConfig apply(RuntimeConfig rc, Map<String, String> annotations) {
    return Annotations.resolve(rc, annotations, AnnotationFixture.policy());
  }

  void assertNotEnabled(RuntimeConfig rc, String name, String value) {
    assertThatThrownBy(() -> apply(rc, Map.of(H + name, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("annotation " + H + name + "=")
        .hasMessageContaining(name + " is not enabled: it matches no entry of enable_annotations");
  }

  static Stream<String> hypervisorNames() {
    return Annotations.known().stream()
        .filter(k -> k.startsWith(H))
        .map(k -> k.substring(H.length()));
  }

  @ParameterizedTest
  @MethodSource("hypervisorNames")
  void everyHypervisorAnnotationIsGated(String name) {
    assertNotEnabled(enabling(), name, "x");
    assertNotEnabled(enabling("other", name + "_", "^" + name.substring(1)), name, "x");
  }

  @Test
  void patternsMatchTheWholeName() {
    RuntimeConfig path = enabling("path");
    assertThat(apply(path, Map.of(H + "path", fx.expand("{dir}/bin/qemu-alt"))).applied())
        .containsExactly(H + "path");
    assertNotEnabled(path, "jailer_path", fx.expand("{dir}/bin/jailer"));
    assertNotEnabled(path, "vhost_user_store_path", fx.expand("{dir}/vhost-user"));
    RuntimeConfig kernel = enabling("kernel");
    assertNotEnabled(kernel, "kernel_params", "quiet");
    assertNotEnabled(kernel, "kernel_hash", "0".repeat(128));
    // Kata's unanchored examples: "o*" matched every name, "simple" matched "some_simple_text"
    assertNotEnabled(enabling("o*"), "path", fx.expand("{dir}/bin/qemu"));
    assertNotEnabled(enabling("memory"), "default_memory", "256");
  }

  @Test
  void kernelParamsDoesNotEnableALongerName() {
    assertThatThrownBy(() -> Allowlists.checkEnabled(List.of("kernel_params"), "kernel_paramsX"))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("kernel_paramsX is not enabled");
    Allowlists.checkEnabled(List.of("kernel_params"), "kernel_params");
    assertThatThrownBy(
            () -> apply(enabling("kernel_params"), Map.of(H + "kernel_paramsX", "quiet")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kernel_paramsX=quiet: unknown hypervisor annotation");
  }

  @Test
  void regularExpressionsWork() {
    RuntimeConfig rc = enabling("default_(vcpus|memory)", "enable_.*");
    AnnotatedConfig out =
        apply(
            rc,
            Map.of(
                H + "default_vcpus", "2",
                H + "default_memory", "256",
                H + "enable_hugepages", "false"));
    assertThat(out.config().hypervisor().kata().numVcpus()).isEqualTo(2);
    assertThat(out.config().hypervisor().kata().memorySize()).isEqualTo(256);
    assertNotEnabled(rc, "default_max_vcpus", "4");
    assertNotEnabled(rc, "disable_vhost_net", "true");
  }

  @Test
  void anInvalidPatternRefusesTheAnnotation() {
    assertThatThrownBy(() -> apply(enabling("["), Map.of(H + "default_vcpus", "2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("enable_annotations entry [ is not a valid regular expression");
  }

  @Test
  void runtimeAndAgentAnnotationsAreNotGated() {
    AnnotatedConfig out =
        apply(
            enabling(),
            Map.of(
                Annotations.RUNTIME_PREFIX + "sandbox_cgroup_only",
                "true",
                Annotations.AGENT_PREFIX + "enable_tracing",
                "true",
                Annotations.ASSET_HASH_TYPE,
                "sha512"));
    assertThat(out.config().sandboxCgroupOnly()).isTrue();
    assertThat(out.agent().trace()).isTrue();
  }

  @Test
  void keysOutsideTheKataPrefixAreIgnoredButRecorded() {
    RuntimeConfig rc = enabling();
    Map<String, String> others =
        Map.of(
            "io.kubernetes.cri.container-type", "sandbox",
            "io.katacontainersX.config.hypervisor.path", "/tmp/x",
            "io.katacontainers", "x");
    AnnotatedConfig out = apply(rc, others);
    assertThat(out.config()).isSameAs(rc);
    assertThat(out.applied()).isEmpty();
    assertThat(out.recorded())
        .containsAllEntriesOf(others)
        .containsEntry(Annotations.CONTAINER_TYPE, Annotations.POD_SANDBOX);
  }
}
