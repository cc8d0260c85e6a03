package org.vmm4j.core;

/**
 * Where {@link SandboxDevices#unplug} looks for a device id: the built-in resolvers know {@code
 * DeviceState} IDs, hot-plugged vCPUs and memory devices; an extension (network endpoints) adds its
 * own with {@link SandboxDevices#withUnplugResolver}. Resolvers are asked in order inside the
 * unplug's transaction; the first that knows the id unplugs it.
 */
@FunctionalInterface
public interface UnplugResolver {
  /**
   * Unplugs {@code deviceId} when it is one of this resolver's, recording the change through the
   * session ({@link HotplugSession#flows()}, {@link HotplugSession#devices()}, {@link
   * HotplugSession#updateState}).
   *
   * @return false when {@code deviceId} is not this resolver's (nothing done)
   * @throws org.vmm4j.core.hotplug.HotplugException when it is, but did not go away (QEMU still has
   *     it: say so, the state stays unchanged)
   */
  boolean unplug(HotplugSession session, String deviceId);
}
