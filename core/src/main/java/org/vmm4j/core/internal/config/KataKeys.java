package org.vmm4j.core.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vmm4j.core.api.KataFacts;

/**
 * Kata 1.13's keys of a {@code HypervisorConfig} field, one entry per key: the {@code
 * [hypervisor.qemu]} key of {@code configuration.toml}, the Go field it sets, katautils'
 * transformation of its value, and, where Kata 1.13 has one, the {@code
 * io.katacontainers.config.hypervisor.<name>} annotation that sets the same field (its name is the
 * TOML key but for {@code default_max_vcpus}). {@link KataTomlHypervisor} reads TOML through this
 * table; {@code org.vmm4j.core.internal.annotations} finds an annotation's field, its negation and
 * its allowlist here. The fields of Kata's persisted record that no key sets are {@link
 * #NOT_IN_TOML}, each with the reason.
 */
public final class KataKeys {
  /** How a TOML value is read (BurntSushi/toml's decoding of the katautils struct field). */
  enum TomlType {
    STRING,
    BOOL,
    /** A Go {@code uint32}. */
    UINT32,
    /** A Go {@code int32}. */
    INT32,
    /** A Go {@code []string}. */
    STRINGS
  }

  /**
   * katautils' transformation of a TOML value (the absent default included) into the field's value;
   * may throw a {@link org.vmm4j.core.api.ConfigException} naming the key.
   */
  @FunctionalInterface
  interface TomlRule {
    Object apply(TomlRules.Context c, String key, Object value);
  }

  /**
   * One key.
   *
   * @param toml the {@code [hypervisor.qemu]} key
   * @param field the Go field it sets
   * @param type how its TOML value is read
   * @param absent its value when the TOML file does not have it
   * @param rule katautils' transformation of the value; null when katautils ignores the key for
   *     QEMU (it is read, so not warned about, and sets nothing)
   * @param annotation the hypervisor annotation's name, or null when Kata 1.13 has none
   * @param negated the field is the negation of the value ({@code enable_swap} sets {@code Mlock})
   * @param allowlist the key of the annotation allowlist of a host path, or null
   * @param isAllowlist this key is itself a path allowlist ({@code valid_*})
   */
  public record Key(
      String toml,
      String field,
      TomlType type,
      Object absent,
      TomlRule rule,
      String annotation,
      boolean negated,
      String allowlist,
      boolean isAllowlist) {

    Key noAnnotation() {
      return new Key(toml, field, type, absent, rule, null, negated, allowlist, isAllowlist);
    }

    Key annotation(String name) {
      return new Key(toml, field, type, absent, rule, name, negated, allowlist, isAllowlist);
    }

    Key negate() {
      return new Key(toml, field, type, absent, rule, annotation, true, allowlist, isAllowlist);
    }

    Key allowlist(String key) {
      return new Key(toml, field, type, absent, rule, annotation, negated, key, isAllowlist);
    }
  }

