package org.vmm4j.core.internal.annotations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vmm4j.core.api.ConfigException;
import org.vmm4j.core.api.KernelParam;

/**
 * Every annotation of Kata 1.13, one accepted and one refused value each (most have several): the
 * accepted value lands in its field of the validated result; the refused one is a {@link
 * ConfigException} naming the annotation and the rule. {@code {dir}} is the fixture directory,
 * {@code {sha:FILE}} the SHA-512 of a fixture file.
 */
class AnnotationTableTest {
  static final String H = Annotations.HYPERVISOR_PREFIX;
  static final String R = Annotations.RUNTIME_PREFIX;
  static final String A = Annotations.AGENT_PREFIX;

  @TempDir static Path tmp;
  static AnnotationFixture fx;

  @BeforeAll
  static void files() {
    fx = AnnotationFixture.create(tmp);
  }

  /** One accepted value: {@code get} of the result is {@code expected}. */
  record Ok(String key, String value, Function<AnnotatedConfig, Object> get, Object expected) {
    @Override
    public String toString() {
      return key.substring(key.lastIndexOf('.') + 1) + "=" + value;
    }
  }

  /** One refused value: the message holds {@code reason}. */
  record Bad(String key, String value, String reason) {
    @Override
    public String toString() {
      return key.substring(key.lastIndexOf('.') + 1) + "=" + value;
    }
  }

  static Ok ok(String key, String value, Function<AnnotatedConfig, Object> get, Object expected) {
    return new Ok(key, value, get, expected);
  }

  static Function<AnnotatedConfig, Object> hv(
      Function<org.vmm4j.core.api.HypervisorConfig, Object> f) {
    return a -> f.apply(a.config().hypervisor());
  }

