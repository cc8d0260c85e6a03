package org.vmm4j.it.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmm4j.cli.Vmm4j;
import org.vmm4j.core.ConfigLoader;
import org.vmm4j.core.Sandbox;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxOptions;
import org.vmm4j.core.internal.vm.Dirs;
import org.vmm4j.persist.ContainerConfig;
import org.vmm4j.persist.FsStore;
import org.vmm4j.persist.SandboxState;

/**
 * Annotations reach a real QEMU: {@code vmm4j run --annotation} starts it with the annotated
 * memory, vCPUs and kernel parameters and records the annotations in the state; a refused
 * annotation starts nothing and leaves nothing. No guest needs to boot.
 */
class AnnotationsIT {
  /** Kata's annotation names, as an OCI runtime passes them. */
  static final String H = "io.katacontainers.config.hypervisor.";

  static final String RUNTIME = "io.katacontainers.config.runtime.";
  static final String CONTAINER_TYPE = "io.katacontainers.pkg.oci.container_type";

  Path root;
  FsStore store;

  @BeforeEach
  void setUp() throws Exception {
    Fixture.guest();
    root = Files.createTempDirectory("vmm4j-annotations");
    store = new FsStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (String id : store.list()) {
      Sandbox.delete(store, id, SandboxOptions.defaults());
    }
    Dirs.deleteTree(root);
  }

  HypervisorConfig config() {
    return Fixture.config("pc", 1, 256)
        .editKata(k -> k.enableAnnotations(List.of("default_.*", "kernel_params")));
  }

  @Test
  void runAppliesAndRecordsTheAnnotations() throws Exception {
    Path file = Files.writeString(root.resolve("config.json"), ConfigLoader.toJson(config()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Vmm4j.run(
            new String[] {
              "--root",
              root.toString(),
              "run",
              "--config",
              file.toString(),
              "--id",
              "annotated",
              "--annotation",
              H + "default_memory=320",
              "--annotation",
              H + "default_vcpus=2",
              "--annotation",
              H + "kernel_params=vmm4j.annotated=1",
              "--annotation",
              RUNTIME + "sandbox_cgroup_only=true",
              "--annotation",
              "io.kubernetes.cri.sandbox-id=annotated"
            },
            new PrintWriter(out),
            new PrintWriter(err));
    assertThat(code).as("stderr: %s", err).isZero();
    assertThat(out.toString()).isEqualTo("annotated\n");

    SandboxState s = store.load("annotated").sandbox();
    assertThat(s.config().hypervisorConfig().memorySize()).isEqualTo(320);
    assertThat(s.config().hypervisorConfig().numVcpus()).isEqualTo(2);
    assertThat(s.config().sandboxCgroupOnly()).isTrue();
    ContainerConfig own = s.config().containerConfigs().get(0);
    assertThat(own.id()).isEqualTo("annotated");
    assertThat(own.annotations())
        .containsEntry(H + "default_memory", "320")
        .containsEntry("io.kubernetes.cri.sandbox-id", "annotated")
        .containsEntry(CONTAINER_TYPE, "pod_sandbox");

    String argv =
        new String(
            Files.readAllBytes(
                Path.of("/proc", Long.toString(s.hypervisorState().pid()), "cmdline")),
            StandardCharsets.UTF_8);
    assertThat(argv)
        .contains("-m\u0000320M,")
        .contains("-smp\u00002,")
        .contains("vmm4j.annotated=1");
  }

  @Test
  void aRefusedAnnotationStartsNothing() throws Exception {
    var spec =
        Fixture.spec("refused", config())
            .withAnnotations(Map.of(H + "default_memory", "512", H + "path", "/tmp/evil"));
    assertThatThrownBy(() -> Sandbox.start(store, spec))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "annotation "
                + H
                + "path=/tmp/evil: path is not enabled: it matches no entry of enable_annotations"
                + " [default_.*, kernel_params] (an entry must match the whole name)");
    assertThat(Fixture.qemusOf(store, "refused")).isEmpty();
    assertThat(store.exists("refused")).isFalse();
    assertThat(store.vmDir("refused")).doesNotExist();
    assertThat(root.resolve("shared")).doesNotExist();
  }
}
