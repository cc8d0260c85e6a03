package org.vmm4j.core;

import org.vmm4j.core.api.HypervisorConfig;
import org.vmm4j.core.api.SandboxPaths;
import org.vmm4j.testing.qemu.TestAssets;

/**
 * Core's views of {@link TestAssets} (which knows no core type): the sandbox paths under its
 * directory and configs with its kernel, initrd or rootfs image set.
 */
public final class AssetConfigs {
  private AssetConfigs() {}

  /** The VM and shared directories of {@code assets} as a sandbox's paths. */
  public static SandboxPaths paths(TestAssets assets) {
    return new SandboxPaths(assets.vmDir(), assets.sharedDir());
  }

  /** A config with the kernel and initrd set, on QEMU's Debian path. */
  public static HypervisorConfig initrdConfig(TestAssets assets) {
    return HypervisorConfig.of(
        HypervisorConfig.kataBuilder()
            .hypervisorPath("/usr/bin/qemu-system-x86_64")
            .kernelPath(assets.kernel().toString())
            .initrdPath(assets.initrd().toString())
            .build());
  }

  /** A config with the kernel and the rootfs image set. */
  public static HypervisorConfig imageConfig(TestAssets assets) {
    return HypervisorConfig.of(
        HypervisorConfig.kataBuilder()
            .hypervisorPath("/usr/bin/qemu-system-x86_64")
            .kernelPath(assets.kernel().toString())
            .imagePath(assets.image().toString())
            .build());
  }
}