  static Stream<Ok> accepted() {
    return Stream.of(
        ok(
            H + "path",
            "{dir}/bin/qemu-alt",
            hv(h -> h.kata().hypervisorPath()),
            "{dir}/bin/qemu-alt"),
        ok(H + "ctlpath", "{dir}/bin/ctl", hv(h -> h.kata().hypervisorCtlPath()), "{dir}/bin/ctl"),
        ok(
            H + "jailer_path",
            "{dir}/bin/jailer",
            hv(h -> h.kata().jailerPath()),
            "{dir}/bin/jailer"),
        ok(
            H + "kernel",
            "{dir}/kernels/vmlinuz",
            hv(h -> h.kata().kernelPath()),
            "{dir}/kernels/vmlinuz"),
        ok(
            H + "image",
            "{dir}/img/rootfs.img",
            hv(h -> h.kata().imagePath() + "|" + h.kata().initrdPath()),
            "{dir}/img/rootfs.img|"),
        ok(
            H + "initrd",
            "{dir}/img/initrd2.img",
            hv(h -> h.kata().initrdPath()),
            "{dir}/img/initrd2.img"),
        ok(
            H + "firmware",
            "{dir}/fw/bios.bin",
            hv(h -> h.kata().firmwarePath()),
            "{dir}/fw/bios.bin"),
        ok(
            H + "virtio_fs_daemon",
            "{dir}/bin/virtiofsd",
            hv(h -> h.kata().virtioFsDaemon()),
            "{dir}/bin/virtiofsd"),
        ok(
            H + "file_mem_backend",
            "{dir}/shm",
            hv(h -> h.kata().fileBackedMemRootDir()),
            "{dir}/shm"),
        ok(
            H + "vhost_user_store_path",
            "{dir}/vhost-user",
            hv(h -> h.kata().vhostUserStorePath()),
            "{dir}/vhost-user"),
        ok(H + "entropy_source", "/dev/urandom", hv(h -> h.kata().entropySource()), "/dev/urandom"),
        ok(H + "kernel_hash", "{sha:vmlinuz}", hv(h -> h.kata().kernelPath()), "{dir}/vmlinuz"),
        ok(
            H + "initrd_hash",
            "{sha:initrd.img}",
            hv(h -> h.kata().initrdPath()),
            "{dir}/initrd.img"),
        ok(
            H + "hypervisor_hash",
            "{sha:bin/qemu}",
            hv(h -> h.kata().hypervisorPath()),
            "{dir}/bin/qemu"),
        ok(
            H + "kernel_params",
            "foo=bar quiet",
            hv(h -> lastTwo(h.live().kernelParams())),
            "foo=bar quiet"),
        ok(H + "default_vcpus", "2", hv(h -> h.kata().numVcpus()), 2L),
        ok(H + "default_vcpus", "0", hv(h -> h.kata().numVcpus()), 1L),
        ok(H + "default_max_vcpus", "8", hv(h -> h.kata().defaultMaxVcpus()), 8L),
        ok(H + "default_memory", "256", hv(h -> h.kata().memorySize()), 256L),
        ok(H + "default_memory", "0", hv(h -> h.kata().memorySize()), 2048L),
        ok(H + "memory_slots", "20", hv(h -> h.kata().memSlots()), 20L),
        ok(H + "memory_offset", "0", hv(h -> h.kata().memOffset()), 0L),
        ok(H + "memory_offset", "00512", hv(h -> h.kata().memOffset()), 512L),
        ok(H + "enable_virtio_mem", "true", hv(h -> h.kata().virtioMem()), true),
        ok(H + "enable_mem_prealloc", "1", hv(h -> h.kata().memPrealloc()), true),
        ok(H + "enable_swap", "true", hv(h -> h.kata().mlock()), false),
        ok(H + "enable_swap", "F", hv(h -> h.kata().mlock()), true),
        ok(H + "enable_hugepages", "True", hv(h -> h.kata().hugePages()), true),
        ok(H + "enable_iommu", "t", hv(h -> h.live().iommu()), true),
        ok(H + "enable_iommu_platform", "TRUE", hv(h -> h.live().iommuPlatform()), true),
        ok(
            H + "block_device_driver",
            "virtio-blk",
            hv(h -> h.kata().blockDeviceDriver()),
            "virtio-blk"),
        ok(H + "disable_block_device_use", "true", hv(h -> h.kata().disableBlockDeviceUse()), true),
        ok(H + "enable_iothreads", "true", hv(h -> h.kata().enableIoThreads()), true),
        ok(H + "block_device_cache_set", "true", hv(h -> h.kata().blockDeviceCacheSet()), true),
        ok(
            H + "block_device_cache_direct",
            "true",
            hv(h -> h.kata().blockDeviceCacheDirect()),
            true),
        ok(
            H + "block_device_cache_noflush",
            "true",
            hv(h -> h.kata().blockDeviceCacheNoflush()),
            true),
        ok(H + "shared_fs", "virtio-9p", hv(h -> h.kata().sharedFs()), "virtio-9p"),
        ok(H + "virtio_fs_cache", "always", hv(h -> h.kata().virtioFsCache()), "always"),
        ok(H + "virtio_fs_cache_size", "0", hv(h -> h.kata().virtioFsCacheSize()), 0L),
        ok(H + "msize_9p", "16384", hv(h -> h.kata().msize9p()), 16384L),
        ok(H + "machine_type", "pc", hv(h -> h.kata().hypervisorMachineType()), "pc"),
        ok(H + "machine_type", "microvm", hv(h -> h.kata().disableImageNvdimm()), true),
        ok(
            H + "machine_accelerators",
            " smm=off, ,usb=off",
            hv(h -> h.kata().machineAccelerators()),
            "smm=off,usb=off"),
        ok(
            H + "cpu_features",
            "pmu=off,+vmx,-avx512f",
            hv(h -> h.kata().cpuFeatures()),
            "pmu=off,+vmx,-avx512f"),
        ok(H + "disable_vhost_net", "true", hv(h -> h.kata().disableVhostNet()), true),
        ok(
            H + "guest_hook_path",
            "/usr/share/oci/hooks",
            hv(h -> h.kata().guestHookPath()),
            "/usr/share/oci/hooks"),
        ok(H + "use_vsock", "false", hv(h -> h.kata().useVsock()), false),
        ok(H + "disable_image_nvdimm", "true", hv(h -> h.kata().disableImageNvdimm()), true),
        ok(H + "hotplug_vfio_on_root_bus", "true", hv(h -> h.kata().hotplugVfioOnRootBus()), true),
        ok(H + "pcie_root_port", "2", hv(h -> h.kata().pcieRootPort()), 2L),
        ok(H + "enable_vhost_user_store", "false", hv(h -> h.kata().enableVhostUserStore()), false),
        ok(R + "disable_guest_seccomp", "false", a -> a.config().disableGuestSeccomp(), false),
        ok(R + "sandbox_cgroup_only", "true", a -> a.config().sandboxCgroupOnly(), true),
        ok(R + "experimental", "newstore", a -> a.config().experimental(), List.of("newstore")),
        ok(R + "disable_new_netns", "false", a -> a.config().disableNewNetNs(), false),
        ok(R + "internetworking_model", "macvtap", a -> a.config().interworkingModel(), 1L),
        ok(R + "internetworking_model", "default", a -> a.config().interworkingModel(), 2L),
        ok(R + "internetworking_model", "none", a -> a.config().interworkingModel(), 3L),
        ok(
            A + "kernel_modules",
            "e1000e InterruptThrottleRate=3000,3000;i915",
            a -> a.agent().kernelModules(),
            List.of("e1000e InterruptThrottleRate=3000,3000", "i915")),
        ok(A + "enable_tracing", "true", a -> a.agent().trace(), true),
        ok(A + "trace_mode", "static", a -> a.agent().traceMode(), "static"),
        ok(A + "trace_type", "collated", a -> a.agent().traceType(), "collated"),
        ok(A + "container_pipe_size", "65536", a -> a.agent().containerPipeSize(), 65536L),
        ok(
            Annotations.ASSET_HASH_TYPE,
            "sha512",
            a -> a.applied(),
            List.of(Annotations.ASSET_HASH_TYPE)));
  }

