package org.vmm4j.core.internal.qemu;

import java.util.ArrayList;
import java.util.List;
import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.KernelParam;

/**
 * {@code -kernel}, {@code -initrd}, {@code -append}, {@code -bios} and {@code -pflash}, with the
 * kernel command line of Kata 1.13 on amd64 ({@code qemu.kernelParameters}):
 *
 * <pre>
 * amd64 list, then iommu=off (or intel_iommu=on iommu=pt with IOMMU)
 * + the image's root parameters (nvdimm with DAX, or virtio-blk)
 * + quiet [systemd.show_status=false]  |  debug [systemd.show_status=true systemd.log_level=debug]
 * + panic=1 nr_cpus=&lt;DefaultMaxVCPUs&gt; agent.use_vsock=&lt;bool&gt;
 * + memhp_default_state=online_movable   (vmm4j, not on microvm: hot-added memory can be removed)
 * + KernelParams                          (last, so they win)
 * </pre>
 */
final class KernelArgs {
  static final List<KernelParam> AMD64 =
      KernelParam.parse(
          "tsc=reliable no_timer_check rcupdate.rcu_expedited=1 i8042.direct=1 i8042.dumbkbd=1"
              + " i8042.nopnp=1 i8042.noaux=1 noreplace-smp reboot=k console=hvc0 console=hvc1"
              + " cryptomgr.notests net.ifnames=0 pci=lastbus=0");
  static final List<KernelParam> ROOT_NVDIMM_DAX =
      KernelParam.parse(
          "root=/dev/pmem0p1 rootflags=dax,data=ordered,errors=remount-ro ro rootfstype=ext4");
  static final List<KernelParam> ROOT_VIRTIO_BLK =
      KernelParam.parse(
          "root=/dev/vda1 rootflags=data=ordered,errors=remount-ro ro rootfstype=ext4");

  private KernelArgs() {}

  static void append(Argv a, Plan p) {
    HypervisorConfig c = p.c();
    a.add("-kernel", c.kata().kernelPath());
    if (!c.kata().initrdPath().isEmpty()) {
      a.add("-initrd", c.kata().initrdPath());
    }
    a.add("-append", commandLine(c));
    if (!c.kata().firmwarePath().isEmpty()) {
      a.add("-bios", c.kata().firmwarePath());
    }
  }

  static void pflash(Argv a, Plan p) {
    for (String flash : p.c().live().pflash()) {
      a.add("-pflash", flash);
    }
  }

  /** The kernel command line: {@link #params} with the config's vsock and machine type. */
  static String commandLine(HypervisorConfig c) {
    boolean hotplug = c.machineType().supportsMemoryHotplug();
    return KernelParam.join(params(c, c.kata().useVsock(), hotplug));
  }

  /** The kernel command line, in order. */
  static List<KernelParam> params(HypervisorConfig c, boolean vsock, boolean memoryHotplug) {
    List<KernelParam> params = new ArrayList<>(AMD64);
    if (c.live().iommu()) {
      params.addAll(KernelParam.parse("intel_iommu=on iommu=pt"));
    } else {
      params.add(new KernelParam("iommu", "off"));
    }
    boolean image = !c.kata().imagePath().isEmpty();
    if (image) {
      params.addAll(c.kata().disableImageNvdimm() ? ROOT_VIRTIO_BLK : ROOT_NVDIMM_DAX);
    }
    if (c.kata().debug()) {
      params.add(KernelParam.flag("debug"));
      if (image) {
        params.addAll(KernelParam.parse("systemd.show_status=true systemd.log_level=debug"));
      }
    } else {
      params.add(KernelParam.flag("quiet"));
      if (image) {
        params.add(new KernelParam("systemd.show_status", "false"));
      }
    }
    params.add(new KernelParam("panic", "1"));
    params.add(new KernelParam("nr_cpus", Long.toString(c.kata().defaultMaxVcpus())));
    params.add(new KernelParam("agent.use_vsock", Boolean.toString(vsock)));
    if (memoryHotplug) {
      params.add(new KernelParam("memhp_default_state", "online_movable"));
    }
    params.addAll(c.live().kernelParams());
    return params;
  }
}
