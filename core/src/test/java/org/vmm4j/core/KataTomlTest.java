package org.vmm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.RuntimeConfig;
import org.vmm4j.core.internal.config.KataToml;
import org.vmm4j.persist.PersistCodec;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Kata 1.13's shipped {@code configuration.toml} (kata-1.13-configuration.toml) loads into the
 * HypervisorConfig and sandbox settings katautils derives in shim-v2 mode; its assets are moved
 * from /usr/share/kata-containers to a test directory.
 */
class KataTomlTest {
  static final LoadOptions HOST = new LoadOptions(4, false, false);

  @TempDir Path dir;
  String shipped;
  ListAppender<ILoggingEvent> warnings = new ListAppender<>();

  @BeforeEach
  void setUp() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("kata-1.13-configuration.toml")) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.write(dir.resolve("vmlinuz.container"), TestAssets.bzImageHeader());
    warnings.start();
    ((Logger) LoggerFactory.getLogger("org.vmm4j.core")).addAppender(warnings);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger("org.vmm4j.core")).detachAppender(warnings);
  }

  private String local(String toml) {
    return toml.replace("/usr/share/kata-containers/", dir + "/");
  }

  private Path asset(String name, int bytes) throws IOException {
    return Files.write(dir.resolve(name), new byte[bytes]);
  }

  private RuntimeConfig parse(String toml) {
    return KataToml.parse(toml, "configuration.toml", HOST);
  }

  private List<String> warned() {
    return warnings.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void theShippedFileWithItsImageGivesKatasHypervisorConfig() throws IOException {
    Path image = asset("kata-containers.img", 4096);
    HypervisorConfig c = parse(local(shipped)).hypervisor();
    assertThat(c.kata().hypervisorPath())
        .isEqualTo(Path.of("/usr/bin/qemu-system-x86_64").toRealPath().toString());
    assertThat(c.kata().kernelPath()).isEqualTo(dir.resolve("vmlinuz.container").toString());
    assertThat(c.kata().imagePath()).isEqualTo(image.toString());
    assertThat(c.kata().initrdPath()).isEmpty();
    assertThat(c.kata().hypervisorMachineType()).isEqualTo("pc");
    assertThat(c.kata().cpuFeatures()).isEqualTo("pmu=off");
    assertThat(c.kata().numVcpus()).isEqualTo(1);
    assertThat(c.kata().defaultMaxVcpus()).isZero();
    assertThat(c.kata().defaultBridges()).isEqualTo(1);
    assertThat(c.kata().memorySize()).isEqualTo(2048);
    assertThat(c.kata().memSlots()).isEqualTo(10);
    assertThat(c.kata().msize9p()).isEqualTo(8192);
    assertThat(c.kata().sharedFs()).isEqualTo("virtio-9p");
    assertThat(c.kata().virtioFsDaemon()).isEqualTo("/usr/bin/virtiofsd");
    assertThat(c.kata().virtioFsCache()).isEqualTo("auto");
    assertThat(c.kata().blockDeviceDriver()).isEqualTo("virtio-scsi");
    assertThat(c.kata().vhostUserStorePath()).isEqualTo("/var/run/kata-containers/vhost-user");
    assertThat(c.kata().entropySource()).isEqualTo("/dev/urandom");
    assertThat(c.kata().mlock()).isTrue();
    assertThat(c.kata().useVsock()).isFalse();
    assertThat(c.kata().enableAnnotations()).containsExactly(".*");
    assertThat(c.kata().hypervisorPathList()).containsExactly("/usr/bin/qemu-system-x86_64");
    assertThat(c.kata().fileBackedMemRootList()).containsExactly("");
    assertThat(KernelParam.join(c.live().kernelParams()))
        .isEqualTo(
            "systemd.unit=kata-containers.target systemd.mask=systemd-networkd.service"
                + " systemd.mask=systemd-networkd.socket scsi_mod.scan=none");
    assertThat(warned()).isEmpty();
    assertThat(ConfigLoader.validate(c, 4).kata().defaultMaxVcpus()).isEqualTo(4);
  }

  @Test
  void theShippedFileGivesShimV2SandboxSettings() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    RuntimeConfig r = parse(local(shipped));
    assertThat(r.hypervisor().kata().initrdPath()).endsWith("kata-containers-initrd.img");
    assertThat(r.hypervisor().kata().imagePath()).isEmpty();
    assertThat(KernelParam.join(r.hypervisor().live().kernelParams()))
        .isEqualTo("scsi_mod.scan=none");
    assertThat(r.agentType()).isEqualTo("kata");
    assertThat(r.agentLongLiveConn()).isTrue();
    assertThat(r.proxyType()).isEqualTo("kataBuiltInProxy");
    assertThat(r.proxyDebug()).isFalse();
    assertThat(r.shimType()).isEqualTo("kataBuiltInShim");
    assertThat(r.stateful()).isTrue();
    assertThat(r.interworkingModel()).isEqualTo(2);
    assertThat(r.disableGuestSeccomp()).isTrue();
    assertThat(r.sandboxCgroupOnly()).isFalse();
    assertThat(r.experimental()).isEmpty();
    assertThat(r.netmon())
        .isEqualTo(new RuntimeConfig.Netmon(false, RuntimeConfig.Netmon.DEFAULT_PATH, false));
  }

  @Test
  void uncommentedOptionsReachTheConfig() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    String toml =
        local(shipped)
            .replace("#memory_slots = 10", "memory_slots = 4")
            .replace("#enable_swap = true", "enable_swap = true")
            .replace(
                "#enable_debug = true\n#disable_nesting", "enable_debug = true\n#disable_nesting")
            .replace("#pcie_root_port = 2", "pcie_root_port = 2")
            .replace("machine_type = \"pc\"", "machine_type = \"q35\"")
            .replace("kernel_params = \"\"", "kernel_params = \"agent.log=debug foo\"")
            .replace("cpu_features=\"pmu=off\"", "cpu_features=\" pmu=off, ,vmx=off \"")
            .replace("default_bridges = 1", "default_bridges = 9")
            .replace("#use_vsock = true", "use_vsock = true")
            .replace("internetworking_model=\"tcfilter\"", "internetworking_model=\"macvtap\"");
    RuntimeConfig r = parse(toml);
    HypervisorConfig c = r.hypervisor();
    assertThat(c.kata().memSlots()).isEqualTo(4);
    assertThat(c.kata().mlock()).isFalse();
    assertThat(c.kata().debug()).isTrue();
    assertThat(c.kata().pcieRootPort()).isEqualTo(2);
    assertThat(c.kata().cpuFeatures()).isEqualTo("pmu=off,vmx=off");
    assertThat(c.kata().defaultBridges()).isEqualTo(5);
    assertThat(c.kata().useVsock()).as("no /dev/vhost-vsock: serial channel").isFalse();
    assertThat(KernelParam.join(c.live().kernelParams()))
        .isEqualTo("scsi_mod.scan=none agent.log=debug foo");
    assertThat(r.interworkingModel()).isEqualTo(1);
    assertThat(warned()).anyMatch(w -> w.contains("use_vsock"));
  }

  @Test
  void vsockWhereTheDeviceExistsSwitchesToNoProxy() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    String toml = local(shipped).replace("#use_vsock = true", "use_vsock = true");
    RuntimeConfig r = KataToml.parse(toml, "c.toml", new LoadOptions(4, true, true));
    assertThat(r.hypervisor().kata().useVsock()).isTrue();
    assertThat(r.proxyType()).isEqualTo("noProxy");
    assertThat(KernelParam.join(r.hypervisor().live().kernelParams()))
        .isEqualTo("scsi_mod.scan=none fips=1");
  }

  @Test
  void microvmDisablesTheImageNvdimm() throws IOException {
    asset("kata-containers.img", 4096);
    String toml = local(shipped).replace("machine_type = \"pc\"", "machine_type = \"microvm\"");
    assertThat(parse(toml).hypervisor().kata().disableImageNvdimm()).isTrue();
  }

  /** BurntSushi/toml leaves an absent slice nil and decodes {@code []} to an empty one. */
  @Test
  void anAbsentListIsGoNilAndAnEmptyArrayAnEmptySlice() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    String toml =
        local(shipped)
            .replace("enable_annotations = [\".*\"]", "enable_annotations = []")
            .replace("valid_hypervisor_paths = [\"/usr/bin/qemu-system-x86_64\"]", "");
    HypervisorConfig c = parse(toml).hypervisor();
    assertThat(c.kata().enableAnnotations()).isNotNull().isEmpty();
    assertThat(c.kata().virtioFsExtraArgs()).isNotNull().isEmpty();
    assertThat(c.kata().hypervisorPathList()).isNull();
    assertThat(c.kata().jailerPathList()).isNull();
    String persisted =
        new String(PersistCodec.encodeValue(c.toPersisted()), StandardCharsets.UTF_8);
    assertThat(persisted)
        .contains("\"EnableAnnotations\":[]", "\"VirtioFSExtraArgs\":[]")
        .contains("\"HypervisorPathList\":null", "\"JailerPathList\":null");
  }

  @Test
  void unknownKeysAndTablesAreIgnoredWithAWarning() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    String toml =
        local(shipped)
                .replace("pflashes = []", "pflashes = []\nrx_rate_limiter_max_rate = 0")
                .replace("experimental=[]", "experimental=[]\nenable_pprof = true")
            + "\n[image]\nservice_offload = false\n[hypervisor.firecracker]\npath = \"/x\"\n";
    parse(toml);
    assertThat(warned())
        .anyMatch(w -> w.contains("hypervisor.qemu.rx_rate_limiter_max_rate"))
        .anyMatch(w -> w.contains("runtime.enable_pprof"))
        .anyMatch(w -> w.contains("key image ignored"))
        .anyMatch(w -> w.contains("[hypervisor.firecracker] ignored"));
  }

  @Test
  void theShippedPathsDoNotExistHere() {
    assertThatThrownBy(() -> parse(shipped))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hypervisor.qemu.kernel=/usr/share/kata-containers/vmlinuz.container")
        .hasMessageContaining("does not exist");
  }

  @Test
  void imageAndInitrdBothPresentOrBothMissing() throws IOException {
    assertThatThrownBy(() -> parse(local(shipped)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("either initrd or image must be set to a valid path");
    asset("kata-containers.img", 4096);
    asset("kata-containers-initrd.img", 4096);
    assertThatThrownBy(() -> parse(local(shipped)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("having both an image and an initrd");
  }

  @Test
  void badValuesNameTheKey() throws IOException {
    asset("kata-containers-initrd.img", 4096);
    String toml = local(shipped);
    expect(
        toml.replace("default_vcpus = 1", "default_vcpus = \"one\""),
        "hypervisor.qemu.default_vcpus",
        "\"one\"");
    expect(
        toml.replace("default_memory = 2048", "default_memory = -1"),
        "hypervisor.qemu.default_memory",
        "-1");
    expect(
        toml.replace("shared_fs = \"virtio-9p\"", "shared_fs = \"nfs\""),
        "hypervisor.qemu.shared_fs",
        "nfs");
    expect(
        toml.replace("shared_fs = \"virtio-9p\"", "shared_fs = \"virtio-fs\"")
            .replace("virtio_fs_daemon = \"/usr/bin/virtiofsd\"", ""),
        "hypervisor.qemu.virtio_fs_daemon",
        "without daemon");
    expect(
        toml.replace("block_device_driver = \"virtio-scsi\"", "block_device_driver = \"ide\""),
        "hypervisor.qemu.block_device_driver",
        "ide");
    expect(
        toml.replace("kernel_params = \"\"", "kernel_params = \"a =b\""),
        "hypervisor.qemu.kernel_params",
        "=b");
    expect(
        toml.replace("pflashes = []", "pflashes = [\"/nonexistent.fd\"]"),
        "hypervisor.qemu.pflashes",
        "/nonexistent.fd");
    expect(toml.replace("\"tcfilter\"", "\"bridge\""), "runtime.internetworking_model", "bridge");
    expect(
        toml.replace("#disable_new_netns = true", "disable_new_netns = true"),
        "runtime.disable_new_netns",
        "none");
    expect(toml.replace("experimental=[]", "experimental=[\"x\"]"), "runtime.experimental", "x");
    expect("[hypervisor.qemu\n", "", "not valid TOML");
  }

  private void expect(String toml, String key, String fragment) {
    assertThatThrownBy(() -> parse(toml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.field()).isEqualTo(key))
        .hasMessageStartingWith("configuration.toml: " + key)
        .hasMessageContaining(fragment);
  }
}
