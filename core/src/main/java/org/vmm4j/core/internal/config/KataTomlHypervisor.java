package org.vmm4j.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KataFacts;
import org.vmm4j.core.api.KernelParam;
import org.vmm4j.core.api.LoadOptions;
import org.vmm4j.core.api.MachineType;

/**
 * Kata 1.13's {@code [hypervisor.qemu]} table → {@link HypervisorConfig}: every key of {@link
 * KataKeys}, read with its type and transformed by its rule ({@link TomlRules}), then katautils'
 * rules across keys: exactly one of the image and the initrd, {@code microvm} forcing {@code
 * DisableImageNvdimm}, virtio-fs needing its daemon, and the kernel parameters of {@code
 * SetKernelParams}.
 *
 * <p>Deliberate differences: an absent {@code path} means {@code /usr/bin/qemu-system-x86_64}
 * (Kata's compiled default, qemu-lite, no longer exists); {@code default_vcpus} and {@code
 * default_maxvcpus} are not clamped to the host's CPU count (a TCG guest may have more vCPUs than
 * the host), {@code default_maxvcpus = 0} keeps the default of {@link ConfigDefaults}.
 */
final class KataTomlHypervisor {
  static final List<KernelParam> SYSTEMD_PARAMS =
      KernelParam.parse(
          "systemd.unit=kata-containers.target systemd.mask=systemd-networkd.service"
              + " systemd.mask=systemd-networkd.socket");

  private KataTomlHypervisor() {}

  static HypervisorConfig map(TomlTable t, LoadOptions options) {
    HypervisorConfig zero = HypervisorConfig.zero();
    ConfigFields.Draft draft = new ConfigFields.Draft(zero.kata(), zero.live());
    TomlRules.Context context = new TomlRules.Context(t, options);
    for (KataKeys.Key key : KataKeys.ALL) {
      Object value = read(t, key);
      if (key.rule() != null) {
        Object v = key.rule().apply(context, key.toml(), value);
        draft.set(ConfigFields.field(key.field()), key.negated() ? !(Boolean) v : v);
      }
    }
    HypervisorConfig c = new HypervisorConfig(draft.kata(), draft.live());
    checkRootfs(t, c);
    checkSharedFs(t, c);
    if (c.kata().hypervisorMachineType().equals(MachineType.MICROVM.qemuName())) {
      c = c.editKata(k -> k.disableImageNvdimm(true));
    }
    List<KernelParam> params = kernelParams(c, options);
    c = c.editLive(l -> l.kernelParams(params));
    t.warnUnread();
    return c;
  }

  private static Object read(TomlTable t, KataKeys.Key key) {
    String name = key.toml();
    return switch (key.type()) {
      case STRING -> t.string(name, (String) key.absent());
      case BOOL -> t.bool(name, (Boolean) key.absent());
      case UINT32 -> t.uint32(name, (Long) key.absent());
      case INT32 -> t.int32(name, (Long) key.absent());
      case STRINGS -> t.has(name) ? t.strings(name) : null;
    };
  }

  /** Exactly one of the image and the initrd names an existing file. */
  private static void checkRootfs(TomlTable t, HypervisorConfig c) {
    String initrd = t.string("initrd", "");
    String image = t.string("image", "");
    boolean hasInitrd = !c.kata().initrdPath().isEmpty();
    boolean hasImage = !c.kata().imagePath().isEmpty();
    if (hasInitrd && hasImage) {
      throw t.error(
          "image",
          image,
          "having both an image and an initrd (" + initrd + ") defined is not supported");
    }
    if (!hasInitrd && !hasImage) {
      throw t.error(
          "image",
          image,
          "either initrd or image must be set to a valid path (initrd: "
              + initrd
              + ") (image: "
              + image
              + ")");
    }
  }

  private static void checkSharedFs(TomlTable t, HypervisorConfig c) {
    if (c.usesVirtioFs() && c.kata().virtioFsDaemon().isEmpty()) {
      throw t.error("virtio_fs_daemon", "", "cannot enable virtio-fs without daemon path");
    }
  }

  /** {@code SetKernelParams} in shim-v2 mode (no agent parameters), then {@code fips=1}. */
  private static List<KernelParam> kernelParams(HypervisorConfig c, LoadOptions options) {
    List<KernelParam> params = new ArrayList<>();
    if (!c.kata().imagePath().isEmpty()) {
      params.addAll(SYSTEMD_PARAMS);
    }
    if (c.kata().blockDeviceDriver().equals(KataFacts.VIRTIO_SCSI)) {
      params.add(new KernelParam("scsi_mod.scan", "none"));
    }
    params.addAll(c.live().kernelParams());
    if (options.fipsEnabled()) {
      params.add(new KernelParam("fips", "1"));
    }
    return params;
  }
}
