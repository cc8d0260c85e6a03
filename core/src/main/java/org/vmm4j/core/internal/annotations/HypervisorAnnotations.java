package org.vmm4j.core.internal.annotations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.MachineType;
import org.vmm4j.core.internal.config.ConfigFields;
import org.vmm4j.core.internal.config.KataKeys;
import org.vmm4j.persist.codec.GoType;

/**
 * Every {@code io.katacontainers.config.hypervisor.<name>} annotation of Kata 1.13: the names and
 * the fields they set are {@link KataKeys}' (shared with {@code configuration.toml}); each value is
 * parsed strictly ({@link Values}) by the rule its field implies (a boolean, a uint32, a host path
 * behind its allowlist) or by its own rule below; the hash annotations are {@link Assets}'. Where
 * 1.13 has a quirk, the rule here is the sound one: {@code memory_offset=0} sets 0 and {@code
 * memory_slots=0} is refused (1.13 ignored both), {@code enable_vhost_user_store} applies (1.13
 * never applied it), {@code machine_type=microvm} implies {@code DisableImageNvdimm} as the TOML
 * key does, {@code use_vsock} moves the whole agent channel (vmm4j derives it from {@code
 * UseVSock}), {@code image} and {@code initrd} each replace the other, {@code virtio_fs_cache} is
 * one of virtiofsd's modes (a free string reached virtiofsd's {@code -o}), and {@code
 * machine_accelerators} takes only the machine switches of {@link #MACHINE_OPTIONS} (a free string
 * could add {@code kernel=}, {@code firmware=}, ... to {@code -machine}); {@code
 * virtio_fs_extra_args} is refused (host-side daemon arguments; 1.13 defined but never applied it).
 * Ranges that depend on other fields are checked when the result is validated, with vmm4j's limits
 * (vCPUs at most {@code DefaultMaxVCPUs}, which is at most the machine's limit, memory at least 128
 * MiB) instead of 1.13's host-CPU ceiling.
 */
final class HypervisorAnnotations {
  static final String PREFIX = "io.katacontainers.config.hypervisor.";

  /** Kata's maximum of PCIe root ports (q35's pcie.0 has 30 free slots). */
  static final long MAX_PCIE_ROOT_PORTS = 30;

  /**
   * The {@code -machine} options {@code machine_accelerators} may set: switches of the pc, q35 and
   * microvm machines. Options naming files or objects ({@code kernel=}, {@code firmware=}, {@code
   * dumpdtb=}, {@code memory-backend=}, ...) are not among them.
   */
  static final Set<String> MACHINE_OPTIONS =
      Set.of(
          "acpi",
          "dump-guest-core",
          "graphics",
          "hpet",
          "i8042",
          "isa-serial",
          "mem-merge",
          "pic",
          "pit",
          "rtc",
          "sata",
          "smbus",
          "smm",
          "suppress-vmdesc",
          "usb",
          "vmport",
          "x-option-roms");

  static final List<String> BLOCK_DRIVERS = KataFacts.BLOCK_DRIVERS;
  static final List<String> VIRTIOFS_CACHE = List.of("none", "auto", "always");

  static final Map<String, Spec> SPECS = table();

  private HypervisorAnnotations() {}

  /**
   * One spec per key of {@link KataKeys#annotated()}: the rule below when it has one, else the one
   * its field's kind implies (a boolean, a uint32, or a host path behind its allowlist); then the
   * hash annotations of {@link Assets}.
   */
  private static Map<String, Spec> table() {
    Map<String, Spec> explicit =
        Spec.table(
            new Spec("kernel_params", HypervisorAnnotations::kernelParams),
            uint("memory_slots", 1, Values.UINT32_MAX),
            uint("msize_9p", 1, Values.UINT32_MAX),
            uint("pcie_root_port", 0, MAX_PCIE_ROOT_PORTS),
            choice("shared_fs", KataFacts.SHARED_FS),
            choice("virtio_fs_cache", VIRTIOFS_CACHE),
            new Spec("block_device_driver", HypervisorAnnotations::blockDeviceDriver),
            new Spec("machine_type", HypervisorAnnotations::machineType),
            new Spec("machine_accelerators", HypervisorAnnotations::machineAccelerators),
            new Spec("cpu_features", HypervisorAnnotations::cpuFeatures),
            new Spec("guest_hook_path", HypervisorAnnotations::guestHookPath),
            new Spec("use_vsock", HypervisorAnnotations::useVsock),
            new Spec("virtio_fs_extra_args", HypervisorAnnotations::virtioFsExtraArgs),
            Assets.rootfs("image"),
            Assets.rootfs("initrd"));
    List<Spec> all = new ArrayList<>();
    for (KataKeys.Key key : KataKeys.annotated()) {
      Spec s = explicit.get(key.annotation());
      all.add(s != null ? s : implied(key));
    }
    for (String name : explicit.keySet()) {
      if (KataKeys.byAnnotation(name) == null) {
        throw new ExceptionInInitializerError("annotation " + name + " is not in KataKeys");
      }
    }
    all.addAll(Assets.HASHES);
    return Spec.table(all.toArray(Spec[]::new));
  }