  static Stream<Bad> refused() {
    return Stream.of(
        new Bad(
            H + "path", "/tmp/x", "/tmp/x does not match valid_hypervisor_paths [{dir}/bin/qemu*]"),
        new Bad(H + "path", "{dir}/bin/ctl", "does not match valid_hypervisor_paths"),
        new Bad(H + "ctlpath", "bin/ctl", "bin/ctl: bin/ctl is not an absolute path"),
        new Bad(H + "jailer_path", "{dir}/bin/../bin/jailer", "is not in normal form"),
        new Bad(H + "kernel", "{dir}/bin/qemu-alt", "does not match valid_kernel_paths"),
        new Bad(H + "kernel", "{dir}/kernels/none", "{dir}/kernels/none does not exist"),
        new Bad(H + "image", "{dir}/img/none.img", "does not exist"),
        new Bad(
            H + "initrd",
            "{dir}/img/link.img",
            "resolves to {dir}/img/initrd2.img through a symbolic link"),
        new Bad(H + "firmware", "", "\"\" is not an absolute path"),
        new Bad(
            H + "virtio_fs_daemon",
            "/usr/bin/virtiofsd",
            "does not match valid_virtio_fs_daemon_paths"),
        new Bad(H + "file_mem_backend", "{dir}/shm/", "is not in normal form"),
        new Bad(
            H + "vhost_user_store_path",
            "/var/run/kata-containers/vhost-user",
            "does not match valid_vhost_user_store_paths"),
        new Bad(
            H + "entropy_source",
            "/dev/random",
            "/dev/random does not match valid_entropy_sources [/dev/urandom]"),
        new Bad(H + "kernel_hash", "0".repeat(128), "invalid hash for {dir}/vmlinuz: computed "),
        new Bad(H + "image_hash", "{sha:rootfs.img}", "there is no image to verify"),
        new Bad(H + "initrd_hash", "abc", "not a SHA-512 digest"),
        new Bad(H + "firmware_hash", "{sha:fw/bios.bin}", "there is no firmware to verify"),
        new Bad(H + "hypervisor_hash", "{sha:vmlinuz}", "invalid hash for {dir}/bin/qemu"),
        new Bad(H + "hypervisorctl_hash", "{sha:bin/ctl}", "there is no hypervisorctl to verify"),
        new Bad(H + "jailer_hash", "Z".repeat(128), "not a SHA-512 digest"),
        new Bad(H + "kernel_params", "a=1 =x", "empty kernel parameter name in \"x\""),
        new Bad(H + "default_vcpus", "-1", "not an unsigned decimal integer"),
        new Bad(H + "default_vcpus", "5", "NumVCPUs=5 is above DefaultMaxVCPUs=4"),
        new Bad(H + "default_vcpus", "4294967296", "above 4294967295"),
        new Bad(
            H + "default_max_vcpus",
            "289",
            "DefaultMaxVCPUs=289 is above the q35 machine's limit of 288"),
        new Bad(H + "default_memory", "64", "MemorySize=64 MiB is below the minimum of 128 MiB"),
        new Bad(H + "default_memory", "1G", "not an unsigned decimal integer"),
        new Bad(H + "memory_slots", "0", "out of range 1..4294967295"),
        new Bad(H + "memory_slots", "300", "MemSlots=300 is above the maximum of 255"),
        new Bad(H + "memory_offset", "0x10", "not an unsigned decimal integer"),
        new Bad(H + "enable_virtio_mem", "yes", "not a boolean"),
        new Bad(H + "enable_mem_prealloc", "on", "not a boolean"),
        new Bad(H + "enable_swap", "", "not a boolean"),
        new Bad(H + "enable_hugepages", "true ", "not a boolean"),
        new Bad(H + "enable_iommu", "2", "not a boolean"),
        new Bad(H + "enable_iommu_platform", "nope", "not a boolean"),
        new Bad(H + "block_device_driver", "virtio-blk-ccw", "virtio-blk-ccw is for s390x"),
        new Bad(
            H + "block_device_driver",
            "scsi",
            "not one of [virtio-scsi, virtio-blk, virtio-mmio, nvdimm]"),
        new Bad(H + "disable_block_device_use", "-", "not a boolean"),
        new Bad(H + "enable_iothreads", "ja", "not a boolean"),
        new Bad(H + "block_device_cache_set", "tru", "not a boolean"),
        new Bad(H + "block_device_cache_direct", "0x1", "not a boolean"),
        new Bad(H + "block_device_cache_noflush", "y", "not a boolean"),
        new Bad(H + "shared_fs", "virtiofs", "not one of [virtio-9p, virtio-fs]"),
        new Bad(H + "shared_fs", "virtio-fs", "VirtioFSDaemon=\"\" is missing"),
        new Bad(H + "virtio_fs_cache", "none,source=/", "not one of [none, auto, always]"),
        new Bad(H + "virtio_fs_cache_size", "1024", "VirtioFSCacheSize=1024 is not supported"),
        new Bad(H + "msize_9p", "0", "out of range 1..4294967295"),
        new Bad(H + "machine_type", "virt", "not a machine type vmm4j runs"),
        new Bad(
            H + "machine_accelerators",
            "kernel=/etc/passwd",
            "item \"kernel=/etc/passwd\" is not a machine option"),
        new Bad(
            H + "machine_accelerators",
            "firmware=bios",
            "is not a machine option an annotation may set"),
        new Bad(H + "cpu_features", "pmu=off vmx", "item \"pmu=off vmx\" is not a CPU feature"),
        new Bad(H + "disable_vhost_net", "no", "not a boolean"),
        new Bad(H + "guest_hook_path", "hooks", "not an absolute guest path"),
        new Bad(H + "use_vsock", "true", "this host has no /dev/vhost-vsock"),
        new Bad(H + "disable_image_nvdimm", "off", "not a boolean"),
        new Bad(H + "hotplug_vfio_on_root_bus", "1.0", "not a boolean"),
        new Bad(H + "pcie_root_port", "31", "out of range 0..30"),
        new Bad(
            H + "enable_vhost_user_store",
            "true",
            "EnableVhostUserStore=true needs shared guest memory"),
        new Bad(
            H + "virtio_fs_extra_args",
            "-o source=/",
            "not supported: virtiofsd arguments are host-side options"),
        new Bad(H + "rx_rate_limiter_max_rate", "1000", "unknown hypervisor annotation"),
        new Bad(R + "disable_guest_seccomp", "x", "not a boolean"),
        new Bad(R + "sandbox_cgroup_only", "10", "not a boolean"),
        new Bad(R + "experimental", "newstore foo", "unsupported experimental feature foo"),
        new Bad(
            R + "disable_new_netns",
            "true",
            "disable_new_netns=true requires internetworking_model none"),
        new Bad(
            R + "internetworking_model", "bridge", "not one of [default, macvtap, tcfilter, none]"),
        new Bad(R + "enable_pprof", "true", "unknown runtime annotation"),
        new Bad(A + "kernel_modules", "e1000e;", "entry \"\" does not start with a module name"),
        new Bad(A + "enable_tracing", "maybe", "not a boolean"),
        new Bad(A + "trace_mode", "fast", "not one of [dynamic, static]"),
        new Bad(A + "trace_type", "", "not one of [isolated, collated]"),
        new Bad(A + "container_pipe_size", "-1", "not an unsigned decimal integer"),
        new Bad(Annotations.ASSET_HASH_TYPE, "md5", "hash type not supported (only sha512)"),
        new Bad(Annotations.BUNDLE_PATH, "/run/bundle", "written by the runtime"),
        new Bad(Annotations.CONTAINER_TYPE, "pod_container", "written by the runtime"),
        new Bad(
            "io.katacontainers.config.hypervisorx.path",
            "/x",
            "unknown io.katacontainers annotation"));
  }