  /** Every key, in the order {@link KataTomlHypervisor} reads them (the assets first). */
  static final List<Key> ALL =
      List.of(
          str("path", "HypervisorPath", ConfigDefaults.QEMU_PATH, TomlRules::resolve)
              .allowlist("valid_hypervisor_paths"),
          str("kernel", "KernelPath", TomlRules.KERNEL, TomlRules::resolve)
              .allowlist("valid_kernel_paths"),
          str("initrd", "InitrdPath", "", TomlRules::resolveOrEmpty)
              .allowlist("valid_initrd_paths"),
          str("image", "ImagePath", "", TomlRules::resolveOrEmpty).allowlist("valid_image_paths"),
          str("firmware", "FirmwarePath", "", TomlRules::resolveIfSet)
              .allowlist("valid_firmware_paths"),
          str("machine_type", "HypervisorMachineType", "pc", same()),
          bool("disable_image_nvdimm", "DisableImageNvdimm"),
          str("machine_accelerators", "MachineAccelerators", "", TomlRules::normalizeList),
          str("cpu_features", "CPUFeatures", "", TomlRules::normalizeList),
          str("entropy_source", "EntropySource", "/dev/urandom", same())
              .allowlist("valid_entropy_sources"),
          str("guest_hook_path", "GuestHookPath", "", same()),
          key("pflashes", "PFlash", TomlType.STRINGS, null, TomlRules::existingFiles)
              .noAnnotation(),
          key("default_vcpus", "NumVCPUs", TomlType.INT32, 1L, TomlRules::vcpus),
          u32("default_maxvcpus", "DefaultMaxVCPUs", 0, same()).annotation("default_max_vcpus"),
          u32("default_bridges", "DefaultBridges", 1, TomlRules::bridges).noAnnotation(),
          u32("default_memory", "MemorySize", ConfigDefaults.MEMORY_MIB, TomlRules::zeroIsAbsent),
          u32("memory_slots", "MemSlots", ConfigDefaults.MEM_SLOTS, TomlRules::zeroIsAbsent),
          u32("memory_offset", "MemOffset", 0, same()),
          u32("msize_9p", "Msize9p", ConfigDefaults.MSIZE_9P, TomlRules::zeroIsAbsent),
          u32("pcie_root_port", "PCIeRootPort", 0, same()),
          str("shared_fs", "SharedFS", KataFacts.VIRTIO_9P, TomlRules::sharedFs),
          str("virtio_fs_daemon", "VirtioFSDaemon", "", same())
              .allowlist("valid_virtio_fs_daemon_paths"),
          u32("virtio_fs_cache_size", "VirtioFSCacheSize", 0, same()),
          list("virtio_fs_extra_args", "VirtioFSExtraArgs").annotation("virtio_fs_extra_args"),
          str("virtio_fs_cache", "VirtioFSCache", "none", same()),
          str("block_device_driver", "BlockDeviceDriver", KataFacts.VIRTIO_SCSI, TomlRules::block),
          bool("block_device_cache_set", "BlockDeviceCacheSet"),
          bool("block_device_cache_direct", "BlockDeviceCacheDirect"),
          bool("block_device_cache_noflush", "BlockDeviceCacheNoflush"),
          bool("enable_mem_prealloc", "MemPrealloc"),
          bool("enable_hugepages", "HugePages"),
          bool("enable_virtio_mem", "VirtioMem"),
          bool("enable_swap", "Mlock").negate(),
          str("file_mem_backend", "FileBackedMemRootDir", "", same())
              .allowlist("valid_file_mem_backends"),
          bool("enable_vhost_user_store", "EnableVhostUserStore"),
          str("vhost_user_store_path", "VhostUserStorePath", TomlRules.VHOST_USER_STORE, same())
              .allowlist("valid_vhost_user_store_paths"),
          bool("disable_block_device_use", "DisableBlockDeviceUse"),
          bool("enable_iothreads", "EnableIOThreads"),
          bool("enable_iommu", "IOMMU"),
          bool("enable_iommu_platform", "IOMMUPlatform"),
          bool("enable_debug", "Debug").noAnnotation(),
          bool("disable_nesting_checks", "DisableNestingChecks").noAnnotation(),
          bool("hotplug_vfio_on_root_bus", "HotplugVFIOOnRootBus"),
          bool("disable_vhost_net", "DisableVhostNet"),
          key("use_vsock", "UseVSock", TomlType.BOOL, false, TomlRules::vsock),
          str("kernel_params", "KernelParams", "", TomlRules::kernelParams),
          // decoded by katautils but not set for QEMU (read here, so not warned about); the
          // annotations set them all the same
          key("jailer_path", "JailerPath", TomlType.STRING, "", null)
              .allowlist("valid_jailer_paths"),
          key("ctlpath", "HypervisorCtlPath", TomlType.STRING, "", null)
              .allowlist("valid_ctlpaths"),
          allowlist("valid_jailer_paths", "JailerPathList", null),
          allowlist("valid_ctlpaths", "HypervisorCtlPathList", null),
          list("enable_annotations", "EnableAnnotations"),
          allowlist("valid_hypervisor_paths", "HypervisorPathList", same()),
          allowlist("valid_virtio_fs_daemon_paths", "VirtioFSDaemonList", same()),
          allowlist("valid_vhost_user_store_paths", "VhostUserStorePathList", same()),
          allowlist("valid_file_mem_backends", "FileBackedMemRootList", same()),
          // vmm4j's own allowlists (annotations.Annotations): empty unless the file names paths
          allowlist("valid_kernel_paths", "KernelPathList", same()),
          allowlist("valid_image_paths", "ImagePathList", same()),
          allowlist("valid_initrd_paths", "InitrdPathList", same()),
          allowlist("valid_firmware_paths", "FirmwarePathList", same()),
          allowlist("valid_entropy_sources", "EntropySourceList", same()),
          allowlist("valid_config_paths", "ConfigPathList", same()));