  /** The rule a key's field implies. */
  private static Spec implied(KataKeys.Key key) {
    ConfigFields.Kind kind = ConfigFields.field(key.field()).kind();
    if (kind == ConfigFields.Kind.BOOL) {
      return new Spec(
          key.annotation(), (c, v) -> c.set(key.field(), Values.bool(v) != key.negated()));
    }
    if (kind == ConfigFields.Kind.INTEGER
        && ConfigFields.field(key.field()).goType() == GoType.UINT32) {
      return uint(key.annotation(), 0, Values.UINT32_MAX);
    }
    if (kind == ConfigFields.Kind.STRING && key.allowlist() != null) {
      Allowlists.PathList list = Allowlists.PathList.of(key.allowlist());
      return new Spec(
          key.annotation(), (c, v) -> c.set(key.field(), Allowlists.checkPath(list, c.gates(), v)));
    }
    throw new ExceptionInInitializerError(
        "annotation " + key.annotation() + " of " + key.field() + " needs a rule here");
  }

  /** The field hypervisor annotation {@code name} sets. */
  static String field(String name) {
    return KataKeys.byAnnotation(name).field();
  }

  private static Spec uint(String name, long min, long max) {
    String field = field(name);
    return new Spec(name, (c, v) -> c.set(field, Values.uint32(v, min, max)));
  }

  private static Spec choice(String name, List<String> allowed) {
    String field = field(name);
    return new Spec(name, (c, v) -> c.set(field, Values.oneOf(v, allowed)));
  }

  /** Appended to {@code KernelParams} (Kata: whitespace-split, split at the first '='). */
  private static void kernelParams(Changes c, String v) {
    List<KernelParam> params = new ArrayList<>(c.hv.live().kernelParams());
    for (KernelParam p : KernelParam.parse(v)) {
      if (p.key().isEmpty()) {
        throw new Refusal("empty kernel parameter name in \"" + p + "\"");
      }
      params.add(p);
    }
    c.set(field("kernel_params"), params);
  }

  private static void blockDeviceDriver(Changes c, String v) {
    if (v.equals("virtio-blk-ccw")) {
      throw new Refusal("virtio-blk-ccw is for s390x; on x86 use one of " + BLOCK_DRIVERS);
    }
    c.set(field("block_device_driver"), Values.oneOf(v, BLOCK_DRIVERS));
  }

  private static void machineType(Changes c, String v) {
    MachineType m =
        MachineType.fromName(v)
            .orElseThrow(
                () -> new Refusal("not a machine type vmm4j runs (" + MachineType.known() + ")"));
    c.set(field("machine_type"), m.qemuName());
    if (m == MachineType.MICROVM && !c.given.contains(PREFIX + "disable_image_nvdimm")) {
      // as the TOML key does: microvm has no nvdimm, an image goes on virtio-blk
      c.set(field("disable_image_nvdimm"), true);
    }
  }

  private static void machineAccelerators(Changes c, String v) {
    c.set(field("machine_accelerators"), Values.options(v, MACHINE_OPTIONS, "machine option"));
  }

  private static void cpuFeatures(Changes c, String v) {
    c.set(field("cpu_features"), Values.options(v, null, "CPU feature"));
  }

  private static void guestHookPath(Changes c, String v) {
    c.set(field("guest_hook_path"), Values.guestPath(v));
  }

  private static void useVsock(Changes c, String v) {
    boolean vsock = Values.bool(v);
    if (vsock && !c.policy.vhostVsockAvailable()) {
      throw new Refusal("this host has no /dev/vhost-vsock");
    }
    c.set(field("use_vsock"), vsock);
  }

  private static void virtioFsExtraArgs(Changes c, String v) {
    throw new Refusal(
        "not supported: virtiofsd arguments are host-side options no annotation may set"
            + " (Kata 1.13 defines this annotation but never applies it)");
  }
}