  static String value(String v) {
    if (v.startsWith("{sha:")) {
      return Assets.sha512(fx.path(v.substring(5, v.length() - 1)));
    }
    return fx.expand(v);
  }

  static Map<String, String> one(String key, String value) {
    return Map.of(key, value(value));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptedValueLandsInItsField(Ok row) {
    AnnotatedConfig out =
        Annotations.resolve(fx.runtime(), one(row.key(), row.value()), AnnotationFixture.policy());
    Object expected = row.expected() instanceof String s ? fx.expand(s) : row.expected();
    assertThat(row.get().apply(out)).isEqualTo(expected);
    assertThat(out.applied()).contains(row.key());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedValueNamesTheAnnotationAndTheRule(Bad row) {
    String value = value(row.value());
    assertThatThrownBy(
            () ->
                Annotations.apply(
                    fx.runtime(), Map.of(row.key(), value), AnnotationFixture.policy()))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.field()).isEqualTo(row.key());
              assertThat(e.value()).isEqualTo(value);
              assertThat(e.getMessage())
                  .startsWith("annotation " + row.key() + "=")
                  .contains(fx.expand(row.reason()));
            });
  }

  /** The table covers every annotation vmm4j knows, accepted and refused. */
  @Test
  void everyKnownAnnotationHasRowsOfBothKinds() {
    Set<String> ok = new HashSet<>();
    accepted().forEach(r -> ok.add(r.key()));
    Set<String> bad = new HashSet<>();
    refused().forEach(r -> bad.add(r.key()));
    Set<String> noAcceptedValue =
        Set.of(
            H + "virtio_fs_extra_args",
            H + "image_hash",
            H + "firmware_hash",
            H + "hypervisorctl_hash",
            H + "jailer_hash",
            Annotations.CONFIG_PATH);
    for (String key : Annotations.known()) {
      if (!noAcceptedValue.contains(key)) {
        assertThat(ok).as("accepted row for %s", key).contains(key);
      }
      if (!key.equals(Annotations.CONFIG_PATH)) {
        assertThat(bad).as("refused row for %s", key).contains(key);
      }
    }
    // 1.13: 51 hypervisor, 5 runtime, 5 agent annotations, config_path and asset_hash_type
    assertThat(Annotations.known()).hasSize(63);
  }

  private static String lastTwo(List<KernelParam> params) {
    return KernelParam.join(params.subList(params.size() - 2, params.size()));
  }
}