  /**
   * The fields of Kata's persisted {@code HypervisorConfig} that no {@code [hypervisor.qemu]} key
   * sets (they keep their zero value when a config comes from TOML), with the reason. The JSON form
   * sets every field.
   */
  public static final Map<String, String> NOT_IN_TOML =
      Map.of(
          "Realtime", "no [hypervisor.qemu] key of Kata 1.13 sets it",
          "MemoryPath", "Kata's VM factory sets it; vmm4j ignores [factory]",
          "DevicesStatePath", "Kata's VM factory sets it; vmm4j ignores [factory]",
          "BootToBeTemplate", "Kata's VM factory sets it; vmm4j ignores [factory]",
          "BootFromTemplate", "Kata's VM factory sets it; vmm4j ignores [factory]",
          "VMid", "Kata's VM factory sets it; vmm4j ignores [factory]",
          "JailerPath", "katautils decodes jailer_path but does not set it for QEMU",
          "JailerPathList", "katautils decodes valid_jailer_paths but does not set it for QEMU",
          "HypervisorCtlPath", "katautils decodes ctlpath but does not set it for QEMU",
          "HypervisorCtlPathList", "katautils decodes valid_ctlpaths but does not set it for QEMU");

  private static final Map<String, Key> BY_TOML = index(ALL, Key::toml);
  private static final Map<String, Key> BY_ANNOTATION = index(ALL, Key::annotation);

  private KataKeys() {}

  /** The key named {@code toml} in {@code [hypervisor.qemu]}, or null. */
  public static Key byToml(String toml) {
    return BY_TOML.get(toml);
  }

  /** The key of hypervisor annotation {@code name} (after its prefix), or null. */
  public static Key byAnnotation(String name) {
    return BY_ANNOTATION.get(name);
  }

  /** Every key that has a hypervisor annotation, in table order. */
  public static List<Key> annotated() {
    return ALL.stream().filter(k -> k.annotation() != null).toList();
  }

  /** Every path allowlist ({@code valid_*}), in table order. */
  public static List<Key> allowlists() {
    return ALL.stream().filter(Key::isAllowlist).toList();
  }

  private static TomlRule same() {
    return (c, key, value) -> value;
  }

  private static Key key(String toml, String field, TomlType type, Object absent, TomlRule rule) {
    return new Key(toml, field, type, absent, rule, toml, false, null, false);
  }

  private static Key str(String toml, String field, String absent, TomlRule rule) {
    return key(toml, field, TomlType.STRING, absent, rule);
  }

  private static Key bool(String toml, String field) {
    return key(toml, field, TomlType.BOOL, false, same());
  }

  private static Key u32(String toml, String field, long absent, TomlRule rule) {
    return key(toml, field, TomlType.UINT32, absent, rule);
  }

  private static Key list(String toml, String field) {
    return key(toml, field, TomlType.STRINGS, null, same()).noAnnotation();
  }

  private static Key allowlist(String toml, String field, TomlRule rule) {
    return new Key(toml, field, TomlType.STRINGS, null, rule, null, false, null, true);
  }

  /** Indexes {@code keys} by a name; checks names are unique and fields and allowlists exist. */
  private static Map<String, Key> index(
      List<Key> keys, java.util.function.Function<Key, String> name) {
    Map<String, Key> m = new LinkedHashMap<>();
    List<String> tomlKeys = new ArrayList<>();
    keys.forEach(k -> tomlKeys.add(k.toml()));
    for (Key k : keys) {
      Objects.requireNonNull(ConfigFields.byName(k.field()), () -> k.toml() + ": no " + k.field());
      if (k.allowlist() != null && !tomlKeys.contains(k.allowlist())) {
        throw new ExceptionInInitializerError(k.toml() + ": no allowlist " + k.allowlist());
      }
      String n = name.apply(k);
      if (n != null && m.put(n, k) != null) {
        throw new ExceptionInInitializerError("two Kata keys named " + n);
      }
    }
    return Map.copyOf(m);
  }
}
