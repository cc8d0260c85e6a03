package org.vmm4j.core.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container to create in a sandbox ({@link SandboxContainers#create}).
 *
 * @param id the container id (checked like sandbox ids: {@link org.vmm4j.persist.Ids#ID_PATTERN})
 * @param rootfs its root file system
 * @param mounts its OCI mounts, in order
 * @param devices its OCI devices ({@code DeviceMaps})
 * @param annotations its OCI annotations ({@code ContainerConfig.Annotations})
 * @param bundlePath its OCI bundle ({@code BundlePath}; "" for none)
 * @param cgroupPath its cgroup ({@code CgroupPath}; "" for none)
 */
public record ContainerSpec(
    String id,
    ContainerRootfs rootfs,
    List<ContainerMount> mounts,
    List<ContainerDevice> devices,
    Map<String, String> annotations,
    String bundlePath,
    String cgroupPath) {
  public ContainerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rootfs, "rootfs");
    mounts = List.copyOf(mounts);
    devices = List.copyOf(devices);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(bundlePath, "bundlePath");
    Objects.requireNonNull(cgroupPath, "cgroupPath");
  }

  /** Container {@code id} on {@code rootfs}, with no mounts, devices or annotations. */
  public static ContainerSpec of(String id, ContainerRootfs rootfs) {
    return new ContainerSpec(id, rootfs, List.of(), List.of(), Map.of(), "", "");
  }

  /** The same with {@code m} after the mounts there are. */
  public ContainerSpec withMount(ContainerMount m) {
    List<ContainerMount> all = new ArrayList<>(mounts);
    all.add(m);
    return new ContainerSpec(id, rootfs, all, devices, annotations, bundlePath, cgroupPath);
  }

  /** The same with {@code d} after the devices there are. */
  public ContainerSpec withDevice(ContainerDevice d) {
    List<ContainerDevice> all = new ArrayList<>(devices);
    all.add(d);
    return new ContainerSpec(id, rootfs, mounts, all, annotations, bundlePath, cgroupPath);
  }

  public ContainerSpec withAnnotations(Map<String, String> a) {
    return new ContainerSpec(id, rootfs, mounts, devices, a, bundlePath, cgroupPath);
  }

  public ContainerSpec withBundlePath(String p) {
    return new ContainerSpec(id, rootfs, mounts, devices, annotations, p, cgroupPath);
  }

  public ContainerSpec withCgroupPath(String p) {
    return new ContainerSpec(id, rootfs, mounts, devices, annotations, bundlePath, p);
  }
}
